/**
 * `npm run bench`: every benchmark of citewatch in one table, with the machine it ran on.
 *   extraction   MB/s per format over the real-article corpus and the seed; largest HTML page
 *   seed         extract + audit in-process (warm) and a whole offline CLI run
 *   web          2000 links, 50 hosts, Zipf, 20 ms: citewatch fast and polite, and linkinator
 *                7.6.1 on the same links, each in its own process, the simulator in this one
 *   cli          the same links cited by one wikitext article, checked by the whole CLI (CPU
 *                and peak RSS of the process) against linkinator, and the article --offline
 *   article      a real article (corpus toronto.txt, 134 links, 79 hosts) through the whole
 *                pipeline on a simulated web at a tenth of the default interval: pages alone,
 *                pages with a Wayback lookup for every link, and the next day's run
 *   scale        100 000 links over 500 hosts, 2 ms, fast settings: peak RSS and links/s
 *   articles     100, 1,000 and 10,000 articles (copies of the corpus) checked offline by the
 *                CLI: wall, CPU, peak RSS (flat when the run streams its articles)
 *   history      observations per second and bytes per observation in the state database
 *   wayback      Wayback lookups of 1 and 100 articles (134 links each) on the fake archive:
 *                one GET per link (0.1) against batched POSTs, requests per host and wall time
 *   audit-scale  50 000 references from one newspaper, and 50 000 citations in one paragraph
 *                (each format): extract + audit in a process of its own, wall and peak RSS
 *   page         readPage in-process on the workload's pages and on real pages: the cheerio
 *                reader it replaced against the scanner, CPU and allocation per MB
 * Flags: --quick (small sizes, a smoke check: the figures come from the full run),
 *        --only extract,seed,web,cli,article,scale,articles,history,wayback,audit-scale,page
 * It builds `dist/` first (`tsc -p tsconfig.build.json`): the CLI run and the fetcher's child
 * processes measure the compiled code under plain `node`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type ArticleWebRun, benchArticleWeb } from './article-web-bench.js';
import { ARTICLE_COUNTS, benchArticles, QUICK_ARTICLE_COUNTS } from './articles-bench.js';
import { benchAuditScale } from './audit-scale-bench.js';
import { benchCliWeb } from './cli-web-bench.js';
import { benchExtraction } from './extract-bench.js';
import { benchHistory } from './history-bench.js';
import { benchPageReading } from './page-bench.js';
import { benchSeedCli, benchSeedInProcess } from './seed-bench.js';
import { benchWayback, INTERVAL_MS as WAYBACK_INTERVAL_MS, type WaybackRun } from './wayback-bench.js';
import { FAST, POLITE, runCitewatch, runLinkinator, type WebRun } from './web-bench.js';

/**
 * A 2 MB young generation (V8 grows it to 16 MB): measured beside the defaults, not shipped —
 * it shrinks the fetcher's runs but swells a many-article run (the `articles` rows).
 */
const YOUNG_GEN_FLAG = '--max-semi-space-size=2';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECTIONS = [
  'extract',
  'seed',
  'web',
  'cli',
  'article',
  'scale',
  'articles',
  'history',
  'wayback',
  'audit-scale',
  'page',
] as const;
type Section = (typeof SECTIONS)[number];

/** One line of the table; empty cells print as '—'. */
interface Row {
  measurement: string;
  runtime: string;
  time?: string;
  throughput?: string;
  requestsPerLink?: string;
  kibPerLink?: string;
  inFlight?: string;
  rss?: string;
  target?: string;
  met?: string;
  notes?: string;
}

const COLUMNS: Array<[keyof Row, string]> = [
  ['measurement', 'measurement'],
  ['runtime', 'runs on'],
  ['time', 'wall / time'],
  ['throughput', 'throughput'],
  ['requestsPerLink', 'requests/link'],
  ['kibPerLink', 'KiB/link'],
  ['inFlight', 'most in flight at one host'],
  ['rss', 'peak RSS'],
  ['target', 'target'],
  ['met', 'met'],
  ['notes', 'notes'],
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const yes = (ok: boolean): string => (ok ? 'yes' : '**no**');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
const mb = (value: number): string => `${value.toFixed(0)} MB`;
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

function machineLine(loadAtStart: number): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const date = new Date().toISOString().slice(0, 10);
  // The load average says whether other work shared the cores while this ran.
  return `Machine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}, Node ${process.version}; load average ${loadAtStart.toFixed(1)} at the start; ${date}.`;
}

