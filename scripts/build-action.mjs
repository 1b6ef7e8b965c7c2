#!/usr/bin/env node
// Bundles the GitHub Action into one committed file, dist-action/index.mjs, so `uses:` runs it
// with no install step. better-sqlite3 stays external: on the action's node24 the history uses
// node:sqlite. `--check` rebuilds in memory and fails when the committed bundle differs from
// the sources (the test suite runs it, so the bundle never goes stale).
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { zodNamespace } from './zod-namespace.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const outIndex = args.indexOf('--outfile');
const outfile = outIndex >= 0 ? resolve(args[outIndex + 1]) : join(root, 'dist-action', 'index.mjs');

const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

/** `src/defaults.ts` reads the version from ../package.json at run time; the bundle carries it. */
const versionInline = {
  name: 'citewatch-version',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]defaults\.ts$/ }, async (a) => {
      const source = await readFile(a.path, 'utf8');
      const replaced = source.replace(
        /\(require\('\.\.\/package\.json'\) as \{ version: string \}\)\.version/,
        JSON.stringify(pkg.version),
      );
      if (replaced === source) throw new Error('src/defaults.ts: the VERSION line changed; update scripts/build-action.mjs');
      return { contents: replaced, loader: 'ts' };
    });
  },
};

/**
 * `src/core/lazy.ts` loads cheerio and tldts on first use through `createRequire`, which esbuild
 * cannot follow: the bundle, run with no node_modules, imports them instead (start-up time is
 * not what the action is short of).
 */
const lazyInline = {
  name: 'citewatch-lazy',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]core[\\/]lazy\.ts$/ }, async (a) => {
      const source = await readFile(a.path, 'utf8');
      const exported = [...source.matchAll(/^export const (\w+)/gm)].map((m) => m[1]).sort().join(',');
      if (exported !== 'getDomain,loadHtml')
        throw new Error('src/core/lazy.ts: its exports changed; update scripts/build-action.mjs');
      return {
        contents:
          "export { load as loadHtml } from 'cheerio/slim';\nexport { getDomain } from 'tldts';\n",
        loader: 'ts',
        resolveDir: dirname(a.path),
      };
    });
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/action/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  // CommonJS dependencies (pino, commander) call require() for Node's own modules.
  banner: {
    js: `// citewatch ${pkg.version} GitHub Action, bundled by scripts/build-action.mjs from src/action/main.ts. Do not edit.\nimport { createRequire as __cwCreateRequire } from 'node:module';\nconst require = __cwCreateRequire(import.meta.url);`,
  },
  legalComments: 'eof',
  charset: 'utf8',
  // The file-specific plugins first: esbuild takes the first onLoad that answers.
  plugins: [versionInline, lazyInline, zodNamespace],
  write: false,
  logLevel: 'warning',
});
const text = result.outputFiles[0].text;

if (check) {
  let committed = '';
  try {
    committed = await readFile(outfile, 'utf8');
  } catch {}
  if (committed !== text) {
    process.stderr.write(
      `${outfile} is out of date with the sources: run \`npm run build:action\` and commit it\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${outfile} is up to date (${text.length} bytes)\n`);
} else {
  await mkdir(dirname(outfile), { recursive: true });
  await writeFile(outfile, text);
  process.stdout.write(`wrote ${outfile} (${text.length} bytes)\n`);
}
