#!/usr/bin/env node
// Bundles the command line (src/cli.ts and what it imports, dependencies included) into one
// file, dist/cli.bundle.js, which bin/citewatch.js runs. Loading one file instead of about 150
// modules (ours, zod's, pino's, commander's) halves the CPU a run spends before its work
// begins (about 0.45 s → 0.25 s on the reference machine). Built by `npm run build` and the
// `prepare` script after `tsc`; dist/cli.js stays the same CLI, unbundled, for the library.
//
// What stays outside, loaded from node_modules when a run needs it: better-sqlite3 (a native
// addon), cheerio and tldts (loaded on first use by src/core/lazy.ts). The network stage is
// imported dynamically by the pipeline, so its code (undici) is in the bundle but only runs
// for runs that fetch.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--outfile');
const outfile = outIndex >= 0 ? resolve(args[outIndex + 1]) : join(root, 'dist', 'cli.bundle.js');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'cheerio', 'cheerio/*', 'tldts'],
  // CommonJS dependencies (pino, commander, undici) call require() for Node's own modules.
  banner: {
    js: `// citewatch ${pkg.version} command line, bundled by scripts/build-cli.mjs from src/cli.ts. Do not edit.\nimport { createRequire as __cwCreateRequire } from 'node:module';\nconst require = __cwCreateRequire(import.meta.url);`,
  },
  legalComments: 'eof',
  charset: 'utf8',
  write: false,
  logLevel: 'warning',
});
// The bundle must sit in dist/ (like dist/defaults.js, whose `require('../package.json')`
// finds the package's own file from there); `--outfile` is for the tests.
await mkdir(dirname(outfile), { recursive: true });
await writeFile(outfile, result.outputFiles[0].text);