function build(): void {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (tsc.status !== 0) {
    process.stderr.write(`bench: the build reported errors; measuring what it emitted\n${tsc.stdout}`);
  }
  if (!existsSync(`${ROOT}/dist/cli.js`)) throw new Error('bench: dist/cli.js is missing after the build');
  // The CLI benches run what bin/citewatch.js runs: the bundle.
  const bundle = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`bench: the CLI bundle failed to build\n${bundle.stderr}`);
}

function extractionRows(quick: boolean): Row[] {
  const { formats, largestHtml } = benchExtraction({ quick });
  const rows: Row[] = formats.map((f) => {
    const what =
      f.format === 'markdown'
        ? `seed Markdown (${f.files} file, ${kib(f.bytes)})`
        : `${f.files} ${f.format} ${f.format === 'html' ? 'pages' : 'articles'} (${kib(f.bytes)})`;
    const wikitext = f.format === 'wikitext';
    return {
      measurement: `extract ${f.format}: ${what}`,
      runtime: 'tsx, in-process, warm',
      throughput: `${f.mbPerSecond.toFixed(1)} MB/s`,
      ...(wikitext && { target: '≥ 10 MB/s', met: yes(f.mbPerSecond >= 10) }),
      notes: `${f.source}; ${f.references} references`,
    };
  });
  if (largestHtml) {
    rows.push({
      measurement: `extract the largest HTML page (${kib(largestHtml.bytes)})`,
      runtime: 'tsx, in-process, warm',
      time: `${largestHtml.medianMs.toFixed(1)} ms`,
      throughput: `${largestHtml.msPerMb.toFixed(0)} ms per MB`,
      target: '≤ 150 ms per 1 MB page',
      met: yes(largestHtml.msPerMb <= 150),
      notes: `${largestHtml.path.split('/').at(-1)}; median of runs, scaled to 1 MB`,
    });
  }
  return rows;
}

function seedRows(quick: boolean): Row[] {
  const inProcess = benchSeedInProcess(quick ? 10 : 50);
  const cli = benchSeedCli(quick ? 3 : 5);
  return [
    {
      measurement: 'seed: extract + audit',
      runtime: 'tsx, in-process, warm',
      time: `${inProcess.totalMs.toFixed(1)} ms`,
      target: '≤ 300 ms',
      met: yes(inProcess.totalMs <= 300),
      notes: `extract ${inProcess.extractMs.toFixed(1)} ms + audit ${inProcess.auditMs.toFixed(1)} ms; median of ${quick ? 10 : 50}`,
    },
    {
      measurement: `seed: whole CLI run (check references/ --offline${cli.withState ? ' --state' : ''})`,
      runtime: 'node dist, new process',
      time: `${cli.cliMs.toFixed(0)} ms`,
      target: '≤ 1 s',
      met: yes(cli.cliMs <= 1000),
      notes: `median of ${quick ? 3 : 5}`,
    },
  ];
}

/** The run of median wall time among `runs` (its other figures come with it). */
function medianRun(runs: WebRun[]): WebRun {
  const wall = median(runs.map((r) => r.wallMs));
  return runs.find((r) => r.wallMs === wall)!;
}

/** CPU seconds of the checker's process and of the simulator while it ran. */
const cpu = (r: WebRun): string =>
  `CPU: checker ${((r.cpuMs ?? 0) / 1000).toFixed(2)} s, simulator ${((r.serverCpuMs ?? 0) / 1000).toFixed(2)} s`;

function webRow(r: WebRun, measurement: string, extra: Partial<Row> = {}): Row {
  return {
    measurement,
    runtime: r.runtime,
    time: seconds(r.wallMs),
    throughput: `${count(r.links / (r.wallMs / 1000))} links/s`,
    requestsPerLink: (r.requests / r.links).toFixed(3),
    kibPerLink: (r.bodyBytes / 1024 / r.links).toFixed(1),
    inFlight: String(r.maxInFlightAtOneHost),
    rss: mb(r.peakRssMb),
    ...extra,
  };
}

