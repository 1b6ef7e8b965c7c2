#!/usr/bin/env node
// Writes dist/NAME.cache, the V8 code cache bin/citewatch.js compiles the CLI script with
// (bin/cli-script.js). Run by scripts/build-cli.mjs, in a process of its own started with no
// flag, as a user's `node` is: V8 rejects a cache made under other flags.
//
// The cache is taken after a representative run (an offline check of a wikitext and a
// Markdown article into a temporary folder), not straight after compiling: V8 compiles most
// functions only when first called, and only the compiled ones are in the cache.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheHeader, loadCliScript } from '../bin/cli-script.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const nameIndex = args.indexOf('--name');
const name = nameIndex >= 0 ? args[nameIndex + 1] : 'cli.bundle';
const dist = join(root, 'dist');
const ARTICLES = [
  'tests/fixtures/wikitext/corpus/Allen-R.-Morris.txt',
  'references/artificial-intelligence-industry-in-china.md',
].map((a) => join(root, a));

const missing = ARTICLES.filter((a) => !existsSync(a));
if (missing.length > 0) {
  // Not a clone (a packed copy has no fixtures): the CLI runs as well without a cache.
  process.stderr.write(`code-cache: ${missing.join(', ')} not found: no code cache written\n`);
  process.exit(0);
}

const loaded = loadCliScript({ name, dist, cache: false });
const dir = await mkdtemp(join(tmpdir(), 'citewatch-code-cache-'));
try {
  const silent = () => {};
  const code = await loaded.exports.main(
    [
      'check',
      ...ARTICLES,
      ...['--offline', '--out', join(dir, 'out'), '--state', join(dir, 'state.sqlite')],
      ...['--now', '2026-01-01T00:00:00Z', '--quiet'],
    ],
    { stdout: silent, stderr: silent, terminal: { isTTY: false, write: silent } },
  );
  if (code !== 0) throw new Error(`code-cache: the representative run exited ${code}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
const header = cacheHeader(readFileSync(join(dist, `${name}.cjs`)));
await writeFile(
  join(dist, `${name}.cache`),
  Buffer.concat([Buffer.from(header, 'latin1'), loaded.script.createCachedData()]),
);
