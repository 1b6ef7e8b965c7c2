/**
 * `checkArticles` with a hand-written fake `Fetcher`: which requests a run makes, what it
 * concludes when the network is down or requested off, verdicts with history, snapshots and
 * the findings it emits. No socket is opened here (see check-integration for loopback runs).
 */
import { describe, expect, it } from 'vitest';
import {
  type CheckOptions,
  type CheckProgress,
  checkArticles,
  type Observation,
} from '../src/check/index.js';
import { ENDPOINTS } from '../src/defaults.js';
import type { Article, Finding, Link, Reference } from '../src/model.js';
import type { FetchErrorKind, Fetcher, FetcherStats, FetchRequest, FetchResult } from '../src/net/types.js';
import { article, reference } from './support/article-builder.js';
import { arxivEntry } from './support/services.js';

const NOW = '2026-11-28T21:15:00.000Z';

const OPTIONS: CheckOptions = {
  now: NOW,
  offline: false,
  confirm: 3,
  confirmSpanDays: 3,
  endpoints: ENDPOINTS,
};

const LIVE_HTML =
  '<!doctype html><html><head><title>A story</title></head><body><h1>A story</h1><p>Real content. '.padEnd(
    2000,
    'x',
  ) + '</p></body></html>';

type Answer = Partial<FetchResult>;
const live = (): Answer => ({
  status: 200,
  headers: { 'content-type': 'text/html' },
  body: Buffer.from(LIVE_HTML),
});
const status = (code: number): Answer => ({ status: code, headers: { 'content-type': 'text/html' } });
const failure = (kind: FetchErrorKind): Answer => ({ error: { kind, detail: kind } });
const json = (code: number, value: unknown): Answer => ({
  status: code,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(value)),
});

/** Answers by URL from `web` (exact, fragment-free) or from the simulated services. */
class FakeFetcher implements Fetcher {
  readonly calls: string[] = [];
  readonly #web: (url: string) => Answer | undefined;
  readonly services: Services;

  constructor(
    web: Record<string, Answer> | ((url: string) => Answer | undefined),
    services: Partial<Services> = {},
  ) {
    this.#web = typeof web === 'function' ? web : (url) => web[url];
    this.services = { dois: {}, pmids: {}, arxiv: {}, captures: {}, ...services };
  }

  async fetch(request: FetchRequest): Promise<FetchResult> {
    this.calls.push(request.url);
    const answer = this.#service(request.url) ?? this.#web(request.url) ?? failure('dns-not-found');
    return {
      url: request.url,
      finalUrl: request.url,
      headers: {},
      body: Buffer.alloc(0),
      truncated: false,
      hops: [],
      requests: 1,
      bytes: answer.body?.length ?? 0,
      durationMs: 12,
      ...answer,
    };
  }

  #service(url: string): Answer | undefined {
    const u = new URL(url);
    const q = u.searchParams;
    if (url.startsWith(`${ENDPOINTS.doi}/api/handles/`)) {
      const doi = decodeURIComponent(u.pathname.slice('/api/handles/'.length));
      return this.services.dois[doi]
        ? json(200, { responseCode: 1, handle: doi, values: [] })
        : json(404, { responseCode: 100, handle: doi });
    }
    if (url.startsWith(`${ENDPOINTS.eutils}/esummary.fcgi`)) {
      const ids = (q.get('id') ?? '').split(',');
      const result: Record<string, unknown> = { uids: ids };
      for (const id of ids) {
        result[id] = this.services.pmids[id]
          ? { uid: id, title: 'T' }
          : { uid: id, error: 'cannot get document summary' };
      }
      return json(200, { header: { type: 'esummary' }, result });
    }
    if (url.startsWith(ENDPOINTS.arxiv)) {
      const ids = (q.get('id_list') ?? '').split(',');
      const entries = ids.filter((id) => this.services.arxiv[id]).map((id) => arxivEntry(id, 'Paper'));
      return {
        status: 200,
        headers: { 'content-type': 'application/atom+xml' },
        body: Buffer.from(`<feed xmlns="http://www.w3.org/2005/Atom">${entries.join('')}</feed>`),
      };
    }
    if (url.startsWith(ENDPOINTS.wayback)) {
      const ts = this.services.captures[q.get('url') ?? ''];
      return json(200, {
        archived_snapshots: ts
          ? {
              closest: {
                available: true,
                status: '200',
                timestamp: ts,
                url: `http://web.archive.org/web/${ts}/${q.get('url')}`,
              },
            }
          : {},
      });
    }
    if (url.startsWith(ENDPOINTS.cdx)) return json(200, []);
    return undefined;
  }

  stats(): FetcherStats {
    return { requests: this.calls.length, bytes: 0, maxInFlightPerHost: 1, responses: 0, networkFailures: 0 };
  }

  async close(): Promise<void> {}

  /** Calls that were not to a service. */
  get pageCalls(): string[] {
    return this.calls.filter((url) => !Object.values(ENDPOINTS).some((e) => url.startsWith(e)));
  }
}