async function webRows(quick: boolean): Promise<Row[]> {
  const links = quick ? 500 : 2000;
  const repeat = quick ? 1 : 3;
  const fastRuns: WebRun[] = [];
  const linkinatorRuns: WebRun[] = [];
  // Alternated, so that both see the machine in the same state.
  for (let i = 0; i < repeat; i++) {
    fastRuns.push(await runCitewatch('citewatch fast', { links }, 20, FAST));
    linkinatorRuns.push(await runLinkinator({ links }, 20));
  }
  const fast = medianRun(fastRuns);
  const linkinator = medianRun(linkinatorRuns);
  const polite = await runCitewatch('citewatch polite', { links }, 20, POLITE);
  const lean = await runCitewatch('citewatch fast', { links }, 20, FAST, [YOUNG_GEN_FLAG]);
  const bound = polite.maxRequestsAtOneHost * POLITE.perHostIntervalMs;
  const rssTarget = 120;
  const of = `${links} links, 50 hosts`;
  const checked = (r: WebRun): string =>
    `${r.wrong} wrong statuses; ${r.soft404Seen}/${r.soft404Total} soft-404 bodies read; ${r.connections} connections; ${cpu(r)}`;
  return [
    webRow(fast, `web, ${of}: citewatch fast (8 per host, no interval)`, {
      target: `wall ≤ linkinator's; RSS ≤ ${rssTarget} MB`,
      met: `wall ${yes(fast.wallMs <= linkinator.wallMs)}, whole process ${yes(fast.processMs <= linkinator.processMs)}; RSS ${yes(fast.peakRssMb <= rssTarget)}`,
      notes: `whole process ${seconds(fast.processMs)} (linkinator ${seconds(linkinator.processMs)}); no run at 8 per host can beat ${seconds((fast.maxRequestsAtOneHost * 20) / FAST.perHostConcurrency)} (heaviest host's ${fast.maxRequestsAtOneHost} requests × 20 ms / 8); ${checked(fast)}; median of ${repeat} (RSS of the same run: ${fastRuns.map((r) => mb(r.peakRssMb)).join(', ')})`,
    }),
    webRow(linkinator, `web, ${of}: linkinator 7.6.1 (its defaults, concurrency 64)`, {
      notes: `${linkinator.wrong} wrong statuses; soft 404s reported OK: ${linkinator.soft404Total}; ${linkinator.connections} connections; ${cpu(linkinator)}; median of ${repeat} (RSS: ${linkinatorRuns.map((r) => mb(r.peakRssMb)).join(', ')})`,
    }),
    webRow(polite, `web, ${of}: citewatch polite (2 per host, 100 ms interval)`, {
      target: '≤ 1.05 × bound',
      met: yes(polite.wallMs <= 1.05 * bound),
      notes: `bound ${seconds(bound)} (heaviest host's ${polite.maxRequestsAtOneHost} requests × 100 ms): ×${(polite.wallMs / bound).toFixed(3)}; ${checked(polite)}`,
    }),
    webRow(lean, `web, ${of}: citewatch fast, node ${YOUNG_GEN_FLAG} (not shipped: see the articles rows)`, {
      target: `RSS ≤ ${rssTarget} MB`,
      met: yes(lean.peakRssMb <= rssTarget),
      notes: `the same run with a 2 MB young generation (V8 grows it to 16 MB); whole process ${seconds(lean.processMs)}; ${checked(lean)}`,
    }),
  ];
}

