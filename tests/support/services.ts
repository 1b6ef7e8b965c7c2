/**
 * The external services citewatch asks, simulated as hosts for the loopback simulator: the
 * DOI and Handle proxies, the Wayback availability and CDX APIs, E-utilities and arXiv. Each
 * factory takes a table of what the service knows and answers in the service's recorded
 * shapes (status codes included), so the clients are tested against what the real services
 * send.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MockAgent } from 'undici';
import { afterEach, beforeEach } from 'vitest';
import type { CheckEndpoints } from '../../src/check/index.js';
import { createFetcher, fetcherOptionsFromDefaults, type PoliteFetcher } from '../../src/net/index.js';
import type { Route, SimHost, Simulator } from './simulator.js';

const json = (res: ServerResponse, status: number, value: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(value));
};

const queryOf = (req: IncomingMessage): URLSearchParams => new URL(req.url ?? '/', 'http://sim').searchParams;

/** Handle proxy answer codes: 1 found, 2 server error, 100 handle not found, 200 no values. */
export type HandleCode = 1 | 2 | 100 | 200;

/** A handle proxy (`/api/handles/{handle}`): handles not in the table are not found (100). */
function handleProxy(name: string, table: Record<string, HandleCode>): SimHost {
  const known = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
  const route: Route = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (!path.startsWith('/api/handles/')) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<title>Not Found</title>');
      return;
    }
    const handle = decodeURIComponent(path.slice('/api/handles/'.length));
    const code = known.get(handle.toLowerCase()) ?? 100;
    switch (code) {
      case 1:
        return json(res, 200, {
          responseCode: 1,
          handle,
          values: [
            {
              index: 1,
              type: 'URL',
              data: { format: 'string', value: `https://publisher.example/${encodeURIComponent(handle)}` },
              ttl: 86400,
              timestamp: '2020-09-25T16:02:07Z',
            },
            {
              index: 100,
              type: 'HS_ADMIN',
              data: {
                format: 'admin',
                value: { handle: '0.na/10.1002', index: 200, permissions: '111111110010' },
              },
              ttl: 86400,
              timestamp: '2020-03-30T02:01:43Z',
            },
          ],
        });
      case 100:
        return json(res, 404, { responseCode: 100, handle });
      case 200:
        return json(res, 200, { responseCode: 200, handle, values: [] });
      case 2:
        return json(res, 500, { responseCode: 2, handle, message: 'Something unexpected went wrong' });
    }
  };
  return { name, fallback: route };
}

/** doi.org's handle API. */
export const doiService = (table: Record<string, HandleCode>, name = 'doi.org'): SimHost =>
  handleProxy(name, table);

/** hdl.handle.net's handle API. */
export const handleService = (table: Record<string, HandleCode>, name = 'hdl.handle.net'): SimHost =>
  handleProxy(name, table);

/** A capture the archive holds. */
export interface Capture {
  /** 14-digit Wayback timestamp. */
  timestamp: string;
  /** HTTP status of the capture. @default '200' */
  status?: string;
  /** The replay URL the availability API answers with (a hostile service's). @default the real shape */
  replayUrl?: string;
}

const tsMs = (ts: string): number =>
  Date.UTC(
    +ts.slice(0, 4),
    +ts.slice(4, 6) - 1,
    +ts.slice(6, 8),
    +ts.slice(8, 10),
    +ts.slice(10, 12),
    +ts.slice(12, 14),
  );

const nearest = (captures: Capture[], target: string): Capture | undefined =>
  [...captures].sort(
    (a, b) => Math.abs(tsMs(a.timestamp) - tsMs(target)) - Math.abs(tsMs(b.timestamp) - tsMs(target)),
  )[0];

/** The capture the availability API picks: closest in `closest`'s direction, good statuses only. */
function closestCapture(captures: Capture[], q: URLSearchParams): Capture | undefined {
  const target = (q.get('timestamp') ?? '').padEnd(14, '0');
  const statuses = q.getAll('statuscodes').flatMap((s) => s.split(','));
  const direction = q.get('closest') ?? 'either';
  const fits = captures.filter(
    (c) =>
      (statuses.length === 0 || statuses.includes(c.status ?? '200')) &&
      (direction === 'before'
        ? tsMs(c.timestamp) <= tsMs(target)
        : direction === 'after'
          ? tsMs(c.timestamp) >= tsMs(target)
          : true),
  );
  return nearest(fits, target);
}

/** One availability answer (`archived_snapshots` and the echoed query), as the API writes it. */
function availabilityAnswer(table: Record<string, Capture[]>, q: URLSearchParams): Record<string, unknown> {
  const url = q.get('url') ?? '';
  const capture = closestCapture(table[url] ?? [], q);
  return {
    url,
    archived_snapshots: capture
      ? {
          closest: {
            status: capture.status ?? '200',
            available: true,
            url: capture.replayUrl ?? `http://web.archive.org/web/${capture.timestamp}/${url}`,
            timestamp: capture.timestamp,
          },
        }
      : {},
    timestamp: q.get('timestamp'),
  };
}

