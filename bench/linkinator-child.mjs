/**
 * linkinator 7.6.1 on the benchmark's links, alone in its process so its peak RSS is its own.
 * The parent serves one HTML page that links every URL of the workload; linkinator checks that
 * page without recursion (each link once, HEAD first, GET when HEAD fails — its own way).
 * linkinator sends requests with Node's global `fetch`, so the simulated names are resolved by
 * installing, as the global dispatcher, an undici Agent with Node's defaults and the simulator's
 * addresses as its lookup — nothing else about linkinator is changed. Prints one JSON line.
 *
 * node bench/linkinator-child.mjs --page URL --hosts FILE [--concurrency 64]
 */

import { performance } from 'node:perf_hooks';
import { LinkChecker, LinkState } from 'linkinator';
import { Agent, setGlobalDispatcher } from 'undici';
import { arg, EXPECTED, simulatorLookup } from './child-common.mjs';

const lookup = simulatorLookup(arg('hosts'));
setGlobalDispatcher(new Agent({ connect: { lookup } }));

const page = arg('page');
const checker = new LinkChecker();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await checker.check({
  path: page,
  recurse: false,
  concurrency: Number(arg('concurrency', '64')),
});
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);

let links = 0;
let wrong = 0;
let broken = 0;
for (const link of result.links) {
  if (link.url === page) continue;
  links++;
  const kind = new URL(link.url).pathname.split('/')[2];
  if (link.status !== EXPECTED[kind]) wrong++;
  if (link.state === LinkState.BROKEN) broken++;
}
console.log(
  JSON.stringify({
    links,
    wallMs,
    wrong,
    broken,
    cpuMs: (cpu.user + cpu.system) / 1000,
    processCpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
