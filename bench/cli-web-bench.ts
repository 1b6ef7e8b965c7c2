/**
 * The issue-14 workload through the whole CLI: one wikitext article citing the web bench's 2000
 * links (50 hosts, Zipf, 20 ms) checked by `citewatch check` in a process of its own
 * (`cli-child.mjs`: the compiled CLI, the simulated names answered by a patched `dns.lookup`),
 * fast settings (8 per host, no interval), next to linkinator 7.6.1 on the same links and the
 * same article `--offline`. CPU is the whole child process (user + system, Node's start and
 * the imports included) from `process.resourceUsage()`, the figure load barely changes.
 * Run alone: npx tsx bench/cli-web-bench.ts [--quick] [--rounds N] [--online-only]
 *   [--before OTHER/bin/cli-script.js]   (another build, run online first in each round; a
 *                                        build without that loader: OTHER/dist/cli.bundle.js)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, runLinkinator, serveWorkload, type WebRun } from './web-bench.js';
import { generateWorkload, type WorkloadOptions } from './workload.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI_CHILD = join(ROOT, 'bench', 'cli-child.mjs');

export interface CliRun {
  label: string;
  links: number;
  wallMs: number;
  /** Spawn to exit. */
  processMs: number;
  /** User + system CPU of the whole child process. */
  cpuMs: number;
  peakRssMb: number;
  /** Requests the simulated sites received. */
  requests: number;
  maxInFlightAtOneHost: number;
  /** CPU of the simulator (the parent) while the child ran. */
  serverCpuMs: number;
}

/** A wikitext article with one `{{cite web}}` reference per URL (its site as the website). */
export function articleCiting(urls: readonly string[]): string {
  const refs = urls.map(
    (url, i) =>
      `Claim ${i + 1} of the benchmark article.<ref>{{cite web |url=${url} |title=Source ${i + 1} |website=${new URL(url).hostname} |date=2025-03-0${(i % 9) + 1} |access-date=2026-01-05}}</ref>`,
  );
  const paragraphs: string[] = [];
  for (let i = 0; i < refs.length; i += 10) paragraphs.push(refs.slice(i, i + 10).join(' '));
  return `'''Benchmark''' is an article of the bench.\n\n${paragraphs.join('\n\n')}\n\n== References ==\n{{reflist}}\n`;
}

/**
 * One CLI run over the workload's article; `offline` checks nothing over the network; `cli` is
 * the compiled CLI to run (another build, for a before/after); `nodeFlags` go to its `node`.
 */
export async function runCli(
  workloadOptions: WorkloadOptions,
  latencyMs: number,
  {
    offline = false,
    cli = join(ROOT, 'bin', 'cli-script.js'),
    nodeFlags = [],
  }: { offline?: boolean; cli?: string | undefined; nodeFlags?: string[] } = {},
): Promise<CliRun> {
  const web = await serveWorkload(generateWorkload(workloadOptions), latencyMs);
  try {
    const urls = web.workload.links.map((l) => web.sim.url(l.host, l.path));
    const article = join(web.dir, 'bench-article.wiki');
    writeFileSync(article, articleCiting(urls));
    const out = join(web.dir, 'out');
    const child = await runChild([
      ...nodeFlags,
      CLI_CHILD,
      '--cli',
      cli,
      '--hosts',
      web.hostsFile,
      '--',
      'check',
      article,
      '--out',
      out,
      '--state',
      join(web.dir, 'state.sqlite'),
      '--now',
      '2026-11-20T00:00:00Z',
      '--allow-network',
      '127.0.0.0/8',
      '--per-host-concurrency',
      '8',
      '--per-host-interval',
      '0',
      '--snapshots',
      'none',
      '--quiet',
      ...(offline ? ['--offline'] : []),
    ]);
    const sites = web.workload.hosts.flatMap((h) => [h.name, `new-${h.name}`]);
    return {
      label: offline ? 'citewatch check --offline' : 'citewatch check (8 per host, no interval)',
      links: urls.length,
      wallMs: child.wallMs,
      processMs: child.processMs,
      cpuMs: child.cpuMs ?? 0,
      peakRssMb: child.peakRssMb,
      requests: web.sim.requests.length,
      maxInFlightAtOneHost: Math.max(...sites.map((h) => web.sim.inFlightMax(h))),
      serverCpuMs: child.serverCpuMs ?? 0,
    };
  } finally {
    await web.close();
  }
}

export interface CliComparison {
  citewatch: CliRun[];
  /** Another build's runs (`--before`), alternated with this build's. */
  before: CliRun[];
  offline: CliRun[];
  linkinator: WebRun[];
}

export interface CliBenchOptions {
  quick?: boolean;
  /** Rounds of (before,) citewatch, linkinator (, offline). @default 3, 1 when quick */
  rounds?: number;
  /** Another build's `bin/cli-script.js` (or `dist/cli.bundle.js`), run online in each round before this one. */
  before?: string;
  /** Skip the `--offline` runs. */
  onlineOnly?: boolean;
}

/** `rounds` of each, alternated so the checkers see the machine in the same state. */
export async function benchCliWeb(options: CliBenchOptions | boolean = {}): Promise<CliComparison> {
  const {
    quick = false,
    rounds,
    before,
    onlineOnly = false,
  } = typeof options === 'boolean' ? { quick: options } : options;
  const links = quick ? 500 : 2000;
  const repeat = rounds ?? (quick ? 1 : 3);
  const result: CliComparison = { citewatch: [], before: [], offline: [], linkinator: [] };
  for (let i = 0; i < repeat; i++) {
    if (before) result.before.push({ ...(await runCli({ links }, 20, { cli: before })), label: 'before' });
    result.citewatch.push(await runCli({ links }, 20));
    result.linkinator.push(await runLinkinator({ links }, 20));
    if (!onlineOnly) result.offline.push(await runCli({ links }, 20, { offline: true }));
  }
  return result;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const argValue = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const rounds = argValue('rounds');
  const r = await benchCliWeb({
    quick: process.argv.includes('--quick'),
    ...(rounds !== undefined && { rounds: Number(rounds) }),
    before: argValue('before'),
    onlineOnly: process.argv.includes('--online-only'),
  });
  for (const run of [...r.before, ...r.citewatch, ...r.offline]) console.log(JSON.stringify(run));
  const linkinator = r.linkinator.map((run) => ({
    label: 'linkinator',
    wallMs: run.wallMs,
    processMs: run.processMs,
    cpuMs: run.processCpuMs ?? 0,
    peakRssMb: run.peakRssMb,
    maxInFlightAtOneHost: run.maxInFlightAtOneHost,
  }));
  for (const run of linkinator) console.log(JSON.stringify(run));
  const rows: Array<[string, Array<{ cpuMs: number; peakRssMb: number }>]> = [
    ['before (--before)', r.before],
    ['citewatch check', r.citewatch],
    ['linkinator', linkinator],
    ['citewatch --offline', r.offline],
  ];
  for (const [label, runs] of rows) {
    if (runs.length === 0) continue;
    const cpu = runs.map((x) => x.cpuMs / 1000);
    const rss = runs.map((x) => x.peakRssMb);
    console.log(
      `${label}: CPU ${cpu.map((c) => c.toFixed(2)).join(', ')} s (median ${median(cpu).toFixed(2)}); ` +
        `peak RSS ${rss.map((m) => m.toFixed(0)).join(', ')} MB (median ${median(rss).toFixed(0)})`,
    );
  }
}
