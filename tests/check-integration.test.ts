/**
 * `checkArticles` through the real fetcher against the loopback simulator: a small web of
 * live, dead, soft-404, redirecting, blocked, failing and refusing hosts, plus the simulated
 * DOI, E-utilities, arXiv and Wayback services. Virtual clock: no test waits on real time.
 */
import type { LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckOptions, checkArticles, serviceHostLimits } from '../src/check/index.js';
import type { Link, Reference } from '../src/model.js';
import { createFetcher, fetcherOptionsFromDefaults, type PoliteFetcher } from '../src/net/index.js';
import { article, reference } from './support/article-builder.js';
import {
  arxivService,
  cdxService,
  doiService,
  eutilsService,
  handleService,
  simulatedEndpoints,
  waybackService,
} from './support/services.js';
import { behaviours, createTestClock, type Simulator, startSimulator } from './support/simulator.js';

const NOW = '2026-11-28T21:15:00.000Z';

let sim: Simulator | undefined;
let fetcher: PoliteFetcher | undefined;

afterEach(async () => {
  await fetcher?.close();
  await sim?.close();
  sim = undefined;
  fetcher = undefined;
});

const link = (url: string, role: Link['role'] = 'source'): Link => ({ url, role });

function politeFetcher(lookup: LookupFunction, endpoints: { arxiv: string }): PoliteFetcher {
  const clock = createTestClock(Date.parse(NOW));
  return createFetcher(
    fetcherOptionsFromDefaults({
      allowNetwork: ['127.0.0.0/8'],
      hostLimits: serviceHostLimits(endpoints),
      retryBaseDelayMs: 100,
    }),
    { lookup, now: clock.now, sleep: clock.sleep, random: () => 0.5 },
  );
}

