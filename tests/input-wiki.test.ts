/**
 * The MediaWiki client (`--wiki`, `--wiki-list`) against a real `node:http` server on loopback
 * that plays the Action API (`tests/support/mediawiki.ts`), through the real polite fetcher:
 * the address guard, the scheduler and undici are all in the path.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOMEPAGE, VERSION } from '../src/defaults.js';
import {
  ApiError,
  type CitewatchError,
  ERROR_CODES,
  InputError,
  USAGE_ERROR_CODES,
  WikiMissingTitleError,
} from '../src/errors.js';
import {
  DEFAULT_MAXLAG_RETRIES,
  fetchWikiPage,
  fetchWikiPages,
  MAX_LAG_WAIT_MS,
  readTitleList,
  type WikiClientDeps,
} from '../src/input/wiki.js';
import {
  createFetcher,
  type FetcherOptions,
  fetcherOptionsFromDefaults,
  type PoliteFetcher,
} from '../src/net/index.js';
import { resolveCheckOptions } from '../src/options.js';
import { readFixture } from './support/fixtures.js';
import {
  MEDIAWIKI_HOST,
  MEDIAWIKI_PATH,
  type MediaWikiHost,
  type MediaWikiSpec,
  mediawikiService,
} from './support/mediawiki.js';
import { type RequestLog, type Simulator, startSimulator } from './support/simulator.js';

const NOW = new Date('2026-03-14T09:26:53.000Z');
const GORYEO = readFixture('wikitext/corpus/Goryeo-ware.txt');
const GORYEO_HTML = readFixture('html/legacy-references.html');
const SEED_TITLE = 'Artificial intelligence industry in China';
const SEED_WIKITEXT =
  "'''Artificial intelligence industry in China''' is a rapidly developing field.<ref>A source.</ref>";

let sim: Simulator | undefined;
let fetcher: PoliteFetcher | undefined;
let wiki: MediaWikiHost;
let sleeps: number[];

/** Starts the wiki and a real fetcher allowed onto loopback, without waiting between requests. */
async function startWiki(
  spec: Partial<MediaWikiSpec> = {},
  options: { path?: string; fetcher?: Partial<FetcherOptions> } = {},
): Promise<{ endpoint: string; deps: WikiClientDeps }> {
  wiki = mediawikiService(
    {
      pages: [
        { title: 'Goryeo ware', wikitext: GORYEO, html: GORYEO_HTML, revid: 1_234_567_890, pageid: 42 },
        { title: SEED_TITLE, wikitext: SEED_WIKITEXT },
        { title: 'Celadon', wikitext: "'''Celadon''' is a glaze." },
        { title: 'Porcelain', wikitext: "'''Porcelain''' is a ceramic." },
      ],
      redirects: { 'AI industry in China': SEED_TITLE, 'Goryeo celadon': 'Goryeo ware' },
      ...spec,
    },
    { ...(options.path !== undefined && { path: options.path }) },
  );
  sim = await startSimulator([wiki]);
  fetcher = createFetcher(
    fetcherOptionsFromDefaults({
      allowNetwork: ['127.0.0.0/8'],
      perHostIntervalMs: 0,
      perHostConcurrency: 4,
      retries: 0,
      ...options.fetcher,
    }),
    { lookup: sim.lookup },
  );
  sleeps = [];
  const deps: WikiClientDeps = {
    fetcher,
    now: () => NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
  return { endpoint: sim.url(MEDIAWIKI_HOST, options.path ?? MEDIAWIKI_PATH), deps };
}

const apiRequests = (): RequestLog[] => sim?.requests.filter((r) => r.host === MEDIAWIKI_HOST) ?? [];
const queryOf = (log: RequestLog): URLSearchParams => new URL(log.path, 'http://sim').searchParams;

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

afterEach(async () => {
  await fetcher?.close();
  await sim?.close();
  fetcher = undefined;
  sim = undefined;
});

describe('fetchWikiPage', () => {
  it('fetches the wikitext and HTML of a page with its revision and fetch time', async () => {
    const { endpoint, deps } = await startWiki();
    const page = await fetchWikiPage('Goryeo ware', { endpoint }, deps);
    expect(page).toEqual({
      title: 'Goryeo ware',
      requestedTitle: 'Goryeo ware',
      revisionId: 1_234_567_890,
      wikitext: GORYEO,
      html: GORYEO_HTML,
      endpoint,
      fetchedAt: NOW.toISOString(),
    });
    expect(wiki.served()).toBe(1);
  });

  it('asks action=parse for text, wikitext and revid, formatversion 2, redirects, maxlag 5, JSON', async () => {
    const { endpoint, deps } = await startWiki();
    await fetchWikiPage('Goryeo ware', { endpoint }, deps);
    const [request] = apiRequests();
    expect(request?.method).toBe('GET');
    const query = queryOf(request as RequestLog);
    expect(query.get('action')).toBe('parse');
    expect(query.get('page')).toBe('Goryeo ware');
    expect(new Set(query.get('prop')?.split('|'))).toEqual(new Set(['text', 'wikitext', 'revid']));
    expect(query.get('formatversion')).toBe('2');
    expect(query.get('redirects')).toBe('1');
    expect(query.get('maxlag')).toBe('5');
    expect(query.get('format')).toBe('json');
  });

  it('identifies itself as the Wikimedia User-Agent policy asks: name/version (homepage; contact)', async () => {
    const { endpoint, deps } = await startWiki();
    await fetchWikiPage('Goryeo ware', { endpoint }, deps);
    const agent = String(apiRequests()[0]?.headers['user-agent']);
    expect(agent.startsWith(`citewatch/${VERSION} (`)).toBe(true);
    expect(agent).toContain(HOMEPAGE);
    expect(agent).toMatch(/\(\+https:\/\/\S+; [^\s@()]+@[^\s@()]+\.[a-z]+\)$/);
    expect(apiRequests()[0]?.headers.accept).toBe('application/json');
    expect(apiRequests()[0]?.headers['accept-encoding']).toContain('gzip');
  });

  it('keeps the requested title and the final one when the wiki follows a redirect', async () => {
    const { endpoint, deps } = await startWiki();
    const page = await fetchWikiPage('AI industry in China', { endpoint }, deps);
    expect(page.requestedTitle).toBe('AI industry in China');
    expect(page.title).toBe(SEED_TITLE);
    expect(page.wikitext).toBe(SEED_WIKITEXT);
    expect(page.revisionId).toBe(1001);
  });

  it('keeps the title as typed next to the one the wiki normalised', async () => {
    const { endpoint, deps } = await startWiki();
    const page = await fetchWikiPage('goryeo_ware', { endpoint }, deps);
    expect(page).toMatchObject({ requestedTitle: 'goryeo_ware', title: 'Goryeo ware', wikitext: GORYEO });
  });

  it('a title the wiki does not have is WikiMissingTitleError, a usage error (exit code 2)', async () => {
    const { endpoint, deps } = await startWiki();
    const error = await rejection(fetchWikiPage('No such article anywhere', { endpoint }, deps));
    expect(error).toBeInstanceOf(WikiMissingTitleError);
    expect((error as WikiMissingTitleError).title).toBe('No such article anywhere');
    expect((error as CitewatchError).code).toBe(ERROR_CODES.wikiMissing);
    expect(USAGE_ERROR_CODES.has((error as CitewatchError).code)).toBe(true);
    expect(wiki.served()).toBe(1);
  });

  it('a title the wiki cannot have (invalidtitle) is WikiMissingTitleError too', async () => {
    const { endpoint, deps } = await startWiki();
    const error = await rejection(fetchWikiPage('Goryeo {{ware}}', { endpoint }, deps));
    expect(error).toBeInstanceOf(WikiMissingTitleError);
  });

  it('reads errors in the legacy format too (wikis older than MediaWiki 1.29 ignore errorformat)', async () => {
    const { endpoint, deps } = await startWiki({
      override: () => ({
        status: 200,
        body: JSON.stringify({
          error: { code: 'missingtitle', info: "The page you specified doesn't exist.", docref: 'See …' },
          servedby: 'mw1',
        }),
      }),
    });
    await expect(fetchWikiPage('Goryeo ware', { endpoint }, deps)).rejects.toBeInstanceOf(
      WikiMissingTitleError,
    );
  });

  it('another API error is an ApiError that names its code', async () => {
    const { endpoint, deps } = await startWiki({
      override: () => ({
        status: 200,
        body: JSON.stringify({
          errors: [
            {
              code: 'internal_api_error_DBQueryError',
              text: 'A database query error has occurred.',
              module: 'main',
            },
          ],
          servedby: 'mw1',
        }),
      }),
    });
    const error = await rejection(fetchWikiPage('Goryeo ware', { endpoint }, deps));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).service).toBe('mediawiki');
    expect((error as ApiError).message).toContain('internal_api_error_DBQueryError');
    expect(USAGE_ERROR_CODES.has((error as CitewatchError).code)).toBe(false);
  });

  it('waits out a maxlag answer for as long as its Retry-After says, then gets the page', async () => {
    const { endpoint, deps } = await startWiki({ lag: (n) => (n <= 2 ? 8 : 0), retryAfter: 7 });
    const page = await fetchWikiPage('Goryeo ware', { endpoint }, deps);
    expect(page.wikitext).toBe(GORYEO);
    expect(sleeps).toEqual([7_000, 7_000]);
    expect(wiki.served()).toBe(3);
    for (const request of apiRequests()) expect(queryOf(request).get('maxlag')).toBe('5');
  });

  it('without Retry-After, waits as long as the reported lag (at least 5 s)', async () => {
    const { endpoint, deps } = await startWiki({
      lag: (n) => (n === 1 ? 12 : n === 2 ? 6 : 0),
      retryAfter: null,
    });
    await fetchWikiPage('Goryeo ware', { endpoint }, deps);
    expect(sleeps).toEqual([12_000, 6_000]);
  });

  it(`waits ${MAX_LAG_WAIT_MS / 1000} s at most, whatever Retry-After says`, async () => {
    const { endpoint, deps } = await startWiki({ lag: (n) => (n === 1 ? 900 : 0), retryAfter: 3600 });
    await fetchWikiPage('Goryeo ware', { endpoint }, deps);
    expect(sleeps).toEqual([MAX_LAG_WAIT_MS]);
  });

  it('a wiki that stays lagged ends in an ApiError after the retries', async () => {
    const { endpoint, deps } = await startWiki({ lag: () => 30 });
    const error = await rejection(fetchWikiPage('Goryeo ware', { endpoint, maxlagRetries: 2 }, deps));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as CitewatchError).code).toBe(ERROR_CODES.api);
    expect(wiki.served()).toBe(3);
    expect(sleeps).toEqual([5_000, 5_000]);
  });

  it(`gives up on lag after ${DEFAULT_MAXLAG_RETRIES} retries by default`, async () => {
    const { endpoint, deps } = await startWiki({ lag: () => 30 });
    await expect(fetchWikiPage('Goryeo ware', { endpoint }, deps)).rejects.toBeInstanceOf(ApiError);
    expect(wiki.served()).toBe(DEFAULT_MAXLAG_RETRIES + 1);
  });

  it('an overloaded wiki (HTTP 503 error page) is waited out like lag', async () => {
    const { endpoint, deps } = await startWiki({
      override: (n) =>
        n === 1
          ? {
              status: 503,
              body: '<html><body>Our servers are currently under maintenance</body></html>',
              headers: { 'content-type': 'text/html', 'retry-after': '9' },
            }
          : undefined,
    });
    const page = await fetchWikiPage('Goryeo ware', { endpoint }, deps);
    expect(page.title).toBe('Goryeo ware');
    expect(sleeps).toEqual([9_000]);
  });

  it('an answer that is not JSON is an ApiError', async () => {
    const { endpoint, deps } = await startWiki({
      override: () => ({ status: 200, body: '{"parse": {"title": "Goryeo ware", "wikitext": "trunc' }),
    });
    const error = await rejection(fetchWikiPage('Goryeo ware', { endpoint }, deps));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).service).toBe('mediawiki');
  });

  it('JSON of the wrong shape is an ApiError (checked at the boundary, never trusted)', async () => {
    const shapes = [
      { parse: { title: 42, wikitext: 'x', text: 'y' } },
      // formatversion 1: text and wikitext wrapped in {"*": …}
      { parse: { title: 'Goryeo ware', wikitext: { '*': 'x' }, text: { '*': 'y' } } },
      { parse: { title: 'Goryeo ware', revid: 'latest', wikitext: 'x', text: 'y' } },
      { error: { info: 'no code' } },
      { parse: { title: 'Goryeo ware', revid: 5 } },
      [],
      null,
    ];
    const { endpoint, deps } = await startWiki({
      override: (n) => ({ status: 200, body: JSON.stringify(shapes[n - 1]) }),
    });
    for (const shape of shapes) {
      const error = await rejection(fetchWikiPage('Goryeo ware', { endpoint }, deps));
      expect(error, JSON.stringify(shape)).toBeInstanceOf(ApiError);
    }
    expect(wiki.served()).toBe(shapes.length);
  });

  it('an HTTP error page is an ApiError', async () => {
    const { endpoint, deps } = await startWiki({
      override: () => ({
        status: 500,
        body: '<html>Internal error</html>',
        headers: { 'content-type': 'text/html' },
      }),
    });
    await expect(fetchWikiPage('Goryeo ware', { endpoint }, deps)).rejects.toBeInstanceOf(ApiError);
  });

  it('a refusal for a generic User-Agent is an ApiError, not a page', async () => {
    const { endpoint, deps } = await startWiki({}, { fetcher: { userAgent: 'undici' } });
    await expect(fetchWikiPage('Goryeo ware', { endpoint }, deps)).rejects.toBeInstanceOf(ApiError);
  });

  it('a wiki that cannot be reached is an ApiError', async () => {
    const { deps } = await startWiki();
    const endpoint = 'http://wiki.invalid/w/api.php';
    const error = await rejection(fetchWikiPage('Goryeo ware', { endpoint }, deps));
    expect(error).toBeInstanceOf(ApiError);
  });

  it('honours --endpoint mediawiki=URL, whatever the path and query of the URL', async () => {
    const { deps } = await startWiki({}, { path: '/mirror/enwiki/api.php' });
    const base = `${sim?.url(MEDIAWIKI_HOST, '/mirror/enwiki/api.php')}?origin=*`;
    const options = resolveCheckOptions({ endpoint: [`mediawiki=${base}`] });
    expect(options.endpoints.mediawiki).toBe(base);
    const page = await fetchWikiPage('Goryeo ware', { endpoint: options.endpoints.mediawiki }, deps);
    expect(page).toMatchObject({ title: 'Goryeo ware', endpoint: base });
    const [request] = apiRequests();
    expect(request?.path.split('?')[0]).toBe('/mirror/enwiki/api.php');
    expect(queryOf(request as RequestLog).get('origin')).toBe('*');
    expect(queryOf(request as RequestLog).get('action')).toBe('parse');
  });

  it('asks the configured endpoint only: the default path of the same host is never used', async () => {
    const { endpoint, deps } = await startWiki({}, { path: '/w/api.php' });
    const other = endpoint.replace('/w/api.php', '/wiki/api.php');
    await expect(fetchWikiPage('Goryeo ware', { endpoint: other }, deps)).rejects.toBeInstanceOf(ApiError);
    expect(wiki.served()).toBe(0);
    expect(apiRequests().map((r) => r.path.split('?')[0])).toEqual(['/wiki/api.php']);
  });
});

