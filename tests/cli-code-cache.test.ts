/**
 * `bin/citewatch.js` runs the CLI from its classic scripts (`dist/cli.bundle.cjs`, the network
 * stage in `dist/cli.bundle-net.cjs`) with the V8 code caches the build writes
 * (`dist/cli.bundle.cache`, `dist/cli.bundle-net.cache`, scripts/code-cache.mjs) through
 * `bin/cli-script.js`. A cache only saves work: V8 takes the ones the build wrote, and a run
 * without them, or with one that is damaged or made for another script, runs from source and
 * writes the same reports.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesIn, offlineRunArgs } from './support/launcher-runs.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
// In dist/ like the real scripts (they find ../package.json from there), under a name of its own.
const NAME = `.cli.cache-test-${process.pid}`;
const CACHE = join(DIST, `${NAME}.cache`);
const NET_CACHE = join(DIST, `${NAME}-net.cache`);
const ARTICLE = 'tests/fixtures/wikitext/sample.wiki';
const LOADER = pathToFileURL(join(ROOT, 'bin', 'cli-script.js')).href;

let dir: string;
let cache: Buffer;
/** The run with the cache as built, and its reports: what every other run must match. */
let cached: Launched;
let cachedReports: Record<string, string>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-code-cache-'));
  await run(process.execPath, ['scripts/build-cli.mjs', '--name', NAME], { cwd: ROOT });
  cache = await readFile(CACHE);
  cached = await launch(offlineRun('cached'));
  cachedReports = await reportsOf('cached');
}, 60_000);
afterAll(async () => {
  for (const file of await readdir(DIST))
    if (file.startsWith(NAME)) await rm(join(DIST, file), { force: true });
  await rm(dir, { recursive: true, force: true });
});

/**
 * The CLI run in a child as the launcher runs it, with the cache as it is in dist/ when the
 * child starts; stdout's last line says whether V8 was offered the cache and took it.
 */
