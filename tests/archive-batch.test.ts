/**
 * Issue 12 — batch lookups. archive.org takes about one request a second, so one GET per link
 * costs a 134-link article two minutes. The availability API answers a POST of many
 * newline-separated queries (`Wayback-Api-Version: 2`, `{"results":[{"tag":…}]}`), as
 * InternetArchiveBot asks it; when the batch call is refused the client falls back to GETs.
 */
import { describe, expect, it } from 'vitest';
import { WaybackClient } from '../src/archive/index.js';
import { createFetcher, fetcherOptionsFromDefaults, type PoliteFetcher } from '../src/net/index.js';
import { type Capture, cdxService, type WaybackServiceOptions, waybackService } from './support/services.js';
import { type Route, type SimHost, type Simulator, startSimulator } from './support/simulator.js';

interface Seen {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The availability service, recording each request's body. */
function recordedWayback(
  table: Record<string, Capture[]>,
  seen: Seen[],
  options: WaybackServiceOptions = {},
  replace?: Route,
): SimHost {
  const inner = waybackService(table, 'archive.org', options).routes!['/wayback/available']!;
  return {
    name: 'archive.org',
    routes: {
      '/wayback/available': async (req, res, ctx) => {
        let body = '';
        if (req.method === 'POST') for await (const chunk of req) body += chunk;
        seen.push({ method: req.method ?? '', headers: req.headers, body });
        if (replace && req.method === 'POST') return replace(req, res, ctx);
        // The body was read here: hand the inner route a request that replays it.
        const replay = Object.assign(
          (async function* () {
            yield body;
          })(),
          { method: req.method, headers: req.headers, url: req.url },
        );
        return inner(replay as unknown as typeof req, res, ctx);
      },
    },
  };
}

async function setUp(
  hosts: SimHost[],
): Promise<{ sim: Simulator; fetcher: PoliteFetcher; client: WaybackClient }> {
  const sim = await startSimulator(hosts);
  const fetcher = createFetcher(
    fetcherOptionsFromDefaults({ allowNetwork: ['127.0.0.0/8'], perHostIntervalMs: 0 }),
    {
      lookup: sim.lookup,
      sleep: () => Promise.resolve(),
    },
  );
  const client = new WaybackClient(fetcher, {
    endpoints: {
      wayback: sim.url('archive.org', '/wayback/available'),
      cdx: sim.url('web.archive.org', '/cdx/search/cdx'),
    },
    batchSize: 50,
  });
  return { sim, fetcher, client };
}

const pages = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `https://site${i}.example/story/${i}`);

describe('WaybackClient batches', () => {
  it('asks 60 lookups in a few POSTs of tagged queries, before then after the date', async () => {
    const urls = pages(60);
    const table: Record<string, Capture[]> = {};
    // Two thirds archived before the date, one in six only after it, one in six not at all.
    urls.forEach((url, i) => {
      if (i % 6 < 4) table[url] = [{ timestamp: '20190101000000' }, { timestamp: '20210101000000' }];
      else if (i % 6 === 4) table[url] = [{ timestamp: '20210101000000' }];
    });
    const seen: Seen[] = [];
    const { sim, fetcher, client } = await setUp([recordedWayback(table, seen), cdxService({})]);
    try {
      const answers = await Promise.all(urls.map((url) => client.find(url, '2020-06-15')));
      answers.forEach((answer, i) => {
        if (i % 6 < 4)
          expect(answer).toMatchObject({ status: 'found', snapshot: { timestamp: '20190101000000' } });
        else if (i % 6 === 4)
          expect(answer).toMatchObject({ status: 'found', snapshot: { timestamp: '20210101000000' } });
        else expect(answer).toEqual({ status: 'none' });
      });
      expect(seen.every((s) => s.method === 'POST' && s.headers['wayback-api-version'] === '2')).toBe(true);
      // 60 "before" queries in batches of at most 50, then the 20 misses "after": at most 4 POSTs.
      expect(seen.length).toBeLessThanOrEqual(4);
      const lines = seen.flatMap((s) => s.body.split('\n'));
      expect(lines).toHaveLength(80);
      const first = new URLSearchParams(lines[0]);
      expect(first.get('closest')).toBe('before');
      expect(first.get('timestamp')).toBe('20200615000000');
      expect(first.getAll('statuscodes')).toEqual(['200', '203', '206']);
      expect(first.get('tag')).toMatch(/^\d+$/);
      expect(seen.every((s) => s.body.split('\n').length <= 50)).toBe(true);
      // Only the 10 links the availability API knows nothing about go on to CDX.
      expect(client.stats()).toMatchObject({ lookups: 60, availabilityGets: 0, cdxGets: 10 });
    } finally {
      await fetcher.close();
      await sim.close();
    }
  });

  it('falls back to one GET per query when the batch call is refused (405), and stops posting', async () => {
    const urls = pages(6);
    const table = Object.fromEntries(urls.map((u) => [u, [{ timestamp: '20190101000000' }]]));
    const seen: Seen[] = [];
    const { sim, fetcher, client } = await setUp([
      recordedWayback(table, seen, { batch: 'refuse' }),
      cdxService({}),
    ]);
    try {
      const first = await Promise.all(urls.slice(0, 3).map((url) => client.find(url, '2020-06-15')));
      const second = await Promise.all(urls.slice(3).map((url) => client.find(url, '2020-06-15')));
      for (const answer of [...first, ...second]) expect(answer).toMatchObject({ status: 'found' });
      expect(seen.filter((s) => s.method === 'POST')).toHaveLength(1);
      expect(seen.filter((s) => s.method === 'GET')).toHaveLength(6);
    } finally {
      await fetcher.close();
      await sim.close();
    }
  });

  it('a malformed batch answer is a refusal too; a 429 is a failure that CDX can still answer', async () => {
    const urls = pages(2);
    const seen: Seen[] = [];
    const malformed: Route = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ archived_snapshots: {} }));
    };
    const table = { [urls[0]!]: [{ timestamp: '20190101000000' }] };
    const a = await setUp([recordedWayback(table, seen, {}, malformed), cdxService({})]);
    try {
      const answers = await Promise.all(urls.map((url) => a.client.find(url, '2020-06-15')));
      expect(answers[0]).toMatchObject({ status: 'found' });
      expect(answers[1]).toEqual({ status: 'none' });
      expect(a.client.stats().availabilityGets).toBeGreaterThan(0);
    } finally {
      await a.fetcher.close();
      await a.sim.close();
    }

    const b = await setUp([
      recordedWayback({}, [], { failWith: 429 }),
      cdxService({ [urls[1]!]: [{ timestamp: '20180101000000' }] }),
    ]);
    try {
      const answers = await Promise.all(urls.map((url) => b.client.find(url, '2020-06-15')));
      // Throttled availability, and CDX knows nothing of the first: unknown, not "none".
      expect(answers[0]).toMatchObject({ status: 'failed' });
      expect(answers[1]).toMatchObject({ status: 'found', snapshot: { timestamp: '20180101000000' } });
      // A throttled batch is not a refusal: the next lookups are batched again.
      expect(b.client.stats().availabilityGets).toBe(0);
    } finally {
      await b.fetcher.close();
      await b.sim.close();
    }
  });
});