/** The issue-14 comparison: the whole CLI on one 2000-reference article against linkinator, CPU first. */
async function cliRows(quick: boolean): Promise<Row[]> {
  const r = await benchCliWeb(quick);
  const pick = <T extends { cpuMs?: number | undefined }>(runs: T[]): T => {
    const cpu = median(runs.map((x) => x.cpuMs ?? 0));
    return runs.find((x) => (x.cpuMs ?? 0) === cpu)!;
  };
  const cw = pick(r.citewatch);
  const off = pick(r.offline);
  const lk = pick(r.linkinator.map((l) => ({ ...l, cpuMs: l.processCpuMs ?? 0 })));
  const all = (xs: Array<{ cpuMs?: number | undefined }>): string =>
    xs.map((x) => seconds(x.cpuMs ?? 0)).join(', ');
  const of = `one wikitext article citing ${cw.links} links (50 hosts, Zipf, 20 ms)`;
  return [
    {
      measurement: `CLI: ${of}, citewatch check, 8 per host, no interval`,
      runtime: 'node dist, new process',
      time: seconds(cw.wallMs),
      inFlight: String(cw.maxInFlightAtOneHost),
      rss: mb(cw.peakRssMb),
      target: "CPU ≤ linkinator's; RSS ≤ linkinator's",
      met: `CPU ${yes(cw.cpuMs <= lk.cpuMs)}; RSS ${yes(cw.peakRssMb <= lk.peakRssMb)}`,
      notes: `CPU ${seconds(cw.cpuMs)} (${(cw.cpuMs / cw.links).toFixed(2)} ms a link; runs: ${all(r.citewatch)}); whole process, Node's start, imports, extraction, audit, the check and the reports; ${cw.requests} requests`,
    },
    {
      measurement: `CLI: the same links, linkinator 7.6.1 (concurrency 64)`,
      runtime: 'node, new process',
      time: seconds(lk.wallMs),
      inFlight: String(lk.maxInFlightAtOneHost),
      rss: mb(lk.peakRssMb),
      notes: `CPU ${seconds(lk.cpuMs)} (${(lk.cpuMs / lk.links).toFixed(2)} ms a link; runs: ${all(r.linkinator.map((l) => ({ cpuMs: l.processCpuMs })))}); whole process; reads no page body`,
    },
    {
      measurement: `CLI: the same article, citewatch check --offline`,
      runtime: 'node dist, new process',
      time: seconds(off.wallMs),
      rss: mb(off.peakRssMb),
      target: '≤ 0.5 s CPU',
      met: yes(off.cpuMs <= 500),
      notes: `CPU ${seconds(off.cpuMs)} (runs: ${all(r.offline)})`,
    },
  ];
}

async function articleRows(): Promise<Row[]> {
  const r = await benchArticleWeb();
  const [pages, first, next] = r.runs as [ArticleWebRun, ArticleWebRun, ArticleWebRun];
  const of = `article: toronto.txt, ${r.links} links over ${r.hosts} hosts, 20 ms, 2 per host 100 ms apart`;
  return [
    {
      measurement: `${of}: ${pages.label}`,
      runtime: 'tsx, in-process pipeline',
      time: seconds(pages.wallMs),
      notes: `${pages.requests} requests; heaviest host ${pages.heaviestHost} requests (bound ${seconds(pages.heaviestHost * 100)})`,
    },
    {
      measurement: `${of}: ${first.label}`,
      runtime: 'tsx, in-process pipeline',
      time: seconds(first.wallMs),
      target: 'the longer of pages and lookups, not their sum',
      met: yes(first.wallMs < pages.wallMs + r.lookupBoundMs),
      notes: `${first.requests} requests: ${first.lookups} availability lookups at archive.org, ${first.webArchive} CDX lookups and archive copies at web.archive.org (the longer queue alone ${seconds(r.lookupBoundMs)} at the per-host interval; with the pages' ${seconds(pages.wallMs)}, ${seconds(pages.wallMs + r.lookupBoundMs)} one after the other)`,
    },
    {
      measurement: `${of}: ${next.label}`,
      runtime: 'tsx, in-process pipeline',
      time: seconds(next.wallMs),
      notes: `${next.requests} requests, ${next.lookups} lookups: alive pages reused (7-day cadence), snapshots from the history`,
    },
  ];
}