interface Services {
  dois: Record<string, boolean>;
  pmids: Record<string, boolean>;
  arxiv: Record<string, boolean>;
  /** URL → Wayback timestamp of its capture. */
  captures: Record<string, string>;
}

const link = (url: string, role: Link['role'] = 'source'): Link => ({ url, role });

const ref = (id: string, links: Link[], fields: Parameters<typeof reference>[1] = {}): Reference =>
  reference(id, { links, ...fields });

const kinds = (findings: Finding[]): string[] => findings.map((f) => f.kind);

describe('checkArticles', () => {
  it('checks each distinct URL once, however often and wherever it is cited', async () => {
    const a = article({
      references: [
        ref('1', [link('https://a.example/story')]),
        ref('2', [link('https://a.example/story#section-2'), link('https://b.example/other')]),
      ],
    });
    const b = article({ references: [ref('1', [link(' https://a.example/story ')])] });
    const fetcher = new FakeFetcher({ 'https://a.example/story': live(), 'https://b.example/other': live() });
    const run = await checkArticles([a, b], OPTIONS, { fetcher });
    expect(fetcher.pageCalls.sort()).toEqual(['https://a.example/story', 'https://b.example/other']);
    expect(run.observations.map((o) => o.url).sort()).toEqual([
      'https://a.example/story',
      'https://b.example/other',
    ]);
    const checks = run.articles.flatMap((x) => x.references.flatMap((r) => r.links.map((l) => l.check)));
    expect(checks).toHaveLength(4);
    for (const check of checks) {
      expect(check).toMatchObject({
        outcome: 'alive',
        verdict: 'alive',
        reason: 'http-200',
        httpStatus: 200,
        checkedAt: NOW,
        streak: 1,
      });
    }
    // Two pages; one availability batch (this fake refuses it: one GET each from then on), and
    // for each page a lookup before and after the date plus a CDX one (no capture known).
    expect(run.requests).toBe(9);
    expect(run.offline).toBe(false);
    expect(run.findings).toEqual([[], []]);
  });

  it('returns new articles and leaves the input untouched', async () => {
    const a = article({
      references: [ref('1', [link('https://a.example/x')], { identifiers: { doi: ['10.1000/182'] } })],
    });
    const before = structuredClone(a);
    const run = await checkArticles([a], OPTIONS, {
      fetcher: new FakeFetcher({ 'https://a.example/x': status(404) }),
    });
    expect(a).toEqual(before);
    expect(run.articles[0]).not.toBe(a);
    expect(run.articles[0]!.references[0]!.links[0]!.check).toBeDefined();
  });

  it('--offline: no request at all, links skipped, identifiers validated offline only', async () => {
    const throwing: Fetcher = {
      fetch: () => Promise.reject(new Error('no request may be made offline')),
      stats: () => ({ requests: 0, bytes: 0, maxInFlightPerHost: 0, responses: 0, networkFailures: 0 }),
      close: () => Promise.resolve(),
    };
    const a = article({
      references: [
        ref('1', [link('https://a.example/x'), link('https://doi.org/10.1000/182', 'identifier')], {
          identifiers: {
            isbn: ['9780306406157', '9780306406158'],
            doi: ['10.1000/182', 'not-a-doi'],
            pmid: ['31452104'],
          },
        }),
      ],
    });
    const run = await checkArticles([a], { ...OPTIONS, offline: true }, { fetcher: throwing });
    expect(run).toMatchObject({ offline: true, offlineReason: 'requested', requests: 0 });
    const r = run.articles[0]!.references[0]!;
    expect(r.links.map((l) => [l.check?.outcome, l.check?.reason, l.check?.verdict])).toEqual([
      ['skipped', 'offline', 'skipped'],
      ['skipped', 'offline', 'skipped'],
    ]);
    expect(r.identifierChecks.map((c) => [c.kind, c.value, c.outcome, c.reason])).toEqual([
      ['doi', '10.1000/182', 'skipped', 'offline'],
      ['doi', 'not-a-doi', 'invalid', 'doi-syntax'],
      ['isbn', '9780306406157', 'valid', 'offline-validation'],
      ['isbn', '9780306406158', 'invalid', 'isbn-check-digit'],
      ['pmid', '31452104', 'skipped', 'offline'],
    ]);
    expect(run.findings[0]).toEqual([]);
  });

  it('an unreachable network (every fetch a DNS failure): nothing dead, everything skipped offline', async () => {
    const a = article({
      references: [
        ref('1', [link('https://a.example/x'), link('https://b.example/y'), link('ftp://c.example/z')], {
          identifiers: { doi: ['10.1000/182'] },
        }),
      ],
    });
    // Every request fails, services included.
    const down: Fetcher = {
      fetch: async (req) => ({
        url: req.url,
        finalUrl: req.url,
        headers: {},
        body: Buffer.alloc(0),
        truncated: false,
        hops: [],
        requests: 1,
        bytes: 0,
        durationMs: 1,
        error: { kind: 'dns-failure', detail: 'EAI_AGAIN' },
      }),
      stats: () => ({ requests: 0, bytes: 0, maxInFlightPerHost: 0, responses: 0, networkFailures: 0 }),
      close: () => Promise.resolve(),
    };
    const run = await checkArticles([a], { ...OPTIONS, confirm: 1 }, { fetcher: down });
    expect(run).toMatchObject({ offline: true, offlineReason: 'unreachable' });
    const r = run.articles[0]!.references[0]!;
    expect(r.links.map((l) => [l.check?.outcome, l.check?.reason])).toEqual([
      ['skipped', 'offline'],
      ['skipped', 'offline'],
      ['skipped', 'unsupported-scheme'],
    ]);
    expect(r.identifierChecks[0]).toMatchObject({ outcome: 'skipped', reason: 'offline' });
    expect(run.findings[0]).toEqual([]);
  });

  it("the fetcher's offline detector makes even DNS 'no such name' answers offline", async () => {
    const fetcher = new FakeFetcher(() => failure('dns-not-found'));
    const a = article({ references: [ref('1', [link('https://gone.example/x')])] });
    const run = await checkArticles([a], { ...OPTIONS, confirm: 1 }, { fetcher, isOffline: () => true });
    expect(run.offlineReason).toBe('unreachable');
    expect(run.articles[0]!.references[0]!.links[0]!.check).toMatchObject({
      outcome: 'skipped',
      reason: 'offline',
    });
  });

  it('a DNS "no such name" or a refused connection is dead only while another host answered', async () => {
    const refs = [ref('1', [link('https://gone.example/x')]), ref('2', [link('https://refusing.example/y')])];
    const web = { 'https://refusing.example/y': failure('refused') };
    // Nothing else answered: one question to the archive's API says whether the network works.
    const alone = new FakeFetcher(web);
    const confirmed = await checkArticles(
      [article({ references: refs })],
      { ...OPTIONS, confirm: 1 },
      {
        fetcher: alone,
      },
    );
    expect(confirmed.offline).toBe(false);
    expect(alone.calls.filter((u) => u.startsWith(ENDPOINTS.wayback))[0]).toBe(
      `${ENDPOINTS.wayback}?url=${encodeURIComponent('https://gone.example/x')}`,
    );
    expect(
      confirmed.articles[0]!.references.map((r) => [r.links[0]!.check?.outcome, r.links[0]!.check?.reason]),
    ).toEqual([
      ['dead', 'dns-not-found'],
      ['dead', 'refused'],
    ]);
    // The archive does not answer either: nothing was reached, the run is offline.
    const nothing = await checkArticles(
      [article({ references: refs })],
      {
        ...OPTIONS,
        confirm: 1,
        endpoints: { ...ENDPOINTS, wayback: 'https://archive.down.example/available' },
      },
      { fetcher: new FakeFetcher(web) },
    );
    expect(nothing.offlineReason).toBe('unreachable');
    expect(
      nothing.articles[0]!.references.map((r) => [r.links[0]!.check?.outcome, r.links[0]!.check?.reason]),
    ).toEqual([
      ['skipped', 'offline'],
      ['skipped', 'offline'],
    ]);
    // An answer anywhere during the run is enough: no probe.
    const healthy = await checkArticles(
      [article({ references: [...refs, ref('3', [link('https://live.example/')])] })],
      { ...OPTIONS, confirm: 1 },
      { fetcher: new FakeFetcher({ ...web, 'https://live.example/': live() }) },
    );
    expect(
      healthy.articles[0]!.references.map((r) => [r.links[0]!.check?.outcome, r.links[0]!.check?.reason]),
    ).toEqual([
      ['dead', 'dns-not-found'],
      ['dead', 'refused'],
      ['alive', 'http-200'],
    ]);
  });

  it('identifier links are checked through their service, once with the reference identifiers', async () => {
    const a = article({
      references: [
        ref(
          '1',
          [
            link('https://doi.org/10.1000/182', 'identifier'),
            link('https://pubmed.ncbi.nlm.nih.gov/31452104/', 'identifier'),
            link('https://arxiv.org/abs/1706.03762v5', 'identifier'),
            link('https://doi.org/10.9999/gone', 'identifier'),
          ],
          { identifiers: { doi: ['10.1000/182'], pmid: ['31452104', '99999999'], arxiv: ['1706.03762'] } },
        ),
      ],
    });
    const fetcher = new FakeFetcher(
      {},
      { dois: { '10.1000/182': true }, pmids: { '31452104': true }, arxiv: { '1706.03762': true } },
    );
    const run = await checkArticles([a], { ...OPTIONS, confirm: 1 }, { fetcher });
    expect(fetcher.pageCalls).toEqual([]);
    expect(fetcher.calls.filter((u) => u.includes('/api/handles/')).sort()).toEqual([
      'https://doi.org/api/handles/10.1000/182',
      'https://doi.org/api/handles/10.9999/gone',
    ]);
    expect(fetcher.calls.filter((u) => u.includes('esummary'))).toHaveLength(1);
    const r = run.articles[0]!.references[0]!;
    expect(r.links.map((l) => [l.check?.outcome, l.check?.reason])).toEqual([
      ['alive', 'found'],
      ['alive', 'found'],
      ['alive', 'found'],
      ['dead', 'not-found'],
    ]);
    expect(r.identifierChecks.map((c) => [c.kind, c.value, c.outcome])).toEqual([
      ['doi', '10.1000/182', 'resolves'],
      ['pmid', '31452104', 'resolves'],
      ['pmid', '99999999', 'unresolved'],
      ['arxiv', '1706.03762', 'resolves'],
    ]);
    // The DOI link to a DOI the reference does not list still gets no page-link finding.
    expect(kinds(run.findings[0]!)).toEqual(['identifier-unresolved']);
  });

  it('regression: JSTOR, PMC, WorldCat, Semantic Scholar and ADS links are checked as pages, not skipped', async () => {
    const urls = {
      jstor: 'https://www.jstor.org/stable/2546078',
      pmc: 'https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3159421/',
      oclc: 'https://www.worldcat.org/oclc/22239204',
      s2cid: 'https://api.semanticscholar.org/CorpusID:13756489',
      bibcode: 'https://ui.adsabs.harvard.edu/abs/2019ApJ...875L...1E/abstract',
    };
    const a = article({
      references: Object.values(urls).map((url, i) => ref(String(i + 1), [link(url, 'identifier')])),
    });
    const fetcher = new FakeFetcher({
      [urls.jstor]: status(403),
      [urls.pmc]: live(),
      [urls.oclc]: status(404),
      [urls.s2cid]: live(),
      [urls.bibcode]: live(),
    });
    const run = await checkArticles([a], { ...OPTIONS, confirm: 1 }, { fetcher });
    expect(fetcher.pageCalls.sort()).toEqual(Object.values(urls).sort());
    expect(
      run.articles[0]!.references.map((r) => [r.links[0]!.check?.outcome, r.links[0]!.check?.reason]),
    ).toEqual([
      ['blocked', 'http-403'],
      ['alive', 'http-200'],
      ['dead', 'http-404'],
      ['alive', 'http-200'],
      ['alive', 'http-200'],
    ]);
    expect(kinds(run.findings[0]!).sort()).toEqual(['blocked-link', 'dead-link']);
    // An ISBN link is a wiki's Special:BookSources tool page: still validated, not fetched.
    const isbn = 'https://en.wikipedia.org/wiki/Special:BookSources/9780262033848';
    const books = new FakeFetcher({});
    const withIsbn = await checkArticles(
      [
        article({
          references: [ref('1', [link(isbn, 'identifier')], { identifiers: { isbn: ['9780262033848'] } })],
        }),
      ],
      { ...OPTIONS, confirm: 1 },
      { fetcher: books },
    );
    expect(books.pageCalls).toEqual([]);
    expect(withIsbn.articles[0]!.references[0]!.links[0]!).toMatchObject({
      role: 'identifier',
      check: { outcome: 'skipped', reason: 'offline-validation' },
    });
  });

  it('emits the network findings with suggestions', async () => {
    const a = article({
      references: [
        ref('1', [link('https://dead.example/with-snapshot')], { accessDate: '2019-05-04' }),
        ref('2', [link('https://dead.example/without')]),
        ref('3', [link('https://blocked.example/x')]),
        ref('4', [link('https://broken.example/x')]),
        ref(
          '5',
          [
            link('https://live.example/x'),
            link('https://web.archive.org/web/2019/https://live.example/x', 'archive'),
          ],
          {
            archive: { present: true, url: 'https://web.archive.org/web/2019/https://live.example/x' },
          },
        ),
        ref('6', [], { identifiers: { doi: ['10.1000/unknown'] } }),
        ref('7', [], { identifiers: { doi: ['10.1000/back'] }, doiInactiveSince: '2024-01-01' }),
        ref('8', [], { identifiers: { doi: ['10.1000/still-broken'] }, doiInactiveSince: '2024-01-01' }),
        ref('9', [link('https://dead.example/handled')], {
          archive: { present: true, url: 'https://web.archive.org/web/2019/https://dead.example/handled' },
          urlStatus: 'dead',
        }),
      ],
    });
    const fetcher = new FakeFetcher(
      {
        'https://dead.example/with-snapshot': status(404),
        'https://dead.example/without': status(410),
        'https://dead.example/handled': status(404),
        'https://blocked.example/x': status(403),
        'https://broken.example/x': failure('timeout'),
        'https://live.example/x': live(),
        'https://web.archive.org/web/2019/https://live.example/x': status(404),
      },
      {
        dois: { '10.1000/back': true },
        captures: { 'https://dead.example/with-snapshot': '20190506101010' },
      },
    );
    const run = await checkArticles([a], { ...OPTIONS, confirm: 1 }, { fetcher });
    const findings = run.findings[0]!;
    expect(kinds(findings)).toEqual([
      'dead-link',
      'dead-link',
      'blocked-link',
      'link-error',
      'archive-link-dead',
      'doi-unresolvable',
      'doi-inactive-flag-stale',
    ]);
    const [snap, noSnap, blocked, error, archive, doi, stale] = findings;
    expect(snap).toMatchObject({
      severity: 'error',
      referenceIds: ['1'],
      location: { section: 'References' },
      suggestion:
        '|archive-url=https://web.archive.org/web/20190506101010/https://dead.example/with-snapshot |archive-date=2019-05-06 |url-status=dead',
    });
    expect(snap!.message).toContain('HTTP 404 Not Found');
    expect(noSnap).toMatchObject({ suggestion: '{{dead link|date=November 2026}}' });
    expect(blocked).toMatchObject({ severity: 'info' });
    expect(blocked!.message).toContain('HTTP 403 Forbidden');
    expect(error).toMatchObject({ severity: 'info' });
    expect(error!.message).toContain('timed out');
    expect(archive).toMatchObject({ severity: 'warning', referenceIds: ['5'] });
    expect(doi).toMatchObject({ severity: 'error', referenceIds: ['6'] });
    expect(stale).toMatchObject({ severity: 'warning', referenceIds: ['7'] });
    // The snapshot is on the link too; the availability API was asked with the access date.
    expect(run.articles[0]!.references[0]!.links[0]!.check?.snapshot).toEqual({
      url: 'https://web.archive.org/web/20190506101010/https://dead.example/with-snapshot',
      timestamp: '20190506101010',
    });
    expect(
      fetcher.calls.find((u) => u.startsWith(ENDPOINTS.wayback) && u.includes('with-snapshot')),
    ).toContain('timestamp=20190504');
    // No lookup for the reference that already has its archive copy.
    expect(fetcher.calls.some((u) => u.startsWith(ENDPOINTS.wayback) && u.includes('handled'))).toBe(false);
  });

  it('a dead outcome without history is only suspect; history confirms it', async () => {
    const a = article({ references: [ref('1', [link('https://dead.example/x')])] });
    const fetcher = new FakeFetcher({ 'https://dead.example/x': status(404) });
    const first = await checkArticles([a], OPTIONS, { fetcher });
    expect(first.articles[0]!.references[0]!.links[0]!.check).toMatchObject({
      outcome: 'dead',
      verdict: 'suspect',
      streak: 1,
    });
    expect(kinds(first.findings[0]!)).toEqual(['suspect-link']);
    expect(first.findings[0]![0]!.message).toContain('1 of 3 checks');

    const previous: Observation[] = [
      { outcome: 'alive', at: '2026-11-01T00:00:00.000Z' },
      { outcome: 'dead', at: '2026-11-20T00:00:00.000Z' },
      { outcome: 'dead', at: '2026-11-24T00:00:00.000Z' },
    ];
    const asked: string[] = [];
    const later = await checkArticles([a], OPTIONS, {
      fetcher,
      history: {
        previous: (url) => {
          asked.push(url);
          return previous;
        },
      },
    });
    expect(asked).toEqual(['https://dead.example/x']);
    expect(later.articles[0]!.references[0]!.links[0]!.check).toMatchObject({
      verdict: 'dead',
      streak: 3,
      since: '2026-11-20T00:00:00.000Z',
      lastAliveAt: '2026-11-01T00:00:00.000Z',
    });
    expect(kinds(later.findings[0]!)).toEqual(['dead-link']);
  });

  it('shards: URLs and identifiers outside `include` are neither fetched nor observed', async () => {
    const a = article({
      references: [
        ref('1', [link('https://mine.example/x'), link('https://theirs.example/y')], {
          identifiers: { doi: ['10.1000/mine', '10.1000/theirs'] },
        }),
      ],
    });
    const fetcher = new FakeFetcher({ 'https://mine.example/x': live() }, { dois: { '10.1000/mine': true } });
    const run = await checkArticles(
      [a],
      { ...OPTIONS, include: (url) => !url.includes('theirs') },
      { fetcher },
    );
    expect(fetcher.pageCalls).toEqual(['https://mine.example/x']);
    expect(run.observations.map((o) => o.url)).toEqual(['https://mine.example/x']);
    const r = run.articles[0]!.references[0]!;
    expect(r.links[1]!.check).toMatchObject({
      outcome: 'skipped',
      reason: 'other-shard',
      verdict: 'skipped',
    });
    expect(r.identifierChecks.map((c) => [c.value, c.outcome, c.reason])).toEqual([
      ['10.1000/mine', 'resolves', 'found'],
      ['10.1000/theirs', 'skipped', 'other-shard'],
    ]);
  });

  it('skips malformed and non-http URLs without a request, and reports progress', async () => {
    const a = article({
      references: [
        ref('1', [
          link('not a url'),
          link('mailto:someone@example.com'),
          link('//proto-relative.example/p'),
          link('https://x.example/'),
        ]),
      ],
    });
    const progress: CheckProgress[] = [];
    const fetcher = new FakeFetcher({
      'https://proto-relative.example/p': live(),
      'https://x.example/': status(503),
    });
    const run = await checkArticles([a], OPTIONS, { fetcher, onProgress: (p) => progress.push(p) });
    expect(fetcher.pageCalls.sort()).toEqual(['https://proto-relative.example/p', 'https://x.example/']);
    expect(run.articles[0]!.references[0]!.links.map((l) => l.check?.reason)).toEqual([
      'invalid-url',
      'unsupported-scheme',
      'http-200',
      'http-503',
    ]);
    // One update per link, then the Wayback lookups of the two checked links (start, each end).
    const pages = progress.filter((p) => !p.snapshots);
    expect(pages).toHaveLength(4);
    expect(pages.at(-1)).toEqual({
      done: 4,
      total: 4,
      byOutcome: { alive: 1, dead: 0, blocked: 0, error: 1, skipped: 2 },
      byVerdict: { alive: 1, suspect: 0, dead: 0, blocked: 0, error: 1, skipped: 2 },
    });
    expect(progress.at(-1)?.snapshots).toEqual({ done: 2, total: 2 });
  });

  it('observations carry what the history needs', async () => {
    const a = article({ references: [ref('1', [link('https://a.example/moved')])] });
    const fetcher = new FakeFetcher({
      'https://a.example/moved': { ...live(), finalUrl: 'https://a.example/', bytes: 2048, durationMs: 33 },
    });
    const run = await checkArticles([a], { ...OPTIONS, snapshotsFor: [] }, { fetcher });
    expect(run.observations).toEqual([
      {
        url: 'https://a.example/moved',
        outcome: 'dead',
        reason: 'redirect-to-root',
        httpStatus: 200,
        finalUrl: 'https://a.example/',
        at: NOW,
        durationMs: 33,
        bytes: 2048,
      },
    ]);
    // snapshotsFor: [] — no archive lookup for the dead link.
    expect(fetcher.calls).toEqual(['https://a.example/moved']);
  });
});

