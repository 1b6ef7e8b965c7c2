/**
 * `classifyResponse`, one row per line of the design's outcome table, plus the pages that
 * must NOT be caught by the soft-404, parked and challenge heuristics.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessSoft404,
  classifyResponse,
  isDeepUrl,
  isSiteRoot,
  looksLikeErrorUrl,
  readPage,
} from '../src/check/index.js';
import { OUTCOMES } from '../src/model.js';
import { FETCH_ERROR_KINDS, type FetchErrorKind, type FetchResult, type Hop } from '../src/net/types.js';

const URL_ = 'https://news.example.com/2019/05/story-about-things';

const page = (title: string, text: string, extraHead = '', extraBody = ''): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${extraHead}</head><body>${extraBody}<h1>${title}</h1><p>${text}</p></body></html>`;

const long = (sentence: string, times = 60): string =>
  Array.from({ length: times }, () => sentence).join(' ');

const LIVE = page(
  'Story about things',
  long('A perfectly ordinary news story with real content about things.', 20),
);

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/pages/${name}`, import.meta.url));

interface Spec {
  status?: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
  url?: string;
  /** Final URL after redirects: a 301 hop is added from `url` to it. */
  finalUrl?: string;
  error?: FetchErrorKind;
}

function result(spec: Spec): FetchResult {
  const url = spec.url ?? URL_;
  const finalUrl = spec.finalUrl ?? url;
  const hops: Hop[] = [];
  if (finalUrl !== url)
    hops.push({ url, method: 'GET', status: 301, location: finalUrl, durationMs: 3, attempt: 1 });
  if (spec.status !== undefined)
    hops.push({ url: finalUrl, method: 'GET', status: spec.status, durationMs: 4, attempt: 1 });
  const body = typeof spec.body === 'string' ? Buffer.from(spec.body) : (spec.body ?? Buffer.alloc(0));
  const r: FetchResult = {
    url,
    finalUrl,
    headers: { 'content-type': 'text/html; charset=utf-8', ...spec.headers },
    body,
    truncated: false,
    hops,
    requests: hops.length || 1,
    bytes: body.length,
    durationMs: 7,
  };
  if (spec.status !== undefined) r.status = spec.status;
  if (spec.error) r.error = { kind: spec.error, detail: `simulated ${spec.error}` };
  return r;
}

type Row = [name: string, spec: Spec, outcome: string, reason: string, restricted?: boolean];

