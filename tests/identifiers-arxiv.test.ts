import { describe, expect, it } from 'vitest';
import { ARXIV_INTERVAL_MS, readArxivFeed, resolveArxivIds, serviceHostLimits } from '../src/check/index.js';
import { ENDPOINTS } from '../src/defaults.js';
import { ApiError } from '../src/errors.js';
import { createFetcher, fetcherOptionsFromDefaults } from '../src/net/index.js';
import { arxivEntry, arxivErrorEntry, arxivService, useMockAgentFetcher } from './support/services.js';
import { createTestClock, startSimulator } from './support/simulator.js';

const ORIGIN = 'https://export.arxiv.org';
const ENDPOINT = `${ORIGIN}/api/query`;
const ATOM = { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } };

const feed = (...entries: string[]): string => `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <link href="http://arxiv.org/api/query?id_list=x" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=&amp;id_list=x&amp;start=0&amp;max_results=10</title>
  <id>http://arxiv.org/api/abc</id>
  <updated>2026-11-28T00:00:00-05:00</updated>
  <opensearch:totalResults>${entries.length}</opensearch:totalResults>
${entries.join('\n')}
</feed>`;

const idList = (path: string): string[] =>
  (new URL(path, ORIGIN).searchParams.get('id_list') ?? '').split(',').filter(Boolean);

describe('readArxivFeed', () => {
  it('reads found ids without their version, and rejected ids with the reason', () => {
    const reading = readArxivFeed(
      feed(
        arxivEntry('1706.03762', 'Attention Is All You Need'),
        arxivEntry('hep-th/9901001', 'Old style'),
        arxivErrorEntry('zep'),
      ),
    );
    expect([...reading.found]).toEqual(['1706.03762', 'hep-th/9901001']);
    expect(Object.fromEntries(reading.rejected)).toEqual({ zep: 'incorrect-id-format' });
  });

  it('something other than a feed is an ApiError', () => {
    expect(() => readArxivFeed('{"not":"xml"}')).toThrow(ApiError);
  });
});

