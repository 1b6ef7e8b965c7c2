/**
 * What both measured processes of the web bench need (`net-child.mjs`, `linkinator-child.mjs`):
 * their arguments, the status a correct checker reports per kind of link, and a `dns.lookup`
 * that answers the simulated names. Plain JavaScript, so plain `node` runs it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The CLI's `main` from `cli`: the launcher's loader (`bin/cli-script.js`, what `bin/citewatch.js`
 * runs: classic scripts, code cache, its V8 flag), or a module exporting `main` (`dist/cli.js`,
 * `dist/cli.bundle.js`: older builds that have no loader).
 */
export async function loadCliMain(cli) {
  if (cli.endsWith('cli-script.js')) return createRequire(import.meta.url)(cli).loadCliScript().exports.main;
  return (await import(pathToFileURL(cli).href)).main;
}

/** The value after `--name` on the command line, or `fallback`. */
export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};

/** Final status a correct checker reports per kind of link (the path says the kind). */
export const EXPECTED = {
  ok: 200,
  'not-found': 404,
  gone: 410,
  'soft-404': 200,
  moved: 200,
  'head-405': 200,
};

/** A `dns.lookup` for the names in `hostsFile` (JSON: name → loopback address); others ENOTFOUND. */
export function simulatorLookup(hostsFile) {
  /** @type {Record<string, string>} */
  const addresses = JSON.parse(readFileSync(hostsFile, 'utf8'));
  return (hostname, options, callback) => {
    const cb = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options !== null && options.all === true;
    const address = addresses[hostname.toLowerCase()];
    process.nextTick(() => {
      if (address === undefined) {
        const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        cb(error, all ? [] : '', undefined);
      } else if (all) cb(null, [{ address, family: 4 }]);
      else cb(null, address, 4);
    });
  };
}
