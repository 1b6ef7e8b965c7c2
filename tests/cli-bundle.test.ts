/**
 * The bundled CLI as an ES module (`dist/cli.bundle.js` and its chunks, scripts/build-cli.mjs),
 * which programs import `main` from (the launcher runs the same sources bundled as scripts:
 * tests/cli-code-cache.test.ts). The bundle, built from the current sources, must be the same CLI as
 * the sources — its version, and the same reports for an offline run — and leave the network
 * stage in a chunk of its own, which an offline run never loads.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesIn, offlineRunArgs } from './support/launcher-runs.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
// In dist/ like the real bundle (it finds ../package.json from there), under a name of its own.
const NAME = `.cli.bundle-test-${process.pid}`;
const BUNDLE = join(ROOT, 'dist', `${NAME}.js`);
// The build writes the scripts and their caches under the name too (NAME.cjs, NAME.cache…).
const files = async (): Promise<string[]> =>
  (await readdir(join(ROOT, 'dist'))).filter((f) => f.startsWith(`${NAME}.`) || f.startsWith(`${NAME}-`));
const ARTICLE = 'tests/fixtures/wikitext/sample.wiki';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-bundle-cli-'));
  await run(process.execPath, ['scripts/build-cli.mjs', '--name', NAME], { cwd: ROOT });
});
afterAll(async () => {
  for (const file of await files()) await rm(join(ROOT, 'dist', file), { force: true });
  await rm(dir, { recursive: true, force: true });
});

/** The bundle's `main`, run in a child as the launcher runs it. */
const bundled = (args: string[]) =>
  run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { main } from ${JSON.stringify(`file://${BUNDLE}`)}; process.exitCode = await main(process.argv.slice(1));`,
      '--',
      ...args,
    ],
    { cwd: ROOT },
  );
const fromSources = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'tests/support/cli-child.ts', ...args], { cwd: ROOT });

const offlineRun = (name: string): string[] => offlineRunArgs(dir, name, ARTICLE);
const reportsOf = (name: string): Promise<Record<string, string>> => filesIn(join(dir, name, 'out'));

describe('the bundled CLI', () => {
  it('is one file and its chunks: no module of ours or of zod, pino, commander is loaded beside it', async () => {
    const text = await readFile(BUNDLE, 'utf8');
    expect(text.split('\n', 1)[0]).toContain('bundled by scripts/build-cli.mjs');
    expect(text).not.toMatch(/from\s*"(zod|pino|commander|undici)"|from\s*"\.\/(?!\.cli\.bundle-test-)/);
    // The network stage is a chunk of its own, imported only where a run builds its fetcher.
    const net = (await files()).find((f) => f.startsWith(`${NAME}-net-`));
    expect(net).toBeDefined();
    expect(text).not.toContain('undici.error.UND_ERR');
    expect(await readFile(join(ROOT, 'dist', net!), 'utf8')).toContain('undici.error.UND_ERR');
    expect(text).toMatch(new RegExp(`import\\("\\./${NAME.replace(/\./g, '\\.')}-net-`));
  });

  it("holds only the parts of zod the code calls: none of zod's locales but English", async () => {
    const text = await readFile(BUNDLE, 'utf8');
    // The English messages are zod's default; the Dutch ones come only with the whole namespace
    // (ASCII, so the bundle's escaping of other characters cannot hide them).
    expect(text).toContain('Invalid input: expected');
    expect(text).not.toContain('Ongeldige invoer');
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await bundled(['--version'])).stdout.trim()).toBe(version);
  });

  it('writes the same reports as the sources for an offline run', async () => {
    await bundled(offlineRun('bundle'));
    await fromSources(offlineRun('sources'));
    const bundle = await reportsOf('bundle');
    expect(Object.keys(bundle)).toContain('summary.md');
    expect(bundle).toEqual(await reportsOf('sources'));
  });
});
