import { describe, expect, it } from 'vitest';
import { findSnapshot, toWaybackTimestamp, waybackTimestampDate } from '../src/archive/index.js';
import { ENDPOINTS } from '../src/defaults.js';
import { ApiError } from '../src/errors.js';
import { createFetcher, fetcherOptionsFromDefaults } from '../src/net/index.js';
import { cdxService, useMockAgentFetcher, waybackService } from './support/services.js';
import { startSimulator } from './support/simulator.js';

const AVAILABLE = 'https://archive.org';
const CDX = 'https://web.archive.org';
const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };
const PAGE = 'http://www.chinadaily.com.cn/business/2017-07/20/content_30182725.htm';

const params = (path: string): URLSearchParams => new URL(path, 'https://x').searchParams;

describe('Wayback timestamps', () => {
  it('converts dates and instants both ways', () => {
    expect(toWaybackTimestamp('2017-07-21')).toBe('20170721000000');
    expect(toWaybackTimestamp('2017-07-21T10:11:12.000Z')).toBe('20170721101112');
    expect(waybackTimestampDate('20170721101112')).toBe('2017-07-21');
    expect(() => toWaybackTimestamp('July')).toThrow(RangeError);
  });
});

describe('findSnapshot', () => {
  const mock = useMockAgentFetcher();

  it('takes the availability API closest capture, replayed over https', async () => {
    mock.agent
      .get(AVAILABLE)
      .intercept({ path: (p) => p.startsWith('/wayback/available?'), method: 'GET' })
      .reply((request) => {
        const q = params(request.path);
        expect(q.get('url')).toBe(PAGE);
        // InternetArchiveBot's query: the good capture closest before the access date.
        expect(q.get('timestamp')).toBe('20170721000000');
        expect(q.get('closest')).toBe('before');
        expect(q.getAll('statuscodes')).toEqual(['200', '203', '206']);
        return {
          statusCode: 200,
          // Recorded shape: the status is a string, the replay URL http.
          data: {
            url: PAGE,
            archived_snapshots: {
              closest: {
                status: '200',
                available: true,
                url: `http://web.archive.org/web/20170722031223/${PAGE}`,
                timestamp: '20170722031223',
              },
            },
            timestamp: '20170721',
          },
          ...JSON_HEADERS,
        };
      });
    await expect(findSnapshot(mock.fetcher, ENDPOINTS, PAGE, '2017-07-21')).resolves.toEqual({
      url: `https://web.archive.org/web/20170722031223/${PAGE}`,
      timestamp: '20170722031223',
    });
  });

  it('asks CDX when availability answers empty before and after, and takes the good capture before the date', async () => {
    mock.agent
      .get(AVAILABLE)
      .intercept({ path: (p) => p.startsWith('/wayback/available?'), method: 'GET' })
      .reply(200, { url: PAGE, archived_snapshots: {} }, JSON_HEADERS)
      .times(2);
    mock.agent
      .get(CDX)
      .intercept({ path: (p) => p.startsWith('/cdx/search/cdx?'), method: 'GET' })
      .reply((request) => {
        const q = params(request.path);
        expect(Object.fromEntries(q)).toMatchObject({
          url: PAGE,
          output: 'json',
          filter: 'statuscode:(200|203|206)',
          closest: '20170721000000',
          limit: '10',
        });
        return {
          statusCode: 200,
          data: [
            ['urlkey', 'timestamp', 'original', 'mimetype', 'statuscode', 'digest', 'length'],
            [
              'cn,com,chinadaily)/business/2017-07/20/content_30182725.htm',
              '20190101000000',
              PAGE,
              'text/html',
              '200',
              'X',
              '1',
            ],
            [
              'cn,com,chinadaily)/business/2017-07/20/content_30182725.htm',
              '20170801000000',
              PAGE,
              'text/html',
              '200',
              'Y',
              '1',
            ],
            // Further from the date than the one after it, but before it: preferred.
            [
              'cn,com,chinadaily)/business/2017-07/20/content_30182725.htm',
              '20170620000000',
              PAGE,
              'text/html',
              '200',
              'W',
              '1',
            ],
            // A capture of an error page the server let through: never taken.
            [
              'cn,com,chinadaily)/business/2017-07/20/content_30182725.htm',
              '20170721000000',
              PAGE,
              'text/html',
              '404',
              'Z',
              '1',
            ],
          ],
          ...JSON_HEADERS,
        };
      });
    await expect(findSnapshot(mock.fetcher, ENDPOINTS, PAGE, '2017-07-21')).resolves.toEqual({
      url: `https://web.archive.org/web/20170620000000/${PAGE}`,
      timestamp: '20170620000000',
    });
  });

  it('a closest capture that was not 2xx is not taken; CDX with no capture: no snapshot', async () => {
    mock.agent
      .get(AVAILABLE)
      .intercept({ path: (p) => p.startsWith('/wayback/available?'), method: 'GET' })
      .reply(
        200,
        {
          url: PAGE,
          archived_snapshots: {
            closest: {
              status: '302',
              available: true,
              url: 'http://web.archive.org/web/2017/x',
              timestamp: '20170722031223',
            },
          },
        },
        JSON_HEADERS,
      )
      .times(2);
    mock.agent
      .get(CDX)
      .intercept({ path: (p) => p.startsWith('/cdx/search/cdx?'), method: 'GET' })
      .reply(200, [], JSON_HEADERS);
    await expect(findSnapshot(mock.fetcher, ENDPOINTS, PAGE, '2017-07-21')).resolves.toBeUndefined();
  });

  it('nonsense or a failing service is an ApiError (a failure is never "no snapshot")', async () => {
    const available = mock.agent.get(AVAILABLE);
    available
      .intercept({ path: (p) => p.includes('timestamp=20170101'), method: 'GET' })
      .reply(200, { archived_snapshots: { closest: { available: 'yes', url: 1 } } }, JSON_HEADERS);
    available.intercept({ path: (p) => p.includes('timestamp=20170102'), method: 'GET' }).reply(503, 'down');
    available
      .intercept({ path: (p) => p.includes('timestamp=20170103'), method: 'GET' })
      .reply(200, { archived_snapshots: {} }, JSON_HEADERS)
      .times(2);
    const cdx = mock.agent.get(CDX);
    // After a failed availability query CDX is asked; here it fails too.
    cdx
      .intercept({ path: (p) => p.startsWith('/cdx/search/cdx?') && p.includes('20170101'), method: 'GET' })
      .reply(429, 'slow down');
    cdx
      .intercept({ path: (p) => p.startsWith('/cdx/search/cdx?') && p.includes('20170102'), method: 'GET' })
      .reply(403, 'Blocked Site Error');
    cdx
      .intercept({ path: (p) => p.startsWith('/cdx/search/cdx?') && p.includes('20170103'), method: 'GET' })
      .reply(200, { error: 'not rows' }, JSON_HEADERS);
    await expect(findSnapshot(mock.fetcher, ENDPOINTS, PAGE, '2017-01-01')).rejects.toBeInstanceOf(ApiError);
    await expect(findSnapshot(mock.fetcher, ENDPOINTS, PAGE, '2017-01-02')).rejects.toBeInstanceOf(ApiError);
    await expect(findSnapshot(mock.fetcher, ENDPOINTS, PAGE, '2017-01-03')).rejects.toThrow(/cdx/);
  });
});

