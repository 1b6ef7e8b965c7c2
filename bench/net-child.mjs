/**
 * One measured citewatch run, alone in its process so its peak RSS is its own: reads the links
 * (one URL a line) and the simulated hosts' addresses, fetches every link through the polite
 * fetcher the way the checker does (all links handed over at once, as one `fetchEach` batch),
 * prints one JSON line.
 * Plain JavaScript so that plain `node` runs it on the compiled fetcher (`dist/`); the parent
 * (`bench/web-bench.ts`) passes `--module` pointing at `dist/net/index.js`, or at the sources
 * when it runs this under tsx.
 *
 * node bench/net-child.mjs --module dist/net/index.js --links FILE --hosts FILE
 *   [--per-host 8] [--interval 0] [--concurrency 64]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { arg, EXPECTED, simulatorLookup } from './child-common.mjs';

const net = await import(pathToFileURL(resolve(arg('module', 'dist/net/index.js'))).href);
const lookup = simulatorLookup(arg('hosts'));

const links = readFileSync(arg('links'), 'utf8').split('\n').filter(Boolean);
const fetcher = net.createFetcher(
  net.fetcherOptionsFromDefaults({
    allowNetwork: ['127.0.0.0/8'],
    concurrency: Number(arg('concurrency', '64')),
    perHostConcurrency: Number(arg('per-host', '8')),
    perHostIntervalMs: Number(arg('interval', '0')),
  }),
  { lookup },
);

let wrong = 0;
let soft404Seen = 0;
let soft404Total = 0;
const check = ({ url }, result) => {
  const kind = new URL(url).pathname.split('/')[2];
  if (result.status !== EXPECTED[kind]) wrong++;
  if (kind === 'soft-404') {
    soft404Total++;
    if (result.body.includes('Page not found')) soft404Seen++;
  }
};

// Where the memory is at its peak: the largest of each part of process.memoryUsage(), sampled.
const memory = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const now = process.memoryUsage();
  for (const key of Object.keys(memory)) memory[key] = Math.max(memory[key], now[key]);
};
const sampler = setInterval(sample, 10);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await fetcher.fetchEach(
  links.map((url) => ({ url })),
  check,
);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
sample();
const stats = fetcher.stats();
await fetcher.close();
console.log(
  JSON.stringify({
    links: links.length,
    wallMs,
    requests: stats.requests,
    bytes: stats.bytes,
    maxInFlightPerHost: stats.maxInFlightPerHost,
    mostFetchesBuilt: stats.mostFetchesBuilt,
    wrong,
    soft404Seen,
    soft404Total,
    cpuMs: (cpu.user + cpu.system) / 1000,
    processCpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    memoryMb: Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, Math.round(v / 1048576)])),
  }),
);