export interface WaybackServiceOptions {
  /**
   * How a POST of many queries (`Wayback-Api-Version: 2`) is answered: `results` with one
   * entry per tag (the real API), or refused with 405 (an API without batch support).
   * @default 'answer'
   */
  batch?: 'answer' | 'refuse';
  /** Answer every request with this status instead (429 with `Retry-After: 1`, 503, …). */
  failWith?: number;
}

/**
 * archive.org's availability API (`/wayback/available?url=…&timestamp=…&closest=…&statuscodes=…`,
 * or a POST of such queries one a line). `table` maps a URL to the captures it answers with;
 * URLs not in it answer `archived_snapshots: {}`, as the real API often does even for archived
 * pages.
 */
export function waybackService(
  table: Record<string, Capture[]>,
  name = 'archive.org',
  options: WaybackServiceOptions = {},
): SimHost {
  return {
    name,
    routes: {
      '/wayback/available': async (req, res) => {
        if (options.failWith !== undefined) {
          res.writeHead(options.failWith, { 'content-type': 'text/html', 'retry-after': '1' });
          res.end('<html><body>Too many requests</body></html>');
          return;
        }
        if (req.method === 'POST') {
          let body = '';
          for await (const chunk of req) body += chunk;
          if (options.batch === 'refuse' || req.headers['wayback-api-version'] !== '2') {
            res.writeHead(405, { 'content-type': 'text/plain' });
            res.end('Method Not Allowed');
            return;
          }
          const results = body
            .split('\n')
            .filter((line) => line.trim() !== '')
            .map((line) => {
              const q = new URLSearchParams(line);
              return { tag: q.get('tag'), ...availabilityAnswer(table, q) };
            });
          return json(res, 200, { results });
        }
        json(res, 200, availabilityAnswer(table, queryOf(req)));
      },
    },
  };
}

/**
 * web.archive.org's CDX API (`/cdx/search/cdx?url=…&output=json&…`): honours the status
 * filter, `closest` with `sort=closest`, and `limit`.
 */
