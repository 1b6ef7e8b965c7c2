/**
 * The bundled CLI loads no Node built-in module a run does not use (scripts/lazy-requires.mjs):
 * commander's `child_process` (for executable subcommands), pino's `worker_threads` and
 * thread-stream (for transports), sonic-boom's `assert` (for one check on close). Both forms of
 * the bundle, as built in dist/ by `npm run build`: the scripts the launcher runs and the ES
 * module programs import.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const UNUSED = ['child_process', 'worker_threads', 'assert'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-lazy-builtins-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `load` (code giving `main`) then `main(args)` in a child; the built-ins it loaded. */
async function builtinsLoaded(load: string, args: string[]): Promise<string[]> {
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `${load}
const code = await main(process.argv.slice(1));
if (code !== 0) throw new Error('exit ' + code);
const loaded = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
process.stdout.write('\\n' + JSON.stringify(loaded) + '\\n');`,
      '--',
      ...args,
    ],
    { cwd: ROOT },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
}

const FORMS = {
  script: `import { loadCliScript } from ${JSON.stringify(pathToFileURL(join(ROOT, 'bin', 'cli-script.js')).href)};
const { main } = loadCliScript().exports;`,
  module: `import { main } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'cli.bundle.js')).href)};`,
};

describe('built-in modules the bundled CLI leaves unloaded', () => {
  for (const [form, load] of Object.entries(FORMS))
    it(`an offline run and --version of the ${form} load no ${UNUSED.join(', ')}`, async () => {
      const offline = [
        'check',
        'tests/fixtures/wikitext/sample.wiki',
        ...['--out', join(dir, form, 'out'), '--state', join(dir, form, 'state.sqlite')],
        ...['--now', '2026-11-20T00:00:00Z', '--offline', '--quiet'],
      ];
      for (const args of [offline, ['--version']]) {
        const loaded = await builtinsLoaded(load, args);
        expect(loaded).toContain('fs/promises');
        for (const name of UNUSED) expect(loaded).not.toContain(name);
      }
    });

  it('the control: the unbundled packages do load them', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '-e',
        `require('commander'); require('pino');
process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13))));`,
      ],
      { cwd: ROOT },
    );
    const loaded = JSON.parse(stdout) as string[];
    for (const name of UNUSED) expect(loaded).toContain(name);
  });
});