type CacheUse = 'none' | 'taken' | 'rejected';
/** Whether V8 was offered each script's cache and took it (`net` absent: not loaded). */
type Launched = { cache: CacheUse; net?: CacheUse; code: number };
async function launch(args: string[]): Promise<Launched> {
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { loadCliScript } from ${JSON.stringify(LOADER)};
const loaded = loadCliScript({ name: ${JSON.stringify(NAME)} });
const code = await loaded.exports.main(process.argv.slice(1));
const use = (s) => s === undefined ? undefined : s.cacheRejected === undefined ? 'none' : s.cacheRejected ? 'rejected' : 'taken';
process.stdout.write('\\n' + JSON.stringify({ cache: use(loaded), net: use(loaded.network()), code }) + '\\n');`,
      '--',
      ...args,
    ],
    { cwd: ROOT },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Launched;
}

const offlineRun = (name: string): string[] => offlineRunArgs(dir, name, ARTICLE);
const reportsOf = (name: string): Promise<Record<string, string>> => filesIn(join(dir, name, 'out'));

/** An offline run with `bytes` in place of the cache: V8's answer is `use`, the reports the same. */
async function runWithCache(bytes: Buffer, name: string, use: CacheUse): Promise<void> {
  await writeFile(CACHE, bytes);
  try {
    expect(await launch(offlineRun(name))).toEqual({ cache: use, code: 0 });
    expect(await reportsOf(name)).toEqual(cachedReports);
  } finally {
    await writeFile(CACHE, cache);
  }
}

describe('the CLI scripts and their code cache', () => {
  it('are ASCII, and the network stage is a script of its own that asks the CLI for what they share', async () => {
    const cli = await readFile(join(DIST, `${NAME}.cjs`), 'latin1');
    const net = await readFile(join(DIST, `${NAME}-net.cjs`), 'latin1');
    for (const text of [cli, net]) expect(text).toMatch(/^[\x00-\x7f]*$/);
    expect(cli).not.toContain('undici.error.UND_ERR');
    expect(net).toContain('undici.error.UND_ERR');
    expect(cli).toContain('require("citewatch:net")');
    // One CitewatchError class for both scripts: the network stage's errors are the CLI's.
    const asked = [...net.matchAll(/require\("citewatch:([^"]+)"\)/g)].map((m) => m[1]);
    expect(asked).toContain('errors.ts');
    for (const file of asked) expect(cli).toContain(`${JSON.stringify(file)}:`);
  });

  it('V8 takes the cache the build wrote, and the run writes the reports', () => {
    // An offline run never loads the network stage, nor reads its cache.
    expect(cached).toEqual({ cache: 'taken', code: 0 });
    expect(Object.keys(cachedReports)).toContain('summary.md');
  });

  it('without a cache, the run is the same', async () => {
    await rm(CACHE);
    try {
      expect(await launch(offlineRun('absent'))).toEqual({ cache: 'none', code: 0 });
      expect(await reportsOf('absent')).toEqual(cachedReports);
    } finally {
      await writeFile(CACHE, cache);
    }
  });

  it('a damaged cache is rejected by V8 and the run is the same', async () => {
    const header = cache.subarray(0, cache.indexOf(10) + 1);
    const damaged = Buffer.concat([header, Buffer.alloc(cache.length - header.length, 0x5a)]);
    await runWithCache(damaged, 'damaged', 'rejected');
  });

  it('a cache made for another script (another build) is not offered to V8', async () => {
    // V8 checks only a script's length: the header's digest is what refuses this cache.
    const foreign = Buffer.from(cache);
    const digestAt = cache.indexOf('cache ') + 'cache '.length;
    foreign[digestAt] = foreign[digestAt] === 0x30 ? 0x31 : 0x30;
    await runWithCache(foreign, 'foreign', 'none');
  });

  it('a truncated or empty cache file is not offered to V8', async () => {
    for (const [i, bytes] of [cache.subarray(0, 10), Buffer.alloc(0)].entries()) {
      await runWithCache(bytes, `short-${i}`, 'none');
    }
  });

  it('an online run loads the network stage with its cache; without it, the same reports', async () => {
    const server: Server = createServer((request, response) => {
      response.statusCode = request.url === '/gone' ? 404 : 200;
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end('<!doctype html><title>Page</title><p>The text of a page that is alive and well.</p>');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const article = join(dir, 'online.wiki');
      await writeFile(
        article,
        `'''A''' is cited.<ref>{{cite web |url=${base}/page |title=Page}}</ref> Twice.<ref>{{cite web |url=${base}/gone |title=Gone}}</ref>\n`,
      );
      const onlineRun = (name: string): string[] => [
        'check',
        article,
        ...['--out', join(dir, name, 'out'), '--state', join(dir, name, 'state.sqlite')],
        ...['--allow-network', '127.0.0.0/8', '--snapshots', 'none', '--per-host-interval', '0'],
        ...['--now', '2026-11-20T00:00:00Z', '--quiet'],
      ];
      expect(await launch(onlineRun('online-cached'))).toEqual({ cache: 'taken', net: 'taken', code: 0 });
      const netCache = await readFile(NET_CACHE);
      await rm(NET_CACHE);
      try {
        expect(await launch(onlineRun('online-absent'))).toEqual({ cache: 'taken', net: 'none', code: 0 });
      } finally {
        await writeFile(NET_CACHE, netCache);
      }
      const reports = await reportsOf('online-cached');
      expect(reports['online.md']).toContain('| Links checked | 2 |');
      expect(await reportsOf('online-absent')).toEqual(reports);
    } finally {
      server.close();
    }
  });

  it('--version and a usage error behave as before', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const v = await run(process.execPath, [join(ROOT, 'bin', 'citewatch.js'), '--version'], { cwd: ROOT });
    expect(v.stdout.trim()).toBe(version);
    expect(await launch(['check'])).toEqual({ cache: 'taken', code: 2 });
  });
});