describe('findSnapshot against the simulated services (loopback)', () => {
  it('falls back from availability to CDX and replays on the CDX host', async () => {
    const sim = await startSimulator([
      waybackService({ 'https://known.example/a': [{ timestamp: '20200101000000' }] }),
      cdxService({
        'https://cdx-only.example/b': [
          { timestamp: '20150101000000' },
          { timestamp: '20180601000000', status: '404' },
          { timestamp: '20190101000000' },
        ],
      }),
    ]);
    const fetcher = createFetcher(
      fetcherOptionsFromDefaults({ allowNetwork: ['127.0.0.0/8'], perHostIntervalMs: 0 }),
      {
        lookup: sim.lookup,
      },
    );
    const endpoints = {
      wayback: sim.url('archive.org', '/wayback/available'),
      cdx: sim.url('web.archive.org', '/cdx/search/cdx'),
    };
    try {
      await expect(
        findSnapshot(fetcher, endpoints, 'https://known.example/a', '2020-02-01'),
      ).resolves.toEqual({
        url: 'https://web.archive.org/web/20200101000000/https://known.example/a',
        timestamp: '20200101000000',
      });
      await expect(
        findSnapshot(fetcher, endpoints, 'https://cdx-only.example/b', '2018-06-01'),
      ).resolves.toEqual({
        // The good capture before the date, though the one after is nearer.
        url: `${sim.url('web.archive.org', '/web/20150101000000/https://cdx-only.example/b')}`,
        timestamp: '20150101000000',
      });
      await expect(
        findSnapshot(fetcher, endpoints, 'https://nowhere.example/', '2018-06-01'),
      ).resolves.toBeUndefined();
    } finally {
      await fetcher.close();
      await sim.close();
    }
  });
});
