/**
 * Soft 404s are confirmed against the host's own not-found page (issue 12): before a 200 page
 * is called dead for what it says, the host is asked for a path that cannot exist (once per host
 * per run, through the same fetcher), and the page is dead only when the two match. Real
 * fetcher, loopback simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckOptions, checkArticles, matchesNotFoundPage, readPage } from '../src/check/index.js';
import type { Link } from '../src/model.js';
import { createFetcher, fetcherOptionsFromDefaults, type PoliteFetcher } from '../src/net/index.js';
import { article, reference } from './support/article-builder.js';
import { simulatedEndpoints } from './support/services.js';
import { behaviours, type Simulator, startSimulator } from './support/simulator.js';

const page = (title: string, text: string): string =>
  `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;

/** A real article whose title says "Error 404", on a short page: the soft-404 signals fire. */
const TYPO_ARTICLE = page(
  'Error 404: How a typo broke the internet',
  'A single mistyped character in a configuration file took down thousands of sites last week.',
);
/** The host's own soft-404 page, served with 200 for every missing path. */
const HOST_NOT_FOUND = page('Page not found', 'Sorry, the page you were looking for could not be found.');

let sim: Simulator | undefined;
let fetcher: PoliteFetcher | undefined;
afterEach(async () => {
  await fetcher?.close();
  await sim?.close();
  fetcher = undefined;
  sim = undefined;
});

async function check(urls: string[]) {
  fetcher = createFetcher(
    fetcherOptionsFromDefaults({ allowNetwork: ['127.0.0.0/8'], perHostIntervalMs: 0 }),
    {
      lookup: sim!.lookup,
    },
  );
  const options: CheckOptions = {
    now: '2026-11-28T03:00:00.000Z',
    offline: false,
    confirm: 1,
    endpoints: simulatedEndpoints(sim!),
    snapshotsFor: [],
  };
  const links: Link[] = urls.map((url) => ({ url, role: 'source' }));
  const run = await checkArticles([article({ references: [reference('1', { links })] })], options, {
    fetcher,
    random: () => 0.5,
  });
  return run.articles[0]!.references[0]!.links.map((l) => [l.check?.outcome, l.check?.reason]);
}

const probes = (host: string): string[] =>
  sim!.requests.filter((r) => r.host === host && r.path.includes('citewatch-')).map((r) => r.path);

describe("soft 404s are compared with the host's not-found page", () => {
  it('regression: a real article titled "Error 404: …" on a host with real 404s is alive', async () => {
    sim = await startSimulator([
      {
        name: 'blog.test',
        routes: {
          '/2026/error-404-typo': behaviours.ok(TYPO_ARTICLE),
          '/2026/not-found-the-band': behaviours.ok(
            page('Not Found: the band', 'A short note about a band.'),
          ),
        },
      },
    ]);
    const urls = [
      sim.url('blog.test', '/2026/error-404-typo'),
      sim.url('blog.test', '/2026/not-found-the-band'),
    ];
    expect(await check(urls)).toEqual([
      ['alive', 'http-200'],
      ['alive', 'http-200'],
    ]);
    // One probe for the host, in the directory of the page, however many candidates.
    expect(probes('blog.test')).toEqual([`/2026/citewatch-${'i'.repeat(16)}`]);
  });

  it("a page like the host's answer for a missing path is dead (same title or text, or the same redirect)", async () => {
    sim = await startSimulator([
      { name: 'soft.test', fallback: behaviours.ok(HOST_NOT_FOUND) },
      {
        name: 'moved.test',
        routes: { '/p/landing': behaviours.ok(page('Sorry', 'Sorry, this page does not exist.')) },
        fallback: behaviours.redirect('/p/landing', 302),
      },
      {
        name: 'echo.test',
        // The not-found page echoes the path it was asked for.
        fallback: (req, res) => {
          const name = (req.url ?? '').split('/').pop();
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(page(`${name} - Not Found`, `We could not find ${name}. Try the search box.`));
        },
      },
    ]);
    const urls = [
      sim.url('soft.test', '/news/deleted-story'),
      sim.url('moved.test', '/reports/2019-annual'),
      sim.url('echo.test', '/docs/old-manual'),
    ];
    expect(await check(urls)).toEqual([
      ['dead', 'soft-404'],
      ['dead', 'soft-404'],
      ['dead', 'soft-404'],
    ]);
    expect(probes('soft.test')).toHaveLength(1);
  });

  it('without an answer to compare with, the page is not called dead', async () => {
    sim = await startSimulator([
      {
        name: 'flaky.test',
        routes: { '/story': behaviours.ok(HOST_NOT_FOUND) },
        fallback: behaviours.status(403, page('Forbidden', 'No robots.')),
      },
    ]);
    expect(await check([sim.url('flaky.test', '/story')])).toEqual([['error', 'soft-404-unconfirmed']]);
  });
});

describe('matchesNotFoundPage', () => {
  const answer = (url: string, html: string, status = 200, finalUrl = url) => ({
    url,
    finalUrl,
    status,
    page: readPage(Buffer.from(html), 'text/html')!,
  });
  it('different pages on a host that soft-404s do not match', () => {
    const candidate = answer('https://x.test/a/story', TYPO_ARTICLE);
    const probe = answer('https://x.test/a/citewatch-zz', HOST_NOT_FOUND);
    expect(matchesNotFoundPage(candidate, probe)).toBe(false);
    expect(matchesNotFoundPage(candidate, answer('https://x.test/a/citewatch-zz', HOST_NOT_FOUND))).toBe(
      false,
    );
    expect(matchesNotFoundPage(answer('https://x.test/a/b', HOST_NOT_FOUND), probe)).toBe(true);
    expect(matchesNotFoundPage(candidate, { url: probe.url, finalUrl: probe.url, status: 410 })).toBe(false);
    expect(matchesNotFoundPage(candidate, { url: probe.url, finalUrl: probe.url })).toBeUndefined();
    expect(
      matchesNotFoundPage(candidate, { url: probe.url, finalUrl: probe.url, status: 503 }),
    ).toBeUndefined();
  });
});
