/**
 * What the tests of the built CLI (bundle, code cache, compiler flags) share: the arguments of
 * one offline run of a fixture into a folder of its own, and the files that run wrote.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const LAUNCHER_ARTICLE = 'tests/fixtures/wikitext/sample.wiki';

/** `check` of the fixture offline into `DIR/NAME/out`, with its own state, at a fixed time. */
export const offlineRunArgs = (dir: string, name: string, article = LAUNCHER_ARTICLE): string[] => [
  'check',
  article,
  ...['--out', join(dir, name, 'out'), '--state', join(dir, name, 'state.sqlite')],
  ...['--now', '2026-11-20T00:00:00Z', '--offline', '--quiet'],
];

/** Every file in `out`, by name, as text. */
export async function filesIn(out: string): Promise<Record<string, string>> {
  const files = (await readdir(out)).sort();
  return Object.fromEntries(
    await Promise.all(files.map(async (f) => [f, await readFile(join(out, f), 'utf8')])),
  );
}
