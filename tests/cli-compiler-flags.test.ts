/**
 * The command line sets one V8 flag for itself (`bin/cli-script.js`, `compilerFlags`): a larger
 * interrupt budget, so that a run's short-lived hot functions are not optimised at a cost above
 * their gain. It is set before the scripts compile, so the build's code cache (made the same
 * way) is taken; a user's own `--interrupt-budget` is left as it is; reports never depend on it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesIn, offlineRunArgs } from './support/launcher-runs.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const LOADER = join(ROOT, 'bin', 'cli-script.js');
const { compilerFlags } = createRequire(import.meta.url)(LOADER) as {
  compilerFlags: (execArgv?: string[]) => string[];
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-compiler-flags-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('compilerFlags', () => {
  it('raises the interrupt budget when Node was started without one', () => {
    expect(compilerFlags([])).toEqual(['--interrupt-budget=540672']);
    expect(compilerFlags(['--max-old-space-size=512', '--no-warnings'])).toEqual([
      '--interrupt-budget=540672',
    ]);
  });

  it("keeps the user's own interrupt budget, in either spelling", () => {
    expect(compilerFlags(['--interrupt-budget=1000'])).toEqual([]);
    expect(compilerFlags(['--interrupt-budget', '1000'])).toEqual([]);
  });
});

/**
 * One offline run in a child started with `nodeFlags`, as the launcher loads the CLI; returns
 * whether V8 took the build's cache, and the reports.
 */
async function launch(name: string, nodeFlags: string[]) {
  const { stdout } = await run(
    process.execPath,
    [
      ...nodeFlags,
      '-e',
      `const loaded = require(${JSON.stringify(LOADER)}).loadCliScript();
loaded.exports.main(process.argv.slice(1)).then((code) => {
  process.stdout.write('\\n' + JSON.stringify({ code, rejected: loaded.cacheRejected }) + '\\n');
});`,
      '--',
      ...offlineRunArgs(dir, name),
    ],
    { cwd: ROOT },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { code: number; rejected?: boolean };
  return { ...result, reports: await filesIn(join(dir, name, 'out')) };
}

const PROBE = `new (require('node:vm').Script)('1 + 1', { filename: 'probe.js'`;

/** A code cache of a probe script, made in a process started with `nodeFlags`. */
async function probeCache(nodeFlags: string[]): Promise<string> {
  const script = `process.stdout.write(${PROBE} }).createCachedData().toString('hex'));`;
  const { stdout } = await run(process.execPath, [...nodeFlags, '-e', script], { cwd: ROOT });
  return stdout;
}

/**
 * Whether a process (the launcher's, when `loadCli`) takes `cache` for the probe script: V8
 * takes a code cache only under the flags it was made with.
 */
async function takesProbeCache(cache: string, loadCli: boolean): Promise<boolean> {
  const load = loadCli ? `require(${JSON.stringify(LOADER)}).loadCliScript();` : '';
  const script = `${load}const s = ${PROBE}, cachedData: Buffer.from(${JSON.stringify(cache)}, 'hex') });
process.stdout.write(String(!s.cachedDataRejected));`;
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: ROOT });
  return stdout === 'true';
}

describe('the launcher under V8 flags', () => {
  it('sets the interrupt budget in its own process before anything compiles', async () => {
    const madeWithFlag = await probeCache(['--interrupt-budget=540672']);
    expect(await takesProbeCache(madeWithFlag, false)).toBe(false);
    expect(await takesProbeCache(madeWithFlag, true)).toBe(true);
  }, 30_000);

  it("takes the build's code cache in a plain node, and a user's budget leaves it aside with the same reports", async () => {
    const plain = await launch('plain', []);
    // The cache was made under the flag the launcher sets: taken, so the flag was set first.
    expect(plain).toMatchObject({ code: 0, rejected: false });
    // Had the launcher overwritten the user's value, the flags would match the cache's again.
    const own = await launch('own-budget', ['--interrupt-budget=1000']);
    expect(own).toMatchObject({ code: 0, rejected: true });
    const noOpt = await launch('no-opt', ['--no-opt']);
    expect(noOpt.code).toBe(0);
    expect(Object.keys(plain.reports).length).toBeGreaterThanOrEqual(3);
    expect(own.reports).toEqual(plain.reports);
    expect(noOpt.reports).toEqual(plain.reports);
  }, 60_000);
});
