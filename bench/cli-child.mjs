/**
 * One whole `citewatch check` run in its own process, as a user runs it (`--cli`: the launcher's
 * loader `bin/cli-script.js` by default, or another build's `dist/cli.bundle.js`), with the simulated hosts answered by a patched `dns.lookup` (the only change:
 * the fetcher resolves names through `node:dns`). Prints one JSON line with the process's CPU
 * time (user + system, module loading included) and peak RSS.
 *
 * node bench/cli-child.mjs --hosts FILE -- check ARTICLE --out DIR ...
 */
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { arg, loadCliMain, simulatorLookup } from './child-common.mjs';

const hosts = arg('hosts');
if (hosts) {
  dns.lookup = simulatorLookup(hosts);
  syncBuiltinESMExports();
}
const argv = process.argv.slice(process.argv.indexOf('--') + 1);
const t0 = performance.now();
const main = await loadCliMain(resolve(arg('cli', 'bin/cli-script.js')));
const code = await main(argv, {
  stdout: () => {},
  stderr: (s) => process.stderr.write(s),
});
const wallMs = performance.now() - t0;
const usage = process.resourceUsage();
console.log(
  JSON.stringify({
    code,
    wallMs,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    peakRssMb: usage.maxRSS / 1024,
  }),
);
