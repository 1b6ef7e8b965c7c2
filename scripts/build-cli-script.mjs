// Builds the command line as classic scripts, which bin/citewatch.js compiles with a V8 code
// cache (bin/cli-script.js): NAME.cjs (the CLI) and NAME-net.cjs (the network stage). Node 20
// keeps no code cache for ES modules (no `module.enableCompileCache`), but `vm.Script` takes
// one: a run then neither parses the bundle nor compiles the functions the cache holds.
//
// CommonJS bundles cannot be split by esbuild, so the two scripts are two builds:
// - the network stage is bundled alone; what it imports from the rest of src/ (errors,
//   defaults) is not bundled again but asked of the CLI script (`require('citewatch:errors.ts')`),
//   so there is one `CitewatchError` class and `instanceof` still holds across the two;
// - the CLI script bundles src/cli.ts, leaves `import('./net/index.js')` as
//   `require('citewatch:net')` (loaded by the runs that fetch, as the ESM chunk is), and
//   exports the modules the network stage asked for as `__cwHost`.
// Both use `__cwImportMetaUrl` for `import.meta.url`: the loader passes the CLI script's URL,
// so `require('../package.json')` and better-sqlite3 resolve from dist/ as before.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { lazyRequires } from './lazy-requires.mjs';
import { zodNamespace } from './zod-namespace.mjs';

/** What bin/cli-script.js resolves: `citewatch:net` and `citewatch:<file under src/>`. */
const PREFIX = 'citewatch:';

/** Non-ASCII characters esbuild leaves in regex literals, as `\uXXXX` (the same pattern). */
const asciiOnly = (text) =>
  text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Every script is ASCII: its source then takes one byte a character on the heap, where it stays
 * as long as its code. `charset: 'ascii'` escapes strings and templates, not regex literals.
 */
async function writeAscii(file) {
  const text = await readFile(file, 'utf8');
  const ascii = asciiOnly(text);
  if (ascii !== text) await writeFile(file, ascii);
}

const common = (root, banner) => ({
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3', 'cheerio', 'cheerio/*', 'tldts'],
  define: { 'import.meta.url': '__cwImportMetaUrl' },
  banner: { js: banner },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  charset: 'ascii',
  logLevel: 'warning',
});

/** Builds `dist/NAME.cjs` and `dist/NAME-net.cjs`. */
export async function buildCliScript({ root, dist, name, banner }) {
  const src = join(root, 'src');
  const net = join(src, 'net');
  const host = new Set();

  await build({
    ...common(root, banner),
    entryPoints: ['src/net/index.ts'],
    outfile: join(dist, `${name}-net.cjs`),
    plugins: [
      {
        name: 'citewatch-host-modules',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            if (!args.importer.startsWith(net + sep)) return undefined;
            const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
            if (target.startsWith(net + sep)) return undefined;
            if (!target.startsWith(src + sep) || !existsSync(target))
              return { errors: [{ text: `the network stage imports ${args.path}: not a module of src/` }] };
            const file = relative(src, target).split(sep).join('/');
            host.add(file);
            return { path: `${PREFIX}${file}`, external: true };
          });
        },
      },
      lazyRequires,
      zodNamespace,
    ],
  });

  const files = [...host].sort();
  const entry = [
    "export * from './src/cli.ts';",
    ...files.map((f, i) => `import * as host${i} from './src/${f}';`),
    `export const __cwHost = { ${files.map((f, i) => `${JSON.stringify(f)}: host${i}`).join(', ')} };`,
  ].join('\n');
  await build({
    ...common(root, banner),
    stdin: { contents: entry, resolveDir: root, sourcefile: 'cli-script-entry.ts', loader: 'ts' },
    outfile: join(dist, `${name}.cjs`),
    plugins: [
      {
        name: 'citewatch-net-script',
        setup(b) {
          b.onResolve({ filter: /^\.\/net\/index\.js$/ }, (args) => {
            if (args.kind !== 'dynamic-import')
              return { errors: [{ text: `${args.importer} imports the network stage statically` }] };
            return { path: 'net', namespace: 'citewatch-net' };
          });
          // esbuild keeps an `import()` of an external module as it is, which a script run by
          // `vm.Script` cannot do: it imports this module instead, which requires the script.
          b.onLoad({ filter: /.*/, namespace: 'citewatch-net' }, () => ({
            contents: `module.exports = require(${JSON.stringify(`${PREFIX}net`)});`,
            loader: 'js',
          }));
          b.onResolve({ filter: new RegExp(`^${PREFIX}net$`) }, (args) => ({ path: args.path, external: true }));
        },
      },
      lazyRequires,
      zodNamespace,
    ],
  });
  await writeAscii(join(dist, `${name}.cjs`));
  await writeAscii(join(dist, `${name}-net.cjs`));
}
