// Loads the command line from its classic scripts (dist/cli.bundle.cjs, and the network stage
// dist/cli.bundle-net.cjs when a run fetches; scripts/build-cli-script.mjs) with the V8 code
// cache the build wrote after a representative run (scripts/code-cache.mjs): a run then
// neither parses the bundle nor compiles again the functions such a run compiled.
//
// The cache is an optimisation only. Absent, unreadable, made for another script, or rejected
// by V8 (another Node version, other V8 flags), the script compiles from source as it would
// without one, and the run is the same.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

const DIST = join(dirname(import.meta.dirname), 'dist');

/**
 * The first line of a cache file names the script it was made from. V8 checks only a cached
 * script's length, and runs stale code for another script of the same length: the digest is
 * what tells them apart (it identifies content; it guards against no one).
 */
export const cacheHeader = (bytes) =>
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

/** Compiles and runs one script as a CommonJS module would run, with `require` given. */
function runScript(file, source, require, cachedData) {
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname, __cwImportMetaUrl) {${source}\n})`,
    { filename: file, ...(cachedData && { cachedData }) },
  );
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, file, dirname(file), pathToFileURL(file).href);
  const cacheRejected = cachedData ? script.cachedDataRejected === true : undefined;
  return { exports: module.exports, script, cacheRejected };
}

/**
 * Loads `dist/NAME.cjs`. `cache: false` compiles from source (the build, before it writes the
 * cache). Returns the CLI's exports and, for the build, the script and whether V8 took the cache.
 */
export function loadCliScript({ name = 'cli.bundle', dist = DIST, cache = true } = {}) {
  const file = join(dist, `${name}.cjs`);
  const bytes = readFileSync(file);
  // The build writes ASCII only: latin1 is the cheapest exact decoding.
  const source = bytes.latin1Slice(0, bytes.length);
  const nodeRequire = createRequire(file);
  let host;
  let net;
  const require = (id) => {
    if (id === 'citewatch:net') {
      if (!net) {
        const netFile = join(dist, `${name}-net.cjs`);
        const netRequire = (netId) =>
          netId.startsWith('citewatch:') ? host[netId.slice('citewatch:'.length)] : nodeRequire(netId);
        net = runScript(netFile, readFileSync(netFile, 'latin1'), netRequire).exports;
      }
      return net;
    }
    return nodeRequire(id);
  };
  const cachedData = cache ? readCache(join(dist, `${name}.cache`), bytes) : undefined;
  const loaded = runScript(file, source, require, cachedData);
  host = loaded.exports.__cwHost;
  return loaded;
}
