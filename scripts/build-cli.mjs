#!/usr/bin/env node
// Bundles the command line (src/cli.ts and what it imports, dependencies included) into
// dist/cli.bundle.js (and its chunks, dist/cli.bundle-*.js), which bin/citewatch.js runs.
// Loading one file instead of about 150 modules (ours, zod's, pino's, commander's) halves the
// CPU a run spends before its work begins (about 0.45 s → 0.2 s on the reference machine).
// Built by `npm run build` and the `prepare` script after `tsc`; dist/cli.js stays the same
// CLI, unbundled, for the library.
//
// What stays outside, loaded from node_modules when a run needs it: better-sqlite3 (a native
// addon), cheerio and tldts (loaded on first use by src/core/lazy.ts). The network stage is
// imported dynamically by the pipeline: its chunk is loaded only by runs that fetch.
//
// zod is bundled through the plugin of scripts/zod-namespace.mjs (only what the code calls).
//
// The same CLI is also built as two classic scripts, dist/cli.bundle.cjs and its network stage
// dist/cli.bundle-net.cjs (scripts/build-cli-script.mjs), with a V8 code cache written after a
// representative run (scripts/code-cache.mjs): bin/citewatch.js runs those. The ESM bundle
// stays for programs that import `main` (the benches, the tests).
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildCliScript } from './build-cli-script.mjs';
import { lazyRequires } from './lazy-requires.mjs';
import { zodNamespace } from './zod-namespace.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const args = process.argv.slice(2);
const nameIndex = args.indexOf('--name');
// `--name` is for the tests: a bundle of their own beside the real one.
const name = nameIndex >= 0 ? args[nameIndex + 1] : 'cli.bundle';
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

// The chunks' names carry a hash: an older build's would stay behind. The code cache goes
// first of all: a cache left beside a rebuilt script is never wanted.
await rm(join(dist, `${name}.cache`), { force: true });
for (const file of await readdir(dist).catch(() => []))
  if (file === `${name}.js` || file === `${name}.cjs` || file.startsWith(`${name}-`))
    await rm(join(dist, file));

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  bundle: true,
  // The network stage (undici: 1.1 of the 2.8 MB) goes to a chunk of its own, imported by the
  // runs that fetch: a run that does not never even parses it.
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Every file in dist/ itself, like dist/defaults.js: its `require('../package.json')` finds
  // the package's own file from there.
  outdir: dist,
  entryNames: name,
  chunkNames: `${name}-[name]-[hash]`,
  external: ['better-sqlite3', 'cheerio', 'cheerio/*', 'tldts'],
  // CommonJS dependencies (pino, commander, undici) call require() for Node's own modules.
  banner: {
    js: `// citewatch ${pkg.version} command line, bundled by scripts/build-cli.mjs from src/cli.ts. Do not edit.\nimport { createRequire as __cwCreateRequire } from 'node:module';\nconst require = __cwCreateRequire(import.meta.url);`,
  },
  // Every run reads, decodes and parses the whole main chunk (Node's loader decodes about
  // 15 ms a MB here): spaces, comments and long-hand syntax go (1.08 → 0.75 MB; the import 5–7
  // ms less CPU, 30 paired rounds). Names stay as written, so a stack trace still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  // A chunk's source stays in memory as long as its code does, in two bytes a character when
  // one character needs it: escaped, the network chunk is one byte a character (0.7 MB less
  // heap in a run that fetches). The main chunk keeps a few regex literals with such
  // characters (src/check, src/extract), which esbuild does not escape.
  charset: 'ascii',
  logLevel: 'warning',
  plugins: [lazyRequires, zodNamespace],
});

await buildCliScript({ root, dist, name, banner: `// citewatch ${pkg.version} command line, bundled by scripts/build-cli.mjs from src/cli.ts. Do not edit.` });
// In a process of its own: the cache must hold what a plain `node` compiles, under its flags.
execFileSync(process.execPath, [join(root, 'scripts', 'code-cache.mjs'), '--name', name], {
  cwd: root,
  stdio: 'inherit',
});