describe('fetchWikiPages', () => {
  it('asks for one title at a time, in order, even when the fetcher would allow more', async () => {
    const { endpoint, deps } = await startWiki({ latencyMs: 40 }, { fetcher: { perHostConcurrency: 8 } });
    const titles = ['Goryeo ware', 'Celadon', 'Porcelain', SEED_TITLE];
    const pages = await fetchWikiPages(titles, { endpoint }, deps);
    expect(pages.map((p) => p.title)).toEqual(titles);
    expect(sim?.inFlightMax(MEDIAWIKI_HOST)).toBe(1);
    expect(apiRequests().map((r) => queryOf(r).get('page'))).toEqual(titles);
  });

  it('gives a page once when several titles lead to it', async () => {
    const { endpoint, deps } = await startWiki();
    const pages = await fetchWikiPages(
      ['Goryeo celadon', 'Celadon', 'Goryeo ware', 'goryeo_ware'],
      { endpoint },
      deps,
    );
    expect(pages.map((p) => [p.requestedTitle, p.title])).toEqual([
      ['Goryeo celadon', 'Goryeo ware'],
      ['Celadon', 'Celadon'],
    ]);
  });

  it('stops at the first title the wiki does not have', async () => {
    const { endpoint, deps } = await startWiki();
    await expect(
      fetchWikiPages(['Celadon', 'Nope nope', 'Porcelain'], { endpoint }, deps),
    ).rejects.toBeInstanceOf(WikiMissingTitleError);
    expect(wiki.served()).toBe(2);
  });
});

