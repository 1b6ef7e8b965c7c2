/**
 * Fetcher benchmark: 2000 links over 50 hosts (Zipf, heaviest ≈ 445), 20 ms per response,
 * against the loopback simulator. Modes:
 *   fast      8 in flight per host, no interval, GET
 *   polite    2 in flight per host, 100 ms interval, GET (bound: heaviest host × interval)
 *   head-get  as fast, but HEAD first and GET only when HEAD is not 2xx
 * Each mode runs in its own process so peak RSS is its own.
 * Run: npx tsx bench/net-bench.ts [--mode fast|polite|head-get]
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createFetcher, type FetchResult, fetcherOptionsFromDefaults } from '../src/net/index.js';
import { startSimulator } from '../tests/support/simulator.js';
import { EXPECTED_STATUS, generateWorkload, type WorkloadLink, workloadHosts } from './workload.js';

type Mode = 'fast' | 'polite' | 'head-get';

interface ModeSettings {
  perHostConcurrency: number;
  perHostIntervalMs: number;
  strategy: 'get' | 'head-then-get';
}

const MODES: Record<Mode, ModeSettings> = {
  fast: { perHostConcurrency: 8, perHostIntervalMs: 0, strategy: 'get' },
  polite: { perHostConcurrency: 2, perHostIntervalMs: 100, strategy: 'get' },
  'head-get': { perHostConcurrency: 8, perHostIntervalMs: 0, strategy: 'head-then-get' },
};

export interface BenchResult {
  mode: Mode;
  links: number;
  wallMs: number;
  requestsPerLink: number;
  bytesPerLink: number;
  connections: number;
  maxInFlightAtOneHost: number;
  maxRequestsAtOneHost: number;
  /** Most requests at one host × interval: no polite run can be faster. */
  boundMs: number;
  peakRssMb: number;
  /** Links whose final status differs from what the simulator serves. */
  wrong: number;
  /** Soft 404s whose body was fetched (so the checker can recognise them). */
  soft404Seen: number;
  soft404Total: number;
}

export async function runMode(mode: Mode): Promise<BenchResult> {
  const settings = MODES[mode];
  const workload = generateWorkload();
  let urlOf: (host: string, path: string) => string = () => '';
  const sim = await startSimulator(workloadHosts(workload, 20, (host, path) => urlOf(host, path)));
  urlOf = (host, path) => sim.url(host, path);
  const fetcher = createFetcher(
    fetcherOptionsFromDefaults({
      allowNetwork: ['127.0.0.0/8'],
      concurrency: 64,
      perHostConcurrency: settings.perHostConcurrency,
      perHostIntervalMs: settings.perHostIntervalMs,
    }),
    { lookup: sim.lookup },
  );

  let wrong = 0;
  let soft404Seen = 0;
  const check = async (link: WorkloadLink): Promise<void> => {
    const url = sim.url(link.host, link.path);
    let result: FetchResult;
    if (settings.strategy === 'head-then-get') {
      result = await fetcher.fetch({ url, method: 'HEAD' });
      const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
      if (!ok) result = await fetcher.fetch({ url });
    } else {
      result = await fetcher.fetch({ url });
    }
    if (result.status !== EXPECTED_STATUS[link.kind]) wrong++;
    if (link.kind === 'soft-404' && result.body.toString().includes('Page not found')) soft404Seen++;
  };

  const t0 = performance.now();
  await Promise.all(workload.links.map(check));
  const wallMs = performance.now() - t0;

  const perHost = new Map<string, number>();
  for (const r of sim.requests) perHost.set(r.host, (perHost.get(r.host) ?? 0) + 1);
  const maxRequestsAtOneHost = Math.max(...perHost.values());
  const connections = workload.hosts.reduce(
    (n, h) => n + sim.connections(h.name) + sim.connections(`new-${h.name}`),
    0,
  );
  const stats = fetcher.stats();
  await fetcher.close();
  await sim.close();
  const links = workload.links.length;
  return {
    mode,
    links,
    wallMs,
    requestsPerLink: stats.requests / links,
    bytesPerLink: stats.bytes / links,
    connections,
    maxInFlightAtOneHost: Math.max(
      stats.maxInFlightPerHost,
      ...workload.hosts.map((h) => sim.inFlightMax(h.name)),
    ),
    maxRequestsAtOneHost,
    boundMs: maxRequestsAtOneHost * settings.perHostIntervalMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    wrong,
    soft404Seen,
    soft404Total: workload.links.filter((l) => l.kind === 'soft-404').length,
  };
}

function runInChild(mode: Mode): BenchResult {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, '--mode', mode, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`mode ${mode} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as BenchResult;
}

function table(results: BenchResult[]): string {
  const lines = [
    '| mode | wall | bound | requests/link | KiB/link | connections | most in flight at a host | peak RSS | wrong | soft 404 bodies |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const bound =
      r.boundMs > 0 ? `${(r.boundMs / 1000).toFixed(1)} s (×${(r.wallMs / r.boundMs).toFixed(3)})` : '—';
    lines.push(
      `| ${r.mode} | ${(r.wallMs / 1000).toFixed(2)} s | ${bound} | ${r.requestsPerLink.toFixed(3)} | ${(
        r.bytesPerLink / 1024
      ).toFixed(
        1,
      )} | ${r.connections} | ${r.maxInFlightAtOneHost} | ${r.peakRssMb.toFixed(0)} MB | ${r.wrong} | ${
        r.soft404Seen
      }/${r.soft404Total} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const modeIndex = process.argv.indexOf('--mode');
  const only = modeIndex === -1 ? undefined : (process.argv[modeIndex + 1] as Mode);
  if (only && process.argv.includes('--json')) {
    console.log(JSON.stringify(await runMode(only)));
  } else {
    const modes: Mode[] = only ? [only] : ['fast', 'head-get', 'polite'];
    const results = modes.map(runInChild);
    console.log(table(results));
  }
}