const ALIVE: Row[] = [
  ['a 200 page', { status: 200, body: LIVE }, 'alive', 'http-200'],
  ['a 204 without a body', { status: 204 }, 'alive', 'http-204'],
  [
    'a PDF',
    { status: 200, body: '%PDF-1.7 binary', headers: { 'content-type': 'application/pdf' } },
    'alive',
    'http-200',
  ],
  [
    'a redirect from http to https, same path',
    {
      status: 200,
      body: LIVE,
      url: 'http://news.example.com/2019/05/story',
      finalUrl: 'https://news.example.com/2019/05/story',
    },
    'alive',
    'http-200',
  ],
  [
    'a moved article (deep path to another deep path)',
    { status: 200, body: LIVE, finalUrl: 'https://news.example.com/archive/2019/story-about-things' },
    'alive',
    'http-200',
  ],
  [
    'a front page cited as a front page, redirected to www',
    { status: 200, body: LIVE, url: 'http://example.com', finalUrl: 'https://www.example.com/' },
    'alive',
    'http-200',
  ],
  [
    'a WordPress page addressed by its query',
    {
      status: 200,
      body: LIVE,
      url: 'http://blog.example.com/?p=123',
      finalUrl: 'https://blog.example.com/?p=123',
    },
    'alive',
    'http-200',
  ],
  [
    'a documentation page under /error/',
    { status: 200, body: LIVE, url: 'https://docs.example.com/error/handling' },
    'alive',
    'http-200',
  ],
  [
    '"Error handling in Rust" (long article, title has "Error")',
    { status: 200, body: fixture('rust-error-handling.html') },
    'alive',
    'http-200',
  ],
  [
    'an article about HTTP 404 that quotes "page not found"',
    { status: 200, body: fixture('article-about-404.html') },
    'alive',
    'http-200',
  ],
  [
    'a short page that only mentions a "page not found" bug',
    {
      status: 200,
      body: page(
        'Browser update released',
        'The update fixes a bug where a page not found message appeared.',
      ),
    },
    'alive',
    'http-200',
  ],
  [
    'a contact page with a reCAPTCHA on its form',
    {
      status: 200,
      body: page(
        'Contact us',
        'Write to the editors using the form below.',
        '<script src="https://www.google.com/recaptcha/api.js"></script>',
        '<form><div class="g-recaptcha"></div></form>',
      ),
    },
    'alive',
    'http-200',
  ],
  [
    'an article about domain parking that links to Sedo',
    {
      status: 200,
      body: page(
        'How domain parking works',
        long(
          'Registrars such as Sedo run parking programmes; owners earn from ads until a buyer appears.',
          80,
        ),
        '',
        '<a href="https://sedo.com/">Sedo</a>',
      ),
    },
    'alive',
    'http-200',
  ],
  [
    "a citation of Sedo's own page",
    {
      status: 200,
      body: page('Sedo - Buy and sell domains', 'Domain marketplace.'),
      url: 'https://sedo.com/us/about-us/',
    },
    'alive',
    'http-200',
  ],
  [
    'a paywalled article (JSON-LD isAccessibleForFree false)',
    {
      status: 200,
      body: page(
        'Markets rally',
        long('Stocks rose on Tuesday.', 10),
        '<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false}</script>',
      ),
    },
    'alive',
    'paywall',
    true,
  ],
  [
    'a subscription prompt',
    { status: 200, body: page('Markets rally', 'Stocks rose on Tuesday. Subscribe to continue reading.') },
    'alive',
    'paywall',
    true,
  ],
  [
    'a redirect to a login page',
    {
      status: 200,
      body: page('Sign in', 'Use your account.', '', '<form><input type="password" name="pw"></form>'),
      finalUrl: 'https://news.example.com/account/login?next=/2019/05/story-about-things',
    },
    'alive',
    'login-wall',
    true,
  ],
  [
    'a login form in place of the article',
    {
      status: 200,
      body: page('Log in', 'Log in to continue reading.', '', '<form><input type="Password"></form>'),
    },
    'alive',
    'login-wall',
    true,
  ],
];