async function scaleRows(quick: boolean): Promise<Row[]> {
  const links = quick ? 10_000 : 100_000;
  const workload = { links, hosts: 500 };
  const plain = await runCitewatch('citewatch scale', workload, 2, FAST);
  const lean = await runCitewatch('citewatch scale', workload, 2, FAST, [YOUNG_GEN_FLAG]);
  const row = (r: WebRun, how: string): Row =>
    webRow(r, `scale: ${count(links)} links, 500 hosts, 2 ms latency, citewatch fast${how}`, {
      target: 'RSS ≤ 250 MB',
      met: yes(r.peakRssMb <= 250),
      notes: `all links handed over at once (one fetchEach, as the checker does); most fetches built at once ${count(r.mostFetchesBuilt ?? 0)}; heaviest host ${count(r.maxRequestsAtOneHost)} requests; ${r.wrong} wrong statuses; ${cpu(r)}`,
    });
  return [row(plain, ''), row(lean, `, node ${YOUNG_GEN_FLAG} (not shipped)`)];
}

/**
 * Wayback lookups, before (one GET per link) and after (batches): 1 and 100 articles after, 1
 * and 10 before (100 articles one GET at a time take minutes even at the short interval; the
 * request counts, and so the projection, grow exactly with the articles).
 */
async function waybackRows(quick: boolean): Promise<Row[]> {
  const runs: WaybackRun[] = [];
  for (const articles of quick ? [1] : [1, 10]) runs.push(await benchWayback(articles, 'before'));
  for (const articles of quick ? [1, 10] : [1, 100]) runs.push(await benchWayback(articles, 'after'));
  const hours = (ms: number): string =>
    ms >= 3_600_000
      ? `${(ms / 3_600_000).toFixed(1)} h`
      : ms >= 60_000
        ? `${(ms / 60_000).toFixed(1)} min`
        : seconds(ms);
  return runs.map((r) => ({
    measurement: `wayback: ${r.articles} article${r.articles === 1 ? '' : 's'} × 134 links, ${r.strategy === 'before' ? 'one availability GET a link, CDX when empty (0.1)' : 'batched POSTs, before then after, CDX when empty'}`,
    runtime: `tsx, in-process, ${WAYBACK_INTERVAL_MS} ms per-host interval`,
    time: seconds(r.wallMs),
    requestsPerLink: ((r.availability + r.cdx) / r.lookups).toFixed(3),
    target: 'fewer requests at archive.org',
    met: r.strategy === 'after' ? yes(r.availability < r.lookups / 10) : '—',
    notes: `${r.availability} availability + ${r.cdx} CDX requests (${((r.availability + r.cdx) / r.articles).toFixed(0)} an article); at archive.org's 1 request/s: ${hours(r.projectedMs)}; ${r.found} found, ${r.none} none, ${r.failed} failed`,
  }));
}

function articlesRows(quick: boolean): Row[] {
  return benchArticles(quick ? QUICK_ARTICLE_COUNTS : ARTICLE_COUNTS).map((r) => ({
    measurement: `articles: ${count(r.articles)} wikitext articles (${mb(r.inputBytes / 1048576)} of input), check --offline`,
    runtime: 'node dist, new process',
    time: seconds(r.wallMs),
    throughput: `${count(r.articles / (r.wallMs / 1000))} articles/s`,
    rss: mb(r.peakRssMb),
    target: 'RSS ≤ 300 MB at every size',
    met: yes(r.peakRssMb <= 300),
    notes: `CPU ${seconds(r.cpuMs)} (${(r.cpuMs / r.articles).toFixed(1)} ms an article)`,
  }));
}

function historyRows(): Row[] {
  const { rows, lookupsPerSecond } = benchHistory();
  const perObservation = (bytes: number, observations: number): string =>
    `${(bytes / observations).toFixed(0)} B`;
  return [
    ...rows.map(
      (h): Row => ({
        measurement: `history: ${count(h.observations)} observations, ${h.mode}`,
        runtime: 'tsx, better-sqlite3, WAL',
        time: seconds(h.seconds * 1000),
        throughput: `${count(h.perSecond)} observations/s`,
        notes: `${perObservation(h.bytes, h.observations)} per observation on disk`,
      }),
    ),
    {
      measurement: 'history: previous(url), 50 observations each',
      runtime: 'tsx, better-sqlite3, WAL',
      throughput: `${count(lookupsPerSecond)} lookups/s`,
    },
  ];
}

