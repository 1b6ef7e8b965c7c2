/**
 * Wayback lookups for whole articles, against the loopback fake Wayback (availability API and
 * CDX), with archive.org's politeness simulated by the fetcher's per-host interval. An article
 * here is 134 dated links (the size of `toronto.txt`): 70 % archived before the access date,
 * 10 % only after it, 20 % not archived at all (availability and CDX both empty). Two ways:
 *   - before (citewatch 0.1): one availability GET per link, CDX when it answers empty;
 *   - after: `WaybackClient` — availability queries in batched POSTs (`Wayback-Api-Version: 2`),
 *     closest before the date then after, CDX for what stays empty.
 * Requests per archive host are exact and independent of the machine; the wall time is measured
 * at a short interval (`INTERVAL_MS`) and projected to archive.org's 1 request/s from the
 * busiest archive host's request count (the lookups are interval-bound: see the measured walls).
 * Run alone: npx tsx bench/wayback-bench.ts [--quick]
 */
import { performance } from 'node:perf_hooks';
import { availabilitySnapshot, cdxSnapshot, WaybackClient } from '../src/archive/index.js';
import { createFetcher, fetcherOptionsFromDefaults } from '../src/net/index.js';
import { type Capture, cdxService, waybackService } from '../tests/support/services.js';
import { type Simulator, startSimulator } from '../tests/support/simulator.js';

/** The simulated interval between request starts at one host (archive.org's is ~1000 ms). */
export const INTERVAL_MS = 5;
const REAL_INTERVAL_MS = 1000;
const LINKS_PER_ARTICLE = 134;
const ACCESS_DATE = '2020-06-15';

export interface WaybackRun {
  strategy: 'before' | 'after';
  articles: number;
  lookups: number;
  wallMs: number;
  /** Requests to the availability host and the CDX host. */
  availability: number;
  cdx: number;
  /** Lookups that found a capture / found none / failed (they must agree between the two). */
  found: number;
  none: number;
  failed: number;
  /** The busiest archive host's requests × 1 s: the run at archive.org's rate. */
  projectedMs: number;
}

function workload(articles: number): { urls: string[]; table: Record<string, Capture[]> } {
  const urls: string[] = [];
  const table: Record<string, Capture[]> = {};
  for (let a = 0; a < articles; a++) {
    for (let i = 0; i < LINKS_PER_ARTICLE; i++) {
      const url = `https://site${i % 79}.example/article-${a}/story-${i}`;
      urls.push(url);
      const kind = i % 10;
      if (kind < 7) table[url] = [{ timestamp: '20190301000000' }, { timestamp: '20211101000000' }];
      else if (kind === 7) table[url] = [{ timestamp: '20210101000000' }];
    }
  }
  return { urls, table };
}

export async function benchWayback(articles: number, strategy: 'before' | 'after'): Promise<WaybackRun> {
  const { urls, table } = workload(articles);
  const sim: Simulator = await startSimulator([waybackService(table), cdxService(table)]);
  const fetcher = createFetcher(
    fetcherOptionsFromDefaults({
      allowNetwork: ['127.0.0.0/8'],
      perHostIntervalMs: INTERVAL_MS,
      perHostConcurrency: 2,
    }),
    { lookup: sim.lookup },
  );
  const endpoints = {
    wayback: sim.url('archive.org', '/wayback/available'),
    cdx: sim.url('web.archive.org', '/cdx/search/cdx'),
  };
  const origins = [endpoints.wayback, endpoints.cdx];
  const client = new WaybackClient(fetcher, { endpoints });
  const tally = { found: 0, none: 0, failed: 0 };
  const started = performance.now();
  try {
    await Promise.all(
      urls.map(async (url) => {
        let answer: Awaited<ReturnType<WaybackClient['find']>>;
        if (strategy === 'after') answer = await client.find(url, ACCESS_DATE);
        else {
          // citewatch 0.1: one availability GET, CDX when it is empty.
          answer = await availabilitySnapshot(
            fetcher,
            endpoints.wayback,
            url,
            '20200615000000',
            'before',
            origins,
          );
          if (answer.status === 'none')
            answer = await cdxSnapshot(fetcher, endpoints.cdx, url, '20200615000000', 10, origins);
        }
        tally[answer.status]++;
      }),
    );
  } finally {
    await fetcher.close();
  }
  const wallMs = performance.now() - started;
  const availability = sim.requests.filter((r) => r.host === 'archive.org').length;
  const cdx = sim.requests.filter((r) => r.host === 'web.archive.org').length;
  await sim.close();
  return {
    strategy,
    articles,
    lookups: urls.length,
    wallMs,
    availability,
    cdx,
    ...tally,
    projectedMs: Math.max(availability, cdx) * REAL_INTERVAL_MS,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.includes('--quick') ? [1, 10] : [1, 100];
  for (const articles of sizes)
    for (const strategy of ['before', 'after'] as const) {
      const r = await benchWayback(articles, strategy);
      process.stdout.write(`${JSON.stringify(r)}\n`);
    }
}
