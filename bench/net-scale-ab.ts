/**
 * The scale row (`bench/run.ts --only scale`: one `fetchEach` of 100 000 links over 500 hosts,
 * 2 ms, 8 per host, no interval) run for two builds in turn (before, after, before, after…) on
 * one simulator, so that the load of the shared machine falls on both alike. Prints each run
 * as a JSON line, then the medians and the paired differences.
 * npx tsx bench/net-scale-ab.ts --before OTHER/dist [--after dist] [--pairs 5] [--links 100000]
 *   [--flags "--trace-gc"]   (node flags for both children; bench only)
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAST, runChild, serveWorkload } from './web-bench.js';
import { generateWorkload } from './workload.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};

interface ScaleRun {
  build: string;
  cpuMs: number;
  peakRssMb: number;
  heapUsedMb: number;
  linksPerS: number;
  mostFetchesBuilt: number;
  wrong: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const before = argValue('before');
if (!before) throw new Error('--before OTHER/dist is required');
const builds: Array<[string, string]> = [
  ['before', resolve(before)],
  ['after', resolve(argValue('after') ?? join(ROOT, 'dist'))],
];
const pairs = Number(argValue('pairs') ?? 5);
const links = Number(argValue('links') ?? 100_000);
const flags = (argValue('flags') ?? '').split(' ').filter(Boolean);

const web = await serveWorkload(generateWorkload({ links, hosts: 500 }), 2);
const runs: ScaleRun[] = [];
try {
  for (let pair = 0; pair < pairs; pair++) {
    for (const [build, dist] of builds) {
      const child = await runChild([
        ...flags,
        join(ROOT, 'bench', 'net-child.mjs'),
        '--module',
        join(dist, 'net', 'index.js'),
        '--links',
        web.linksFile,
        '--hosts',
        web.hostsFile,
        '--per-host',
        String(FAST.perHostConcurrency),
        '--interval',
        String(FAST.perHostIntervalMs),
      ]);
      const run: ScaleRun = {
        build,
        cpuMs: child.processCpuMs ?? 0,
        peakRssMb: child.peakRssMb,
        heapUsedMb: child.memoryMb?.heapUsed ?? 0,
        linksPerS: Math.round(child.links / (child.wallMs / 1000)),
        mostFetchesBuilt: child.mostFetchesBuilt ?? 0,
        wrong: child.wrong,
      };
      runs.push(run);
      console.log(JSON.stringify({ ...run, load: (await import('node:os')).loadavg()[0] }));
    }
  }
} finally {
  await web.close();
}

const of = (build: string, key: keyof ScaleRun): number[] =>
  runs.filter((r) => r.build === build).map((r) => r[key] as number);
for (const key of ['peakRssMb', 'cpuMs', 'heapUsedMb', 'linksPerS', 'mostFetchesBuilt'] as const) {
  const b = of('before', key);
  const a = of('after', key);
  const diffs = a.map((x, i) => Math.round((x - b[i]!) * 10) / 10);
  console.log(
    `${key}: before ${b.map((x) => Math.round(x)).join(', ')} (median ${Math.round(median(b))}); after ${a.map((x) => Math.round(x)).join(', ')} (median ${Math.round(median(a))}); paired after−before ${diffs.join(', ')} (median ${median(diffs)})`,
  );
}