function auditScaleRows(quick: boolean): Row[] {
  return benchAuditScale({ quick }).map((r) => ({
    measurement: `audit scale: ${r.label} (${r.format}, ${(r.inputBytes / 1048576).toFixed(1)} MB)`,
    runtime: 'node dist, new process',
    time: r.ok ? seconds(r.wallMs) : `failed: ${r.error}`,
    rss: Number.isNaN(r.peakRssMb) ? '—' : mb(r.peakRssMb),
    target: 'no crash (time: near-linear, see bench/README)',
    met: yes(r.ok),
    notes: r.ok
      ? `extract ${seconds(r.extractMs ?? 0)} + audit ${seconds(r.auditMs ?? 0)}; ${count(r.references ?? 0)} references, ${count(r.citations ?? 0)} citations, ${r.duplicates} duplicate findings`
      : '',
  }));
}

function pageRows(quick: boolean): Row[] {
  return benchPageReading(quick).flatMap((r) =>
    (
      [
        ['before: cheerio parse and tree walk', r.before],
        ['after: one scan, no tree', r.after],
      ] as const
    ).map(([how, run]) => ({
      measurement: `readPage, ${r.set.name} (${kib(r.set.bytes)}): ${how}`,
      runtime: 'tsx, in-process, warm',
      throughput: `${median(run.cpuMsPerMb).toFixed(1)} ms CPU per MB`,
      notes: `rounds: ${run.cpuMsPerMb.map((x) => x.toFixed(1)).join(', ')} ms/MB; allocated ${median(run.allocatedMbPerMb).toFixed(1)} MB and GC ${median(run.gcMsPerMb).toFixed(1)} ms per MB of body`,
    })),
  );
}

function table(rows: Row[]): string {
  const cell = (s: string): string => s.replaceAll('|', '\\|');
  const lines = [
    `| ${COLUMNS.map(([, title]) => title).join(' | ')} |`,
    `| --- | --- | ${COLUMNS.slice(2, -3)
      .map(() => '---:')
      .join(' | ')} | --- | --- | --- |`,
  ];
  for (const row of rows) lines.push(`| ${COLUMNS.map(([key]) => cell(row[key] ?? '—')).join(' | ')} |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const onlyAt = process.argv.indexOf('--only');
  const only = new Set(
    onlyAt === -1 ? SECTIONS : (process.argv[onlyAt + 1] ?? '').split(',').map((s) => s.trim() as Section),
  );
  for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`bench: unknown section ${s}`);
  const loadAtStart = loadavg()[0]!;
  process.chdir(ROOT);
  build();
  const rows: Row[] = [];
  const step = (name: string): void => void process.stderr.write(`bench: ${name}…\n`);
  if (only.has('extract')) {
    step('extraction');
    rows.push(...extractionRows(quick));
  }
  if (only.has('seed')) {
    step('seed');
    rows.push(...seedRows(quick));
  }
  if (only.has('web')) {
    step('web workload (about a minute)');
    rows.push(...(await webRows(quick)));
  }
  if (only.has('cli')) {
    step('one 2000-link article through the CLI, and linkinator (about 2 minutes)');
    rows.push(...(await cliRows(quick)));
  }
  if (only.has('article')) {
    step('article on a simulated web (about 15 s)');
    rows.push(...(await articleRows()));
  }
  if (only.has('scale')) {
    step('scale (about 30 s)');
    rows.push(...(await scaleRows(quick)));
  }
  if (only.has('articles')) {
    step('many articles (about 40 s)');
    rows.push(...articlesRows(quick));
  }
  if (only.has('history')) {
    step('history');
    rows.push(...historyRows());
  }
  if (only.has('wayback')) {
    step('wayback lookups (about a minute)');
    rows.push(...(await waybackRows(quick)));
  }
  if (only.has('audit-scale')) {
    step('audit scale (about a minute)');
    rows.push(...auditScaleRows(quick));
  }
  if (only.has('page')) {
    step('page reading');
    rows.push(...pageRows(quick));
  }
  console.log(machineLine(loadAtStart));
  if (quick)
    console.log('Quick run (--quick): sizes shrunk for a smoke check; the figures come from the full run.');
  console.log('');
  console.log(table(rows));
}

await main();
