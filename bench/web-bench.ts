/**
 * The web workload (`bench/workload.ts`) on the loopback simulator, checked by citewatch (fast
 * and polite settings, and at scale) and by linkinator 7.6.1, each in a child process of its
 * own so that its peak RSS is its own; the simulator stays in this process and counts what
 * every checker did to it (requests, most in flight at one host, connections, body bytes).
 * citewatch's child is plain `node` on the compiled fetcher (`dist/`) when it is built, else
 * `node --import tsx` on the sources; `runtime` in each result says which.
 * Run alone: npx tsx bench/web-bench.ts [--quick]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type SimHost, type Simulator, startSimulator } from '../tests/support/simulator.js';
import {
  generateWorkload,
  movedHostName,
  type Workload,
  type WorkloadMeter,
  type WorkloadOptions,
  workloadHosts,
} from './workload.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NET_CHILD = join(ROOT, 'bench', 'net-child.mjs');
const LINKINATOR_CHILD = join(ROOT, 'bench', 'linkinator-child.mjs');
const COMPILED_NET = join(ROOT, 'dist', 'net', 'index.js');
const SOURCE_NET = join(ROOT, 'src', 'net', 'index.ts');
/** The host that serves linkinator's start page (not counted as a link). */
const INDEX_HOST = 'index.bench.test';

export interface CitewatchSettings {
  perHostConcurrency: number;
  perHostIntervalMs: number;
  /** @default 64 */
  concurrency?: number;
}

export interface WebRun {
  checker: string;
  /** `node dist` (compiled) or `tsx src`. */
  runtime: string;
  links: number;
  /** From the first link handed over to the last answer, inside the checker's process. */
  wallMs: number;
  /** The whole process, spawn to exit (Node's start and the imports included), as the issue measures. */
  processMs: number;
  /** Requests the simulated sites received, redirects and retries included. */
  requests: number;
  /** Body bytes the simulated sites sent. */
  bodyBytes: number;
  connections: number;
  /** Most requests in flight at one host at once, as the servers saw them. */
  maxInFlightAtOneHost: number;
  /** Most requests one host received. */
  maxRequestsAtOneHost: number;
  peakRssMb: number;
  /** Links whose final status differs from what the simulator serves. */
  wrong: number;
  /** Soft 404s whose page body the checker fetched (so it can tell them apart). */
  soft404Seen?: number;
  soft404Total?: number;
  /** CPU time of the checker's process (user + system), from the first link handed over. */
  cpuMs?: number;
  /** CPU time of the whole checker process (user + system), module loading included. */
  processCpuMs?: number;
  /** Most fetches the fetcher had built at once (`stats().mostFetchesBuilt`). */
  mostFetchesBuilt?: number;
  /** The largest of each part of `process.memoryUsage()` during the run, sampled every 10 ms. */
  memoryMb?: Record<string, number>;
  /** CPU time of the simulator (this process) while the checker ran. */
  serverCpuMs?: number;
}

/** The JSON line a child prints, and the simulator's CPU time while it ran. */
export interface ChildReport {
  mostFetchesBuilt?: number;
  links: number;
  wallMs: number;
  processMs: number;
  peakRssMb: number;
  wrong: number;
  soft404Seen?: number;
  soft404Total?: number;
  cpuMs?: number;
  processCpuMs?: number;
  memoryMb?: Record<string, number>;
  serverCpuMs?: number;
}

/** The simulator serving a workload, with its addresses and links written where a child reads them. */
export interface WorkloadWeb {
  sim: Simulator;
  meter: WorkloadMeter;
  workload: Workload;
  dir: string;
  hostsFile: string;
  linksFile: string;
  close(): Promise<void>;
}

export async function serveWorkload(
  workload: Workload,
  latencyMs: number,
  extra: SimHost[] = [],
): Promise<WorkloadWeb> {
  const meter: WorkloadMeter = { bodyBytes: 0 };
  let urlOf: (host: string, path: string) => string = () => '';
  const sim = await startSimulator([
    ...workloadHosts(workload, latencyMs, (host, path) => urlOf(host, path), meter),
    ...extra,
  ]);
  urlOf = (host, path) => sim.url(host, path);
  const dir = mkdtempSync(join(tmpdir(), 'cw-web-bench-'));
  const names = [
    ...workload.hosts.flatMap((h) => [h.name, movedHostName(h.name)]),
    ...extra.map((h) => h.name),
  ];
  const hostsFile = join(dir, 'hosts.json');
  writeFileSync(hostsFile, JSON.stringify(Object.fromEntries(names.map((n) => [n, sim.addressOf(n)]))));
  const linksFile = join(dir, 'links.txt');
  writeFileSync(linksFile, `${workload.links.map((l) => sim.url(l.host, l.path)).join('\n')}\n`);
  return {
    sim,
    meter,
    workload,
    dir,
    hostsFile,
    linksFile,
    close: async () => {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `args` in a child process (without blocking this one: the simulator lives here). */
export function runChild(args: string[]): Promise<ChildReport> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      err += s;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      // The report is the last JSON line (a Node flag such as --trace-gc may print after it).
      const last =
        out
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`${args.join(' ')} exited ${code}: ${err.slice(-2000)}`));
        return;
      }
      const processMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      resolve({
        ...(JSON.parse(last) as Omit<ChildReport, 'processMs'>),
        processMs,
        serverCpuMs: (cpu.user + cpu.system) / 1000,
      });
    });
  });
}