describe('checkArticles through the real fetcher (loopback)', () => {
  it('classifies a small web, checks identifiers and finds snapshots', async () => {
    sim = await startSimulator([
      {
        name: 'news.test',
        routes: {
          '/live': behaviours.ok(),
          '/gone': behaviours.gone(),
          '/missing': behaviours.notFound(),
          '/moved': behaviours.redirectToRoot(),
          '/': behaviours.ok(),
          '/loop': behaviours.redirectLoop(),
          '/paywalled': behaviours.ok(
            '<html><head><title>Markets</title></head><body><h1>Markets</h1><p>Stocks rose. Subscribe to continue reading.</p></body></html>',
          ),
        },
      },
      { name: 'guarded.test', routes: { '/story': behaviours.challenge() } },
      // A site that answers every missing page with its "not found" page and a 200.
      { name: 'soft.test', fallback: behaviours.soft404() },
      { name: 'slow-down.test', routes: { '/x': behaviours.rateLimited({ seconds: 3600, times: 10 }) } },
      { name: 'broken.test', routes: { '/x': behaviours.status(503, 'down') } },
      { name: 'refusing.test', refuse: true },
      doiService({ '10.1000/182': 1, '10.1000/inactive-but-back': 1 }),
      handleService({ '2027/mdp.39015074129430': 1 }),
      eutilsService({ '31452104': 'Quantum supremacy' }),
      arxivService({ '1706.03762': 'Attention Is All You Need' }),
      waybackService({}),
      cdxService({}),
    ]);
    const s = sim;
    const endpoints = simulatedEndpoints(s);
    // The Wayback services know the dead page only through their own URL form.
    const gone = s.url('news.test', '/gone');
    await s.addHost(waybackService({ [gone]: [{ timestamp: '20190506101010' }] }, 'archive-b.test'));
    endpoints.wayback = s.url('archive-b.test', '/wayback/available');
    fetcher = politeFetcher(s.lookup, endpoints);

    const refs: Reference[] = [
      reference('1', { links: [link(s.url('news.test', '/live'))], identifiers: { doi: ['10.1000/182'] } }),
      reference('2', { links: [link(gone)], accessDate: '2019-05-01' }),
      reference('3', { links: [link(s.url('soft.test', '/soft'))] }),
      reference('4', { links: [link(s.url('news.test', '/moved'))] }),
      reference('5', { links: [link(s.url('news.test', '/missing'))] }),
      reference('6', { links: [link(s.url('guarded.test', '/story'))] }),
      reference('7', { links: [link(s.url('slow-down.test', '/x'))] }),
      reference('8', { links: [link(s.url('broken.test', '/x'))] }),
      reference('9', { links: [link(s.url('news.test', '/loop'))] }),
      reference('10', { links: [link(s.url('refusing.test', '/x'))] }),
      reference('11', { links: [link('http://no-such-name.test/x')] }),
      reference('12', { links: [link(s.url('news.test', '/paywalled'))] }),
      reference('13', {
        links: [link('https://doi.org/10.1000/182', 'identifier')],
        identifiers: {
          pmid: ['31452104', '99999999'],
          arxiv: ['1706.03762', '2999.99999'],
          doi: ['10.1000/nope'],
          hdl: ['2027/mdp.39015074129430', '2027/mdp.00000000000000'],
        },
      }),
      reference('14', {
        identifiers: { doi: ['10.1000/inactive-but-back'] },
        doiInactiveSince: '2023-01-01',
      }),
      // The same live URL again, from another reference: fetched once.
      reference('15', { links: [link(`${s.url('news.test', '/live')}#top`)] }),
    ];
    const options: CheckOptions = { now: NOW, offline: false, confirm: 1, confirmSpanDays: 3, endpoints };
    const run = await checkArticles([article({ references: refs })], options, { fetcher });

    const outcomes = run.articles[0]!.references.map((r) =>
      r.links.map((l) => [l.check?.outcome, l.check?.reason]),
    );
    expect(outcomes).toEqual([
      [['alive', 'http-200']],
      [['dead', 'http-410']],
      [['dead', 'soft-404']],
      [['dead', 'redirect-to-root']],
      [['dead', 'http-404']],
      [['blocked', 'bot-challenge']],
      [['blocked', 'retry-after-too-long']],
      [['error', 'http-503']],
      [['error', 'redirect-loop']],
      [['dead', 'refused']],
      [['dead', 'dns-not-found']],
      [['alive', 'paywall']],
      [['alive', 'found']],
      [],
      [['alive', 'http-200']],
    ]);
    expect(run.articles[0]!.references[11]!.links[0]!.check?.restricted).toBe(true);
    expect(
      run.articles[0]!.references[12]!.identifierChecks.map((c) => [c.kind, c.value, c.outcome]),
    ).toEqual([
      ['doi', '10.1000/nope', 'unresolved'],
      ['pmid', '31452104', 'resolves'],
      ['pmid', '99999999', 'unresolved'],
      ['arxiv', '1706.03762', 'resolves'],
      ['arxiv', '2999.99999', 'unresolved'],
      ['hdl', '2027/mdp.39015074129430', 'resolves'],
      ['hdl', '2027/mdp.00000000000000', 'unresolved'],
    ]);
    expect(run.articles[0]!.references[1]!.links[0]!.check?.snapshot).toEqual({
      url: `http://web.archive.org/web/20190506101010/${gone}`.replace('http://', 'https://'),
      timestamp: '20190506101010',
    });
    expect(run.findings[0]!.map((f) => `${f.referenceIds[0]} ${f.kind}`)).toEqual([
      '2 dead-link',
      '3 dead-link',
      '4 dead-link',
      '5 dead-link',
      '6 blocked-link',
      '7 blocked-link',
      '8 link-error',
      '9 link-error',
      '10 dead-link',
      '11 dead-link',
      '13 doi-unresolvable',
      '13 identifier-unresolved',
      '13 identifier-unresolved',
      '13 identifier-unresolved',
      '14 doi-inactive-flag-stale',
    ]);
    expect(run.findings[0]![0]!.suggestion).toBe(
      `|archive-url=https://web.archive.org/web/20190506101010/${gone} |archive-date=2019-05-06 |url-status=dead`,
    );

    // Each distinct URL once (the 503 is retried, the loop follows its hops); the live page
    // cited twice was asked once.
    const livePath = s.requests.filter((r) => r.host === 'news.test' && r.path === '/live');
    expect(livePath).toHaveLength(1);
    expect(s.requests.filter((r) => r.host === 'broken.test')).toHaveLength(3);
    for (const host of ['news.test', 'doi.org', 'export.arxiv.org'])
      expect(s.inFlightMax(host)).toBeLessThanOrEqual(2);
    expect(s.inFlightMax('export.arxiv.org')).toBe(1);
    // Every request the servers saw, plus the three that never reached one (refused, no such
    // name, and the dead link's snapshot on https://web.archive.org, fetched to be judged).
    expect(run.requests).toBe(s.requests.length + 3);
    expect(run.offline).toBe(false);
    expect(run.observations).toHaveLength(13);
    for (const r of s.requests) expect(r.headers['user-agent']).toMatch(/^citewatch\//);
  });

  it('a machine without a network: nothing is called dead, the run is offline (unreachable)', async () => {
    const asked: string[] = [];
    const deadResolver = ((hostname: string, _options: unknown, callback: (...args: unknown[]) => void) => {
      asked.push(hostname);
      setImmediate(() =>
        callback(
          Object.assign(new Error(`getaddrinfo EAI_AGAIN ${hostname}`), { code: 'EAI_AGAIN', hostname }),
          [],
        ),
      );
    }) as unknown as LookupFunction;
    fetcher = politeFetcher(deadResolver, { arxiv: 'https://export.arxiv.org/api/query' });
    const refs = ['a', 'b', 'c', 'd', 'e'].map((h, i) =>
      reference(String(i + 1), {
        links: [link(`https://${h}.example/page`)],
        identifiers: { doi: [`10.1000/${h}`] },
      }),
    );
    const run = await checkArticles(
      [article({ references: refs })],
      { now: NOW, offline: false, confirm: 1, confirmSpanDays: 3, endpoints: simulatedEndpointsOffline() },
      { fetcher },
    );
    expect(run).toMatchObject({ offline: true, offlineReason: 'unreachable' });
    for (const r of run.articles[0]!.references) {
      expect(r.links[0]!.check).toMatchObject({ outcome: 'skipped', reason: 'offline', verdict: 'skipped' });
      expect(r.identifierChecks[0]).toMatchObject({ outcome: 'skipped', reason: 'offline' });
    }
    expect(run.findings[0]).toEqual([]);
    expect(fetcher.isOffline()).toBe(true);
  });
});

/** The real service names: nothing resolves them in the offline test. */
function simulatedEndpointsOffline() {
  return {
    doi: 'https://doi.org',
    handle: 'https://hdl.handle.net',
    wayback: 'https://archive.org/wayback/available',
    cdx: 'https://web.archive.org/cdx/search/cdx',
    spn: 'https://web.archive.org/save',
    mediawiki: 'https://en.wikipedia.org/w/api.php',
    eutils: 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils',
    arxiv: 'https://export.arxiv.org/api/query',
  };
}