describe('resolveArxivIds', () => {
  const mock = useMockAgentFetcher();

  it('found ids resolve; unknown well-formed ids are absent from the feed: unresolved', async () => {
    mock.agent
      .get(ORIGIN)
      .intercept({ path: (p) => p.startsWith('/api/query?'), method: 'GET' })
      .reply((request) => {
        expect(idList(request.path)).toEqual(['1706.03762', '2999.99999']);
        return {
          statusCode: 200,
          data: feed(arxivEntry('1706.03762', 'Attention Is All You Need')),
          ...ATOM,
        };
      });
    const answers = await resolveArxivIds(mock.fetcher, ENDPOINT, ['1706.03762', '2999.99999']);
    expect(Object.fromEntries(answers)).toEqual({
      '1706.03762': { outcome: 'resolves', reason: 'found', httpStatus: 200 },
      '2999.99999': { outcome: 'unresolved', reason: 'not-found', httpStatus: 200 },
    });
  });

  it('an error feed for one id of a batch: the others are asked again one at a time', async () => {
    const pool = mock.agent.get(ORIGIN);
    pool
      .intercept({ path: (p) => idList(p).length === 2, method: 'GET' })
      .reply(200, feed(arxivErrorEntry('1234.5678x')), ATOM);
    pool
      .intercept({ path: (p) => idList(p).join() === '1706.03762', method: 'GET' })
      .reply(200, feed(arxivEntry('1706.03762', 'Attention Is All You Need')), ATOM);
    const answers = await resolveArxivIds(mock.fetcher, ENDPOINT, ['1234.5678x', '1706.03762']);
    expect(answers.get('1234.5678x')).toMatchObject({ outcome: 'unresolved', reason: 'incorrect-id-format' });
    expect(answers.get('1706.03762')).toMatchObject({ outcome: 'resolves' });
  });

  it('regression: an API error entry is an error, never "does not exist"', async () => {
    // An error that names no id (the API failing), and an error kind that is not about the id.
    const anonymous = `  <entry>
    <id>http://arxiv.org/api/errors</id>
    <title>Error</title>
    <summary>internal error, try again later</summary>
  </entry>`;
    const otherKind = (id: string) => `  <entry>
    <id>http://arxiv.org/api/errors#search_backend_unavailable_for_${id}</id>
    <title>Error</title>
    <summary>search backend unavailable</summary>
  </entry>`;
    const pool = mock.agent.get(ORIGIN);
    pool
      .intercept({ path: (p) => idList(p).join() === '1706.03762', method: 'GET' })
      .reply(200, feed(anonymous), ATOM);
    pool
      .intercept({ path: (p) => idList(p).join() === '1810.04805', method: 'GET' })
      .reply(400, feed(otherKind('1810.04805')), ATOM);
    const one = await resolveArxivIds(mock.fetcher, ENDPOINT, ['1706.03762']);
    expect(one.get('1706.03762')).toEqual({ outcome: 'error', reason: 'api-error', httpStatus: 200 });
    const two = await resolveArxivIds(mock.fetcher, ENDPOINT, ['1810.04805']);
    expect(two.get('1810.04805')).toEqual({
      outcome: 'error',
      reason: 'api-search-backend-unavailable',
      httpStatus: 400,
    });
  });

  it('a 503 is an error for the batch; batches follow one another', async () => {
    const asked: number[] = [];
    mock.agent
      .get(ORIGIN)
      .intercept({ path: (p) => p.startsWith('/api/query?'), method: 'GET' })
      .reply((request) => {
        asked.push(idList(request.path).length);
        return { statusCode: 503, data: 'Service Unavailable' };
      })
      .times(2);
    const ids = ['1706.03762', '1810.04805', '2005.14165'];
    const answers = await resolveArxivIds(mock.fetcher, ENDPOINT, ids, { batchSize: 2 });
    expect(asked).toEqual([2, 1]);
    expect([...answers.values()].map((a) => a.reason)).toEqual(['http-503', 'http-503', 'http-503']);
  });

  it('one request per 3 s is the fetcher host limit of the arXiv host', () => {
    expect(serviceHostLimits(ENDPOINTS)).toEqual({
      'export.arxiv.org': { concurrency: 1, intervalMs: ARXIV_INTERVAL_MS },
    });
    expect(ARXIV_INTERVAL_MS).toBe(3000);
  });

  it('with N shards, each takes 1/N of the archive hosts; the identifier services are not shared', () => {
    const sharing = { shards: 4, perHostConcurrency: 2, perHostIntervalMs: 1000 };
    expect(serviceHostLimits(ENDPOINTS, sharing)).toEqual({
      'archive.org': { concurrency: 1, intervalMs: 4000 },
      'web.archive.org': { concurrency: 1, intervalMs: 4000 },
      'export.arxiv.org': { concurrency: 1, intervalMs: ARXIV_INTERVAL_MS },
    });
    expect(serviceHostLimits(ENDPOINTS, { ...sharing, shards: 1 })).toEqual(serviceHostLimits(ENDPOINTS));
  });
});

describe('arXiv politeness through the real fetcher (loopback)', () => {
  it('requests to the arXiv host start at least 3 s apart (virtual clock)', async () => {
    const clock = createTestClock();
    const starts: number[] = [];
    const sim = await startSimulator([
      {
        name: 'export.arxiv.org',
        routes: {
          '/api/query': (req, res, ctx) => {
            starts.push(clock.now());
            return arxivService({ '1706.03762': 'Attention Is All You Need' }).routes!['/api/query']!(
              req,
              res,
              ctx,
            );
          },
        },
      },
    ]);
    const endpoint = sim.url('export.arxiv.org', '/api/query');
    const fetcher = createFetcher(
      fetcherOptionsFromDefaults({
        allowNetwork: ['127.0.0.0/8'],
        hostLimits: serviceHostLimits({ arxiv: endpoint }),
      }),
      { lookup: sim.lookup, now: clock.now, sleep: clock.sleep },
    );
    try {
      const answers = await resolveArxivIds(fetcher, endpoint, ['1706.03762', '1810.04805', '2005.14165'], {
        batchSize: 1,
      });
      expect(answers.get('1706.03762')).toMatchObject({ outcome: 'resolves' });
      expect(answers.get('1810.04805')).toMatchObject({ outcome: 'unresolved', reason: 'not-found' });
      expect(starts).toHaveLength(3);
      for (let i = 1; i < starts.length; i++)
        expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(3000);
      expect(sim.inFlightMax('export.arxiv.org')).toBe(1);
    } finally {
      await fetcher.close();
      await sim.close();
    }
  });
});