/** What the simulator saw, for the workload's own hosts. */
function serverView(
  web: WorkloadWeb,
): Pick<WebRun, 'requests' | 'bodyBytes' | 'connections' | 'maxInFlightAtOneHost' | 'maxRequestsAtOneHost'> {
  const names = web.workload.hosts.flatMap((h) => [h.name, movedHostName(h.name)]);
  const perHost = new Map<string, number>();
  let requests = 0;
  for (const r of web.sim.requests) {
    if (r.host === INDEX_HOST) continue;
    requests++;
    perHost.set(r.host, (perHost.get(r.host) ?? 0) + 1);
  }
  return {
    requests,
    bodyBytes: web.meter.bodyBytes,
    connections: names.reduce((n, h) => n + web.sim.connections(h), 0),
    maxInFlightAtOneHost: Math.max(...names.map((h) => web.sim.inFlightMax(h))),
    maxRequestsAtOneHost: Math.max(0, ...perHost.values()),
  };
}

/** citewatch's runtime for the child: compiled when `dist/` is there. */
function citewatchRuntime(): { runtime: string; prefix: string[]; module: string } {
  if (existsSync(COMPILED_NET)) return { runtime: 'node dist', prefix: [], module: COMPILED_NET };
  return { runtime: 'tsx src', prefix: ['--import', 'tsx'], module: SOURCE_NET };
}

/**
 * citewatch's fetcher on a fresh simulator serving `workload`; `nodeFlags` go to the child's
 * `node` (e.g. `--max-semi-space-size=2`, to see what the heap sizing costs).
 */
export async function runCitewatch(
  label: string,
  workloadOptions: WorkloadOptions,
  latencyMs: number,
  settings: CitewatchSettings,
  nodeFlags: string[] = [],
): Promise<WebRun> {
  const web = await serveWorkload(generateWorkload(workloadOptions), latencyMs);
  try {
    const citewatch = citewatchRuntime();
    const { prefix, module } = citewatch;
    const runtime = [citewatch.runtime, ...nodeFlags].join(' ');
    const child = await runChild([
      ...nodeFlags,
      ...prefix,
      NET_CHILD,
      '--module',
      module,
      '--links',
      web.linksFile,
      '--hosts',
      web.hostsFile,
      '--per-host',
      String(settings.perHostConcurrency),
      '--interval',
      String(settings.perHostIntervalMs),
      '--concurrency',
      String(settings.concurrency ?? 64),
    ]);
    return {
      checker: label,
      runtime,
      ...child,
      ...serverView(web),
    };
  } finally {
    await web.close();
  }
}

/** linkinator on a fresh simulator: one page linking every URL of `workload`, no recursion. */
export async function runLinkinator(
  workloadOptions: WorkloadOptions,
  latencyMs: number,
  concurrency = 64,
): Promise<WebRun> {
  const workload = generateWorkload(workloadOptions);
  let indexHtml = '';
  const index: SimHost = {
    name: INDEX_HOST,
    routes: {
      '/': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(indexHtml);
      },
    },
  };
  const web = await serveWorkload(workload, latencyMs, [index]);
  try {
    const anchors = workload.links.map(
      (l) => `<li><a href="${web.sim.url(l.host, l.path)}">${l.path}</a></li>`,
    );
    indexHtml = `<!doctype html><html><head><title>links</title></head><body><ul>${anchors.join('\n')}</ul></body></html>`;
    const child = await runChild([
      LINKINATOR_CHILD,
      '--page',
      web.sim.url(INDEX_HOST, '/'),
      '--hosts',
      web.hostsFile,
      '--concurrency',
      String(concurrency),
    ]);
    return {
      checker: `linkinator 7.6.1 (concurrency ${concurrency}, no per-host limit)`,
      runtime: 'node',
      ...child,
      ...serverView(web),
      soft404Seen: 0,
      soft404Total: workload.links.filter((l) => l.kind === 'soft-404').length,
    };
  } finally {
    await web.close();
  }
}

export const FAST: CitewatchSettings = { perHostConcurrency: 8, perHostIntervalMs: 0 };
export const POLITE: CitewatchSettings = { perHostConcurrency: 2, perHostIntervalMs: 100 };

/** Alone, one run a line as JSON (`npm run bench` makes the table): --only fast|polite|linkinator|scale. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const links = quick ? 500 : 2000;
  const at = process.argv.indexOf('--only');
  const only = at === -1 ? undefined : process.argv[at + 1];
  const runs: WebRun[] = [];
  if (!only || only === 'fast') runs.push(await runCitewatch('citewatch fast', { links }, 20, FAST));
  if (!only || only === 'polite') runs.push(await runCitewatch('citewatch polite', { links }, 20, POLITE));
  if (!only || only === 'linkinator') runs.push(await runLinkinator({ links }, 20));
  if (!only || only === 'scale') {
    const scale = { links: quick ? 10_000 : 100_000, hosts: 500 };
    runs.push(await runCitewatch('citewatch scale', scale, 2, FAST));
  }
  for (const r of runs) console.log(JSON.stringify(r));
}
