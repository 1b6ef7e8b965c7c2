/**
 * A real article checked with a network: `toronto.txt` of the corpus (145 URLs; the seed in
 * `references/` has none — its links were stripped when it was exported) on a simulated web.
 * Every host the article cites is a loopback server (its pages live, 20 ms), the services are simulated
 * (Wayback availability with a capture for every other page, CDX, DOI), and the whole pipeline
 * runs in-process (`runCheck`) at a tenth of the default interval (2 in flight, 100 ms apart),
 * so that the figures scale by 10 to the real defaults. Three runs:
 *   - `--snapshots dead`: the pages alone (live pages get no lookup);
 *   - `--snapshots all`, first run: pages and a Wayback lookup for every page, side by side;
 *   - `--snapshots all`, a day later: the history answers the lookups.
 * Run alone: npx tsx bench/article-web-bench.ts
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveCheckOptions } from '../src/options.js';
import { runCheck } from '../src/pipeline.js';
import { cdxService, doiService, simulatedEndpoints, waybackService } from '../tests/support/services.js';
import { behaviours, type Simulator, startSimulator } from '../tests/support/simulator.js';

const ARTICLE = '/work/shared/corpus/wikitext/toronto.txt';
/** Service host names the simulator plays (not counted as the article's pages). */
const SERVICES = new Set(['archive.org', 'web.archive.org', 'doi.org']);
const URL_PREFIX = /https?:\/\/([A-Za-z0-9.-]+)(?::\d+)?/g;
const INTERVAL_MS = 100;

export interface ArticleWebRun {
  label: string;
  wallMs: number;
  /** Requests the simulated hosts received, pages and services. */
  requests: number;
  /** Requests to the Wayback availability API (archive.org). */
  lookups: number;
  /** Requests to web.archive.org: CDX lookups, and the article's own archive copies checked as pages. */
  webArchive: number;
  /** Most requests one page host received. */
  heaviestHost: number;
}

export interface ArticleWebResult {
  hosts: number;
  links: number;
  runs: ArticleWebRun[];
  /**
   * What the archive's requests alone take: each archive host is one queue at the per-host
   * interval (availability at archive.org, CDX and archive copies at web.archive.org), so the
   * longer queue × interval.
   */
  lookupBoundMs: number;
}

export async function benchArticleWeb(): Promise<ArticleWebResult> {
  const seed = readFileSync(ARTICLE, 'utf8');
  const hosts = [...new Set([...seed.matchAll(URL_PREFIX)].map((m) => m[1]!.toLowerCase()))].filter(
    (h) => !SERVICES.has(h),
  );
  const captures: Parameters<typeof waybackService>[0] = {};
  const page = behaviours.ok();
  const sim: Simulator = await startSimulator([
    ...hosts.map((name) => ({ name, latencyMs: 20, fallback: page })),
    // The service hosts also serve the article's own links to them (archive copies, items).
    { ...waybackService(captures), fallback: page },
    { ...cdxService({}), fallback: page },
    { ...doiService({}), fallback: page },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'cw-article-web-'));
  try {
    // The seed with its URLs pointing at the simulator (http, each host's own port).
    const rewritten = seed.replace(URL_PREFIX, (_whole, host: string) =>
      sim.url(host.toLowerCase(), '/').slice(0, -1),
    );
    const input = join(dir, 'toronto.wiki');
    writeFileSync(input, rewritten);
    const links = [...new Set([...rewritten.matchAll(/http:\/\/[^\s)\]>"|]+/g)].map((m) => m[0]))];
    links.forEach((url, i) => {
      if (i % 2 === 0) captures[url] = [{ timestamp: '20240101000000' }];
    });

    const run = async (label: string, state: string, now: string, snapshots: 'all' | 'dead') => {
      const before = sim.requests.length;
      const options = resolveCheckOptions({
        inputs: [input],
        out: join(dir, `out-${label.replace(/\W+/g, '-')}`),
        state: join(dir, state),
        now,
        allowNetwork: ['127.0.0.0/8'],
        endpoint: Object.entries(simulatedEndpoints(sim)).map(([k, v]) => `${k}=${v}`),
        perHostInterval: INTERVAL_MS,
        snapshots,
      });
      const t0 = performance.now();
      await runCheck(options, { fetcherDeps: { lookup: sim.lookup } });
      const wallMs = performance.now() - t0;
      const requests = sim.requests.slice(before);
      const perHost = new Map<string, number>();
      for (const r of requests)
        if (!SERVICES.has(r.host)) perHost.set(r.host, (perHost.get(r.host) ?? 0) + 1);
      return {
        label,
        wallMs,
        requests: requests.length,
        lookups: requests.filter((r) => r.host === 'archive.org').length,
        webArchive: requests.filter((r) => r.host === 'web.archive.org').length,
        heaviestHost: Math.max(0, ...perHost.values()),
      };
    };
    const pagesOnly = await run(
      'pages only (--snapshots dead)',
      'dead.sqlite',
      '2026-11-29T03:00:00Z',
      'dead',
    );
    const first = await run('first run (--snapshots all)', 'all.sqlite', '2026-11-29T03:00:00Z', 'all');
    const next = await run('a day later (--snapshots all)', 'all.sqlite', '2026-11-30T03:00:00Z', 'all');
    return {
      hosts: hosts.length,
      links: links.length,
      runs: [pagesOnly, first, next],
      lookupBoundMs: Math.max(first.lookups, first.webArchive) * INTERVAL_MS,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchArticleWeb();
  console.log(
    `${result.links} links over ${result.hosts} hosts; the archive's requests alone: ${result.lookupBoundMs} ms`,
  );
  for (const r of result.runs) console.log(JSON.stringify(r));
}