export function cdxService(table: Record<string, Capture[]>, name = 'web.archive.org'): SimHost {
  return {
    name,
    routes: {
      '/cdx/search/cdx': (req, res) => {
        const q = queryOf(req);
        const url = q.get('url') ?? '';
        let captures = [...(table[url] ?? [])];
        const filter = q.get('filter')?.match(/^statuscode:(.+)$/)?.[1];
        if (filter) {
          const re = new RegExp(`^(?:${filter})$`);
          captures = captures.filter((c) => re.test(c.status ?? '200'));
        }
        const closest = q.get('closest');
        if (closest && q.get('sort') === 'closest') {
          const target = closest.padEnd(14, '0');
          captures.sort(
            (a, b) => Math.abs(tsMs(a.timestamp) - tsMs(target)) - Math.abs(tsMs(b.timestamp) - tsMs(target)),
          );
        }
        captures = captures.slice(0, Number(q.get('limit') ?? captures.length));
        if (captures.length === 0) return json(res, 200, []);
        const host = url.replace(/^https?:\/\//, '').split('/')[0] ?? '';
        const urlkey = `${host.split('.').reverse().join(',')})/${url.split('/').slice(3).join('/')}`;
        json(res, 200, [
          ['urlkey', 'timestamp', 'original', 'mimetype', 'statuscode', 'digest', 'length'],
          ...captures.map((c) => [
            urlkey,
            c.timestamp,
            url,
            'text/html',
            c.status ?? '200',
            'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
            '1234',
          ]),
        ]);
      },
    },
  };
}

/**
 * E-utilities (`/entrez/eutils/esummary.fcgi?db=pubmed&id=…&retmode=json`): PMIDs in `table`
 * (PMID → title) answer a summary; others the per-id error entry the real service sends.
 */
export function eutilsService(table: Record<string, string>, name = 'eutils.ncbi.nlm.nih.gov'): SimHost {
  return {
    name,
    routes: {
      '/entrez/eutils/esummary.fcgi': (req, res) => {
        const ids = (queryOf(req).get('id') ?? '').split(',').filter(Boolean);
        const result: Record<string, unknown> = { uids: ids };
        for (const id of ids) {
          const title = table[id];
          result[id] =
            title === undefined
              ? { uid: id, error: 'cannot get document summary' }
              : {
                  uid: id,
                  pubdate: '2019 Aug 26',
                  source: 'Nature',
                  authors: [{ name: 'Doe J', authtype: 'Author', clusterid: '' }],
                  title,
                  articleids: [{ idtype: 'pubmed', idtypen: 1, value: id }],
                };
        }
        json(res, 200, { header: { type: 'esummary', version: '0.3' }, result });
      },
    },
  };
}

const atomFeed = (query: string, entries: string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>https://arxiv.org/api/query</id>
  <title>arXiv Query: ${query}</title>
  <updated>2026-11-28T00:00:00Z</updated>
  <opensearch:totalResults>${entries.length}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <opensearch:itemsPerPage>${entries.length}</opensearch:itemsPerPage>
${entries.join('\n')}
</feed>`;

/** An Atom entry for a known arXiv id, as the export API writes it. */
export const arxivEntry = (id: string, title: string): string => `  <entry>
    <id>http://arxiv.org/abs/${id}v1</id>
    <updated>2017-12-06T18:30:00Z</updated>
    <published>2017-06-12T17:57:34Z</published>
    <title>${title}</title>
    <summary>An abstract.</summary>
    <author><name>A. Author</name></author>
    <link href="http://arxiv.org/abs/${id}v1" rel="alternate" type="text/html"/>
    <arxiv:primary_category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
  </entry>`;

/** The error entry the export API answers for an id it rejects. */
export const arxivErrorEntry = (id: string): string => `  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_${id}</id>
    <title>Error</title>
    <summary>incorrect id format for ${id}</summary>
    <updated>2026-11-28T00:00:00-05:00</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_${id}" rel="alternate" type="text/html"/>
    <author><name>arXiv api core</name></author>
  </entry>`;

const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/;

/**
 * The arXiv export API (`/api/query?id_list=…`): known ids (id → title) answer an entry,
 * malformed ids turn the whole answer into an error feed, unknown well-formed ids are absent.
 */
export function arxivService(table: Record<string, string>, name = 'export.arxiv.org'): SimHost {
  return {
    name,
    routes: {
      '/api/query': (req, res) => {
        const q = queryOf(req);
        const ids = (q.get('id_list') ?? '').split(',').filter(Boolean);
        const bad = ids.find((id) => !ARXIV_ID.test(id));
        const body = bad
          ? atomFeed(`id_list=${ids.join(',')}`, [arxivErrorEntry(bad)])
          : atomFeed(
              `id_list=${ids.join(',')}`,
              ids.flatMap((id) => (table[id] === undefined ? [] : [arxivEntry(id, table[id]!)])),
            );
        res.writeHead(200, { 'content-type': 'application/atom+xml; charset=utf-8' });
        res.end(body);
      },
    },
  };
}

/**
 * Every service's endpoint pointing at the simulator's hosts of the default names; a service
 * the simulator does not play points at a name nothing resolves.
 */
export function simulatedEndpoints(sim: Simulator): CheckEndpoints {
  const at = (host: string, path: string): string => {
    try {
      return sim.url(host, path);
    } catch {
      return `http://${host}.invalid${path}`;
    }
  };
  return {
    doi: at('doi.org', '/').replace(/\/$/, ''),
    handle: at('hdl.handle.net', '/').replace(/\/$/, ''),
    wayback: at('archive.org', '/wayback/available'),
    cdx: at('web.archive.org', '/cdx/search/cdx'),
    spn: at('web.archive.org', '/save'),
    // The check never asks the wiki.
    mediawiki: 'http://wiki.invalid/w/api.php',
    eutils: at('eutils.ncbi.nlm.nih.gov', '/entrez/eutils'),
    arxiv: at('export.arxiv.org', '/api/query'),
  };
}

/**
 * A real fetcher whose requests go to an undici `MockAgent` (net connect disabled): for the
 * clients' recorded exchanges. No waiting between requests and no retries unless asked.
 */
export function mockAgentFetcher(retries = 0): { agent: MockAgent; fetcher: PoliteFetcher } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const fetcher = createFetcher(fetcherOptionsFromDefaults({ perHostIntervalMs: 0, retries }), {
    dispatcher: agent,
    sleep: () => Promise.resolve(),
  });
  return { agent, fetcher };
}

/**
 * Registers `beforeEach`/`afterEach` that give each test a fresh `mockAgentFetcher()` and, after
 * it, check that every interception was used and close both. Read `agent` and `fetcher` inside
 * the tests (they change per test).
 */
export function useMockAgentFetcher(retries = 0): {
  readonly agent: MockAgent;
  readonly fetcher: PoliteFetcher;
} {
  let current: { agent: MockAgent; fetcher: PoliteFetcher } | undefined;
  beforeEach(() => {
    current = mockAgentFetcher(retries);
  });
  afterEach(async () => {
    if (!current) return;
    current.agent.assertNoPendingInterceptors();
    await current.fetcher.close();
    await current.agent.close();
    current = undefined;
  });
  const get = () => {
    if (!current) throw new Error('useMockAgentFetcher: read agent and fetcher inside a test');
    return current;
  };
  return {
    get agent() {
      return get().agent;
    },
    get fetcher() {
      return get().fetcher;
    },
  };
}