const DEAD: Row[] = [
  ['404', { status: 404, body: page('Not Found', 'Nope') }, 'dead', 'http-404'],
  ['410', { status: 410 }, 'dead', 'http-410'],
  [
    'soft 404 in English',
    { status: 200, body: page('Page not found', 'Sorry, the page you were looking for could not be found.') },
    'dead',
    'soft-404',
  ],
  [
    'soft 404: nginx-style "404 Not Found" served with 200',
    { status: 200, body: page('404 Not Found', 'nginx') },
    'dead',
    'soft-404',
  ],
  [
    'soft 404: only the text says so, on a short page',
    {
      status: 200,
      body: page(
        'Example News',
        'We could not find the page you asked for. The page you requested could not be found.',
      ),
    },
    'dead',
    'soft-404',
  ],
  [
    'soft 404 in German',
    { status: 200, body: page('Seite nicht gefunden', 'Die angeforderte Seite existiert nicht.') },
    'dead',
    'soft-404',
  ],
  [
    'soft 404 in French',
    { status: 200, body: page('Page introuvable', "La page que vous recherchez n'existe pas.") },
    'dead',
    'soft-404',
  ],
  [
    'soft 404 in Spanish',
    { status: 200, body: page('Página no encontrada', 'La página que buscas no existe.') },
    'dead',
    'soft-404',
  ],
  [
    'soft 404 in Chinese (UTF-8)',
    { status: 200, body: page('找不到页面', '您访问的页面不存在。') },
    'dead',
    'soft-404',
  ],
  [
    'soft 404 in Chinese (GBK, charset in a meta tag only)',
    { status: 200, body: fixture('soft-404-zh-gbk.html'), headers: { 'content-type': 'text/html' } },
    'dead',
    'soft-404',
  ],
  [
    'soft 404 at an error URL with a generic title',
    { status: 200, body: page('Example News', 'Oops. Error 404.'), url: 'https://news.example.com/404.html' },
    'dead',
    'soft-404',
  ],
  [
    'redirect to the site root',
    { status: 200, body: LIVE, finalUrl: 'https://news.example.com/' },
    'dead',
    'redirect-to-root',
  ],
  [
    'redirect to a locale front page',
    { status: 200, body: LIVE, finalUrl: 'https://news.example.com/en/index.html' },
    'dead',
    'redirect-to-root',
  ],
  [
    'redirect to the root of another domain',
    { status: 200, body: LIVE, finalUrl: 'https://new-owner.example/' },
    'dead',
    'redirect-to-root',
  ],
  [
    'redirect to /404.html',
    { status: 200, body: LIVE, finalUrl: 'https://news.example.com/404.html' },
    'dead',
    'redirect-to-404',
  ],
  [
    'redirect to an error page with ?aspxerrorpath',
    { status: 200, body: LIVE, finalUrl: 'https://news.example.com/Error.aspx?aspxerrorpath=/2019/05/story' },
    'dead',
    'redirect-to-404',
  ],
  [
    'redirect to /page-not-found',
    { status: 200, body: LIVE, finalUrl: 'https://news.example.com/page-not-found' },
    'dead',
    'redirect-to-404',
  ],
  [
    'parked domain (Sedo parking page)',
    { status: 200, body: fixture('sedo-parked.html') },
    'dead',
    'parked-domain',
  ],
  [
    'for-sale page',
    { status: 200, body: page('old-site.com is for sale', 'Make an offer on this domain today.') },
    'dead',
    'parked-domain',
  ],
  [
    'redirect to a domain marketplace',
    {
      status: 200,
      body: page('Buy old-site.com', 'Secure checkout.'),
      finalUrl: 'https://dan.com/buy-domain/old-site.com',
    },
    'dead',
    'parked-domain',
  ],
  [
    'parked domain (Chinese)',
    { status: 200, body: page('欢迎', '该域名正在出售，欢迎联系。') },
    'dead',
    'parked-domain',
  ],
  ['DNS name does not exist', { error: 'dns-not-found' }, 'dead', 'dns-not-found'],
  ['connection refused', { error: 'refused' }, 'dead', 'refused'],
];

const BLOCKED: Row[] = [
  ...[401, 402, 403, 407, 429, 451, 999].map(
    (s): Row => [`HTTP ${s}`, { status: s, body: page('Denied', 'No.') }, 'blocked', `http-${s}`],
  ),
  [
    'a Retry-After too long to wait',
    { status: 429, error: 'retry-after-too-long', headers: { 'retry-after': '86400' } },
    'blocked',
    'retry-after-too-long',
  ],
  [
    '403 with cf-mitigated',
    { status: 403, body: fixture('cloudflare-challenge.html'), headers: { 'cf-mitigated': 'challenge' } },
    'blocked',
    'bot-challenge',
  ],
  [
    '503 "Just a moment..." page',
    { status: 503, body: fixture('cloudflare-challenge.html') },
    'blocked',
    'bot-challenge',
  ],
  [
    '200 "Just a moment..." page',
    { status: 200, body: fixture('cloudflare-challenge.html') },
    'blocked',
    'bot-challenge',
  ],
  [
    '200 with cf-mitigated',
    { status: 200, body: LIVE, headers: { 'cf-mitigated': 'challenge' } },
    'blocked',
    'bot-challenge',
  ],
  [
    '200 captcha wall',
    {
      status: 200,
      body: page(
        'Pardon Our Interruption',
        'As you were browsing something about your browser made us think you were a bot. Please verify you are a human.',
        '<script src="https://geo.captcha-delivery.com/captcha/"></script>',
      ),
    },
    'blocked',
    'bot-challenge',
  ],
  [
    '429 captcha',
    { status: 429, body: page('Are you a robot?', 'Please complete the security check to access the site.') },
    'blocked',
    'bot-challenge',
  ],
];

