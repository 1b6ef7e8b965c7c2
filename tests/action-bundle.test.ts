/**
 * The committed action bundle (`dist-action/index.mjs`, what `uses: citewatch/citewatch@v1`
 * runs) must be the build of the current sources: the build script rebuilds it in memory and
 * compares. When this fails, run `npm run build:action` and commit the bundle.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'scripts', 'build-action.mjs');

describe('the action bundle', () => {
  it('is up to date with the sources', async () => {
    const { stdout } = await run(process.execPath, [SCRIPT, '--check'], { cwd: ROOT });
    expect(stdout).toMatch(/dist-action\/index\.mjs is up to date/);
  });

  it('--check fails on a stale bundle, naming the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cw-bundle-'));
    try {
      const stale = join(dir, 'index.mjs');
      await writeFile(stale, '// an older build\n');
      const error = await run(process.execPath, [SCRIPT, '--check', '--outfile', stale], { cwd: ROOT }).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(error?.code).toBe(1);
      expect(error?.stderr).toMatch(/out of date with the sources: run `npm run build:action`/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('carries the version, and leaves better-sqlite3 out (node24 uses node:sqlite)', async () => {
    const bundle = await readFile(join(ROOT, 'dist-action', 'index.mjs'), 'utf8');
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(bundle.split('\n', 1)[0]).toContain(`citewatch ${version} GitHub Action`);
    expect(bundle).not.toContain("require('../package.json')");
    expect(bundle).not.toMatch(/better_sqlite3\.node|lib\/database\.js/);
    expect(bundle).toContain('"better-sqlite3"');
  });
});
