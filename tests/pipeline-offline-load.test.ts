/**
 * A run that sends no request (offline, articles from files) never builds a fetcher, so the
 * network stage and undici (about 150 ms of CPU to load) stay unloaded; `--help` neither.
 * Runs that read a wiki or check online do build one.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveCheckOptions } from '../src/options.js';
import { noRequestFetcher, reachesNetwork } from '../src/pipeline.js';

const run = promisify(execFile);
const CHILD = 'tests/support/packages-child.ts';
const ARTICLE = 'tests/fixtures/wikitext/sample.wiki';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-offline-load-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The packages the CLI's process loaded (see the child script), and its exit code. */
async function packagesLoaded(args: string[]): Promise<{ packages: string[]; code: number }> {
  const { stdout, code } = await run(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: process.cwd(),
  }).then(
    (r) => ({ stdout: r.stdout, code: 0 }),
    (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
  );
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  expect(last).toMatch(/^PACKAGES /);
  return { packages: JSON.parse(last.slice('PACKAGES '.length)) as string[], code };
}

describe('what a run loads', () => {
  it('an offline run of files loads no network stage (no undici)', async () => {
    const { packages, code } = await packagesLoaded([
      'check',
      ARTICLE,
      ...['--out', join(dir, 'out'), '--state', join(dir, 'state.sqlite')],
      ...['--now', '2026-11-20T00:00:00Z', '--offline', '--quiet'],
    ]);
    expect(code).toBe(0);
    expect(packages).toContain('better-sqlite3');
    expect(packages).not.toContain('undici');
  });

  it('--help loads no network stage; the control: importing it does load undici', async () => {
    expect((await packagesLoaded(['--help'])).packages).not.toContain('undici');
    expect((await packagesLoaded(['--load-net', '--help'])).packages).toContain('undici');
  });

  it('only an online run or a wiki input reaches the network', () => {
    const base = { out: join(dir, 'out'), state: join(dir, 'state.sqlite'), now: '2026-11-20T00:00:00Z' };
    expect(reachesNetwork(resolveCheckOptions({ ...base, inputs: [ARTICLE], offline: true }))).toBe(false);
    expect(reachesNetwork(resolveCheckOptions({ ...base, inputs: [ARTICLE] }))).toBe(true);
    expect(reachesNetwork(resolveCheckOptions({ ...base, wiki: ['Example'], offline: true }))).toBe(true);
    expect(
      reachesNetwork(resolveCheckOptions({ ...base, wikiList: join(dir, 'titles'), offline: true })),
    ).toBe(true);
  });

  it("the offline run's fetcher refuses any request: one would be a bug", async () => {
    const fetcher = noRequestFetcher();
    await expect(fetcher.fetch({ url: 'https://example.org/' })).rejects.toThrow(/sends no request/);
    await expect(fetcher.fetchEach([{ url: 'https://example.org/' }], () => {})).rejects.toThrow(
      /sends no request/,
    );
    await expect(fetcher.fetchEach([], () => {})).resolves.toBeUndefined();
    expect(fetcher.stats().requests).toBe(0);
    await fetcher.close();
  });
});