const ERROR: Row[] = [
  ['HTTP 500', { status: 500 }, 'error', 'http-500'],
  ['HTTP 502', { status: 502 }, 'error', 'http-502'],
  [
    'HTTP 503 (after retries)',
    { status: 503, body: 'Service Unavailable', headers: { 'content-type': 'text/plain' } },
    'error',
    'http-503',
  ],
  ['HTTP 400', { status: 400 }, 'error', 'http-400'],
  ['a redirect without Location', { status: 302 }, 'error', 'http-302'],
  ...(
    ['timeout', 'reset', 'tls', 'too-many-redirects', 'redirect-loop', 'dns-failure', 'other'] as const
  ).map((kind): Row => [kind, { error: kind }, 'error', kind]),
  ['no response and no error', {}, 'error', 'no-response'],
];

const SKIPPED: Row[] = (['address-not-allowed', 'unsupported-scheme', 'invalid-url', 'offline'] as const).map(
  (kind): Row => [kind, { error: kind }, 'skipped', kind],
);

describe('classifyResponse', () => {
  describe.each([
    ['alive', ALIVE],
    ['dead', DEAD],
    ['blocked', BLOCKED],
    ['error', ERROR],
    ['skipped', SKIPPED],
  ])('%s', (_group, rows) => {
    it.each(rows)('%s', (_name, spec, outcome, reason, restricted) => {
      const c = classifyResponse(result(spec));
      expect({ outcome: c.outcome, reason: c.reason }).toEqual({ outcome, reason });
      expect(c.restricted).toBe(restricted);
    });
  });

  it('every fetch error kind has an outcome', () => {
    for (const kind of FETCH_ERROR_KINDS) {
      expect(OUTCOMES).toContain(classifyResponse(result({ error: kind })).outcome);
    }
  });

  it('reports the status and the final URL', () => {
    const c = classifyResponse(result({ status: 200, body: LIVE, finalUrl: 'https://news.example.com/' }));
    expect(c).toMatchObject({ httpStatus: 200, finalUrl: 'https://news.example.com/' });
    expect(classifyResponse(result({ status: 404 }))).not.toHaveProperty('finalUrl');
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 999 }),
        fc.string({ maxLength: 400 }),
        fc.constantFrom('text/html', 'text/html; charset=bogus', 'application/json', ''),
        (status, body, type) => {
          const c = classifyResponse(result({ status, body, headers: { 'content-type': type } }));
          expect(OUTCOMES).toContain(c.outcome);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('soft-404 signals', () => {
  it('weighs several signals, not one', () => {
    const rust = readPage(fixture('rust-error-handling.html'), 'text/html')!;
    expect(assessSoft404(rust, URL_).signals).toContain('long');
    const soft = readPage(
      Buffer.from(page('Page not found', 'Sorry, this page does not exist.')),
      'text/html',
    )!;
    expect(assessSoft404(soft, URL_).signals).toEqual(['title', 'heading', 'self-reference', 'short']);
  });

  it('reads the text without scripts and styles', () => {
    const p = readPage(
      Buffer.from(
        page(
          'T',
          'visible',
          '<style>.x{color:red}</style>',
          '<script>var notFound = "page not found";</script>',
        ),
      ),
      'text/html',
    )!;
    expect(p.text).toBe('T visible');
  });

  it('does not read non-HTML bodies', () => {
    expect(readPage(Buffer.from('{"a":1}'), 'application/json')).toBeUndefined();
    expect(readPage(Buffer.from('<html><title>x</title></html>'), undefined)).toBeDefined();
  });
});

describe('URL shapes', () => {
  it.each([
    ['https://example.com/', true],
    ['https://example.com/index.php', true],
    ['https://example.com/de-de/', true],
    ['https://example.com/?utm_source=x', true],
    ['https://example.com/?p=12', false],
    ['https://example.com/news/story', false],
  ])('isSiteRoot(%s) = %s', (url, root) => {
    expect(isSiteRoot(url)).toBe(root);
    expect(isDeepUrl(url)).toBe(!root);
  });

  it.each([
    ['https://example.com/404', true],
    ['https://example.com/errors/404.html', true],
    ['https://example.com/not-found', true],
    ['https://example.com/error', true],
    ['https://example.com/error/handling', false],
    ['https://example.com/wiki/HTTP_404', false],
    ['https://example.com/articles/404-errors-explained', false],
  ])('looksLikeErrorUrl(%s) = %s', (url, expected) => {
    expect(looksLikeErrorUrl(url)).toBe(expected);
  });
});