describe('readTitleList', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'citewatch-titles-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const listFile = async (text: string): Promise<string> => {
    const path = join(dir, 'titles.txt');
    await writeFile(path, text);
    return path;
  };

  it('reads one title a line, skipping comments and blank lines, trimming, first spelling kept', async () => {
    const path = await listFile(
      [
        '\uFEFF# Articles to watch',
        'Goryeo ware',
        '',
        '   ',
        '  Artificial intelligence industry in China  ',
        '# Celadon',
        'Goryeo_ware',
        'Goryeo  ware',
        '高麗青磁',
        'Goryeo ware',
        '',
      ].join('\r\n'),
    );
    expect(await readTitleList(path)).toEqual(['Goryeo ware', SEED_TITLE, '高麗青磁']);
  });

  it('a missing file is an InputError naming it (exit code 2)', async () => {
    const path = join(dir, 'missing.txt');
    const error = await rejection(readTitleList(path));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).subject).toBe(path);
    expect(USAGE_ERROR_CODES.has((error as CitewatchError).code)).toBe(true);
  });

  it('a list with no title is an InputError', async () => {
    const path = await listFile('# nothing yet\n\n   \n');
    await expect(readTitleList(path)).rejects.toBeInstanceOf(InputError);
  });

  it('a directory is an InputError, not a crash', async () => {
    await expect(readTitleList(dir)).rejects.toBeInstanceOf(InputError);
  });
});