describe('checkArticles: Wayback snapshots', () => {
  const waybackCalls = (fetcher: FakeFetcher): string[] =>
    fetcher.calls
      // One per lookup: the first availability GET (closest before the date); batches have no url.
      .filter((u) => u.startsWith(ENDPOINTS.wayback) && new URL(u).searchParams.get('closest') === 'before')
      .map((u) => new URL(u).searchParams.get('url')!)
      .sort();

  it('looks up every checked link whose citation has no archive copy, whatever its outcome', async () => {
    const a = article({
      references: [
        ref('1', [link('https://live.example/a')], { accessDate: '2020-02-03' }),
        ref('2', [link('https://dead.example/b')]),
        ref('3', [link('https://blocked.example/c')]),
        ref('4', [link('https://broken.example/d')]),
        ref('5', [link('ftp://files.example/e')]),
        ref(
          '6',
          [link('https://live.example/archived'), link('https://web.archive.org/web/2019/x', 'archive')],
          {
            archive: { present: true, url: 'https://web.archive.org/web/2019/x' },
          },
        ),
        ref('7', [link('https://doi.org/10.1000/x', 'identifier')], { identifiers: { doi: ['10.1000/x'] } }),
      ],
    });
    const fetcher = new FakeFetcher(
      {
        'https://live.example/a': live(),
        'https://dead.example/b': status(404),
        'https://blocked.example/c': status(403),
        'https://broken.example/d': failure('timeout'),
        'https://live.example/archived': live(),
        'https://web.archive.org/web/2019/x': live(),
      },
      { dois: { '10.1000/x': true }, captures: { 'https://live.example/a': '20200201000000' } },
    );
    const lookups: unknown[] = [];
    const run = await checkArticles([a], OPTIONS, { fetcher, onSnapshotLookup: (l) => lookups.push(l) });
    expect(waybackCalls(fetcher)).toEqual([
      'https://blocked.example/c',
      'https://broken.example/d',
      'https://dead.example/b',
      'https://live.example/a',
    ]);
    expect(run.articles[0]!.references[0]!.links[0]!.check?.snapshot).toEqual({
      url: 'https://web.archive.org/web/20200201000000/https://live.example/a',
      timestamp: '20200201000000',
    });
    expect(lookups).toContainEqual({
      url: 'https://live.example/a',
      date: '2020-02-03',
      at: NOW,
      snapshot: {
        url: 'https://web.archive.org/web/20200201000000/https://live.example/a',
        timestamp: '20200201000000',
      },
    });
    // An undated citation wants the latest capture: asked with today's date, kept as 'latest'.
    expect(lookups).toContainEqual({ url: 'https://dead.example/b', date: 'latest', at: NOW });
    expect(
      fetcher.calls.find((u) => u.startsWith(ENDPOINTS.wayback) && u.includes('dead.example')),
    ).toContain('timestamp=20261128');
    expect(lookups).toHaveLength(4);
  });

  it('reports the lookups to the progress bar as they start and end', async () => {
    const a = article({
      references: [ref('1', [link('https://live.example/a')]), ref('2', [link('https://dead.example/b')])],
    });
    const fetcher = new FakeFetcher({
      'https://live.example/a': live(),
      'https://dead.example/b': status(404),
    });
    const seen: CheckProgress[] = [];
    await checkArticles([a], OPTIONS, { fetcher, onProgress: (p) => seen.push(p) });
    const lookups = seen.flatMap((p) => (p.snapshots ? [p.snapshots] : []));
    expect(lookups.at(-1)).toEqual({ done: 2, total: 2 });
    expect(lookups.every((l) => l.done <= l.total)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ done: 2, total: 2 });
  });

  it("starts a link's lookup as soon as its outcome is known, beside the pages still running", async () => {
    const a = article({
      references: [ref('1', [link('https://quick.example/a')]), ref('2', [link('https://slow.example/b')])],
    });
    const order: string[] = [];
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const inner = new FakeFetcher({ 'https://quick.example/a': live(), 'https://slow.example/b': live() });
    const fetcher: Fetcher = {
      fetch: async (request) => {
        if (request.url.startsWith(ENDPOINTS.wayback)) {
          // A batch carries its URLs in the body.
          const asked =
            new URL(request.url).searchParams.get('url') ??
            new URLSearchParams(request.body ?? '').get('url');
          order.push(`lookup ${asked}`);
          releaseSlow();
        }
        if (request.url === 'https://slow.example/b') await slowGate;
        const result = await inner.fetch(request);
        if (!request.url.startsWith(ENDPOINTS.wayback) && !request.url.startsWith(ENDPOINTS.cdx))
          order.push(`page ${request.url}`);
        return result;
      },
      stats: () => inner.stats(),
      close: () => inner.close(),
    };
    await checkArticles([a], OPTIONS, { fetcher });
    // The slow page answers only once the quick page's lookup has started.
    expect(order.slice(0, 3)).toEqual([
      'page https://quick.example/a',
      'lookup https://quick.example/a',
      'page https://slow.example/b',
    ]);
  });

  it('holds lookups until some host has answered, and drops them when none does', async () => {
    const a = article({ references: [ref('1', [link('https://gone.example/a')])] });
    const fetcher = new FakeFetcher({ 'https://gone.example/a': failure('offline') });
    const run = await checkArticles([a], OPTIONS, { fetcher });
    expect(run.offline).toBe(true);
    expect(fetcher.calls).toEqual(['https://gone.example/a']);
  });

  it('snapshotsFor limits the outcomes looked up', async () => {
    const a = article({
      references: [ref('1', [link('https://live.example/a')]), ref('2', [link('https://dead.example/b')])],
    });
    const fetcher = new FakeFetcher({
      'https://live.example/a': live(),
      'https://dead.example/b': status(404),
    });
    await checkArticles([a], { ...OPTIONS, snapshotsFor: ['dead'] }, { fetcher });
    expect(waybackCalls(fetcher)).toEqual(['https://dead.example/b']);
  });

  it('the history answers first: a snapshot found is reused, none found is asked again after 30 days', async () => {
    const a = article({
      references: [
        ref('1', [link('https://live.example/found')], { accessDate: '2020-01-01' }),
        ref('2', [link('https://live.example/recent-miss')], { accessDate: '2020-01-01' }),
        ref('3', [link('https://live.example/old-miss')], { accessDate: '2020-01-01' }),
        ref('4', [link('https://live.example/other-date')], { accessDate: '2020-01-01' }),
        ref('5', [link('https://live.example/undated')]),
      ],
    });
    const fetcher = new FakeFetcher({
      'https://live.example/found': live(),
      'https://live.example/recent-miss': live(),
      'https://live.example/old-miss': live(),
      'https://live.example/other-date': live(),
      'https://live.example/undated': live(),
    });
    const stored = {
      url: 'https://web.archive.org/web/20191231000000/https://live.example/found',
      timestamp: '20191231000000',
    };
    const known: Record<string, { at: string; snapshot?: typeof stored }> = {
      'https://live.example/found 2020-01-01': { at: '2025-01-01T00:00:00Z', snapshot: stored },
      'https://live.example/recent-miss 2020-01-01': { at: '2026-11-01T00:00:00Z' },
      'https://live.example/old-miss 2020-01-01': { at: '2026-10-01T00:00:00Z' },
      'https://live.example/other-date 2019-06-01': { at: '2026-11-27T00:00:00Z' },
      // Looked up yesterday, undated: the same key today.
      'https://live.example/undated latest': { at: '2026-11-27T00:00:00Z' },
    };
    const lookups: Array<{ url: string }> = [];
    const run = await checkArticles([a], OPTIONS, {
      fetcher,
      history: { previous: () => [], snapshotLookup: (url, date) => known[`${url} ${date}`] },
      onSnapshotLookup: (l) => lookups.push(l),
    });
    expect(waybackCalls(fetcher)).toEqual([
      'https://live.example/old-miss',
      'https://live.example/other-date',
    ]);
    expect(lookups.map((l) => l.url).sort()).toEqual([
      'https://live.example/old-miss',
      'https://live.example/other-date',
    ]);
    expect(run.articles[0]!.references[0]!.links[0]!.check?.snapshot).toEqual(stored);
  });
});

describe('checkArticles and Article shapes', () => {
  it('keeps identifier checks of kinds it did not check', async () => {
    const a: Article = article({ references: [ref('1', [], { identifiers: { issn: ['0378-5955'] } })] });
    a.references[0]!.identifierChecks = [
      { kind: 'bibcode', value: 'x', outcome: 'valid', reason: 'earlier' },
    ];
    const run = await checkArticles([a], OPTIONS, { fetcher: new FakeFetcher({}) });
    expect(run.articles[0]!.references[0]!.identifierChecks.map((c) => [c.kind, c.outcome])).toEqual([
      ['bibcode', 'valid'],
      ['issn', 'valid'],
    ]);
  });
});
