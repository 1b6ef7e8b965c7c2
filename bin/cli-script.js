// Loads the command line from its classic scripts (dist/cli.bundle.cjs, and the network stage
// dist/cli.bundle-net.cjs when a run fetches; scripts/build-cli-script.mjs) with the V8 code
// cache the build wrote after a representative run (scripts/code-cache.mjs): a run then
// neither parses the bundle nor compiles again the functions such a run compiled.
//
// The cache is an optimisation only. Absent, unreadable, made for another script, or rejected
// by V8 (another Node version, other V8 flags), the script compiles from source as it would
// without one, and the run is the same.
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

const DIST = join(dirname(__dirname), 'dist');

/**
 * The first line of a cache file names the script it was made from. V8 checks only a cached
 * script's length, and runs stale code for another script of the same length: the digest is
 * what tells them apart (it identifies content; it guards against no one).
 */
const cacheHeader = (bytes) =>
  `citewatch code cache ${createHash('sha1').update(bytes).digest('hex')}\n`;

/** The cache for the script `bytes` in `file`, without its header; undefined when none fits. */
function readCache(file, scriptBytes) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const header = cacheHeader(scriptBytes);
  if (bytes.length <= header.length || bytes.latin1Slice(0, header.length) !== header) return undefined;
  return bytes.subarray(header.length);
}

/**
 * Compiles and runs `dist/FILE.cjs` as a CommonJS module would run, with `require` given, and
 * with the cache `dist/FILE.cache` when `cache` is true and one fits.
 */
function runScript(dist, file, require, cache) {
  const path = join(dist, `${file}.cjs`);
  const bytes = readFileSync(path);
  // The build writes ASCII only: latin1 is the cheapest exact decoding.
  const source = bytes.latin1Slice(0, bytes.length);
  const cachedData = cache ? readCache(join(dist, `${file}.cache`), bytes) : undefined;
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname, __cwImportMetaUrl) {${source}\n})`,
    { filename: path, ...(cachedData && { cachedData }) },
  );
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, path, dirname(path), pathToFileURL(path).href);
  const cacheRejected = cachedData ? script.cachedDataRejected === true : undefined;
  return { exports: module.exports, script, cacheRejected };
}

/**
 * V8 considers optimising a function once it has run this much bytecode: 8 times its default
 * (66 KB). A run's functions are hot for milliseconds, and optimising each of them (about 80 in
 * an offline run of 2000 references) cost more CPU on V8's compiler thread than it saved: a
 * third of that run. Code that runs for seconds, as in a night of many articles, is still
 * optimised (bench/jit-flags-bench.ts). Set for the command line only: a library does not
 * change its host process's V8 flags.
 */
const INTERRUPT_BUDGET = '--interrupt-budget=540672';

/**
 * The V8 flags the command line sets for itself: none when Node was started with its own
 * `--interrupt-budget`, which the user chose.
 */
function compilerFlags(execArgv = process.execArgv) {
  return execArgv.some((a) => a === '--interrupt-budget' || a.startsWith('--interrupt-budget='))
    ? []
    : [INTERRUPT_BUDGET];
}

/**
 * Loads `dist/NAME.cjs`, and `dist/NAME-net.cjs` when the CLI first asks for the network stage.
 * `cache: false` compiles from source (the build, before it writes the caches). Returns the
 * CLI's exports and, for the build and the tests, each script and whether V8 took its cache
 * (`network()` is undefined until the network stage is loaded).
 */
function loadCliScript({ name = 'cli.bundle', dist = DIST, cache = true } = {}) {
  // Before compiling: V8 takes a code cache only under the flags it was made with, and the
  // build makes it through this function too.
  for (const flag of compilerFlags()) setFlagsFromString(flag);
  const nodeRequire = createRequire(join(dist, `${name}.cjs`));
  let cli;
  let net;
  const netRequire = (id) =>
    id.startsWith('citewatch:') ? cli.exports.__cwHost[id.slice('citewatch:'.length)] : nodeRequire(id);
  const require = (id) => {
    if (id !== 'citewatch:net') return nodeRequire(id);
    net ??= runScript(dist, `${name}-net`, netRequire, cache);
    return net.exports;
  };
  cli = runScript(dist, name, require, cache);
  return { ...cli, network: () => net };
}

module.exports = { cacheHeader, compilerFlags, loadCliScript };
