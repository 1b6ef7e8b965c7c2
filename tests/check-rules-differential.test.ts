/**
 * The page classification rules decide as they did before issue 14 made them cheaper (one
 * combined pattern per phrase list, literal pre-tests, the opening read once). Differential: the
 * old rules, kept word for word in `tests/support/rules-reference.ts`, and the current ones must
 * give the same score and signals (and the same restriction) on every page fixture, the real
 * pages of the corpus, the bench workload's pages, and generated pages that carry a text matching
 * each phrase of each list — in the title, a heading, the opening of the text, and across the
 * edge of the opening each rule reads — so that every alternative is exercised.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workloadPages } from '../bench/page-bench.js';
import {
  assessChallenge,
  assessParked,
  assessSoft404,
  detectRestriction,
  type PageSignals,
  readPage,
} from '../src/check/index.js';
import { isParkingUrl } from '../src/check/parked.js';
import {
  assessChallengeBefore,
  assessParkedBefore,
  assessSoft404Before,
  CHALLENGE_CLASSES,
  CHALLENGE_EMBEDS,
  CHALLENGE_PHRASES,
  CHALLENGE_TITLES,
  detectRestrictionBefore,
  isParkingUrlBefore,
  LOGIN_PHRASES,
  LOGIN_TITLE,
  NOT_FOUND_PHRASES,
  PARKING_HOSTS,
  PAYWALL_CLASSES,
  PAYWALL_PHRASES,
  SALE_PHRASES,
  SELF_REFERENCE_PHRASES,
  TITLE_ONLY_PHRASES,
} from './support/rules-reference.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const CORPUS_HTML = '/work/shared/corpus/html';

/** Cited URL and final URL pairs: no redirect, a login redirect, a marketplace, an error URL. */
const URL_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['https://example.org/news/2020/story', 'https://example.org/news/2020/story'],
  ['https://example.org/news/2020/story', 'https://example.org/login?next=/news/2020/story'],
  ['https://example.org/news/2020/story', 'https://sedo.com/search/details/?domain=example.org'],
  ['https://example.org/news/2020/story', 'https://www.hugedomains.com/domain_profile.cfm?d=example'],
  ['https://example.org/news/2020/story', 'https://example.org/404.html'],
  ['https://sedo.com/about', 'https://sedo.com/about'],
];

/** Asserts that the old and the current rules decide the same for `page` at each URL pair. */
function expectSameDecisions(page: PageSignals): void {
  expect(assessChallenge(page)).toEqual(assessChallengeBefore(page));
  for (const [url, finalUrl] of URL_PAIRS) {
    expect(assessSoft404(page, finalUrl)).toEqual(assessSoft404Before(page, finalUrl));
    expect(assessParked(page, url, finalUrl)).toEqual(assessParkedBefore(page, url, finalUrl));
    expect(detectRestriction(page, url, finalUrl)).toEqual(detectRestrictionBefore(page, url, finalUrl));
  }
}

function htmlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => `${dir}/${f}`);
}

const EMPTY_PAGE: PageSignals = {
  title: '',
  headings: [],
  text: '',
  mainText: '',
  embeds: [],
  links: [],
  passwordField: false,
  notFreeMarkup: false,
  classNames: '',
};

/** Filler that matches no phrase: words, punctuation, a few non-ASCII letters. */
const filler = (length: number): string => {
  const words = 'the archive of the society reports ünïcode façade 2019 – notes, page: found error; ';
  return words.repeat(Math.ceil(length / words.length) + 1).slice(0, length);
};

/**
 * `re` as fast-check can generate from it: case-sensitive, without `\b` (the generated texts
 * are kept only where `re` itself matches them).
 */
const generable = (re: RegExp): RegExp =>
  new RegExp(re.source.replaceAll('\\b', ''), re.flags.replace('i', ''));

/** A text matching `re`, its ASCII letters' case flipped at random where `re` ignores case. */
const matching = (re: RegExp): fc.Arbitrary<string> =>
  fc
    .tuple(fc.stringMatching(generable(re)), fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }))
    .map(([s, flips]) =>
      re.flags.includes('i')
        ? [...s].map((ch, i) => (flips[i % flips.length] ? ch.toUpperCase() : ch.toLowerCase())).join('')
        : s,
    )
    // A word character generated next to a dropped `\b`: spaces around often restore the match.
    .map((s) => (re.test(s) ? s : ` ${s} `))
    .filter((s) => re.test(s));

const PHRASE_LISTS: Record<string, readonly RegExp[]> = {
  SELF_REFERENCE_PHRASES,
  NOT_FOUND_PHRASES,
  TITLE_ONLY_PHRASES,
  SALE_PHRASES,
  PAYWALL_PHRASES,
  LOGIN_PHRASES,
  CHALLENGE_TITLES,
  CHALLENGE_PHRASES,
  LOGIN_TITLE: [LOGIN_TITLE],
  BARE_STATUS: [/^\W*(?:404|410)\W*$/],
};
const MARKUP_PATTERNS: Record<string, RegExp> = {
  PARKING_HOSTS,
  PAYWALL_CLASSES,
  CHALLENGE_EMBEDS,
  CHALLENGE_CLASSES,
};

/** Pages that carry `phrase` in one place each, at the edges of the openings the rules read. */
function pagesWith(phrase: string): PageSignals[] {
  const pages: PageSignals[] = [
    { ...EMPTY_PAGE, title: phrase },
    { ...EMPTY_PAGE, title: ` ${phrase} `, headings: ['About us', phrase] },
    { ...EMPTY_PAGE, text: phrase, mainText: phrase, passwordField: true },
    { ...EMPTY_PAGE, title: 'Sign in', text: phrase, mainText: filler(900), passwordField: true },
  ];
  // Soft 404 reads 1500 characters of mainText, parked 3000, challenge 3000 of text, paywall 6000.
  for (const edge of [1500, 3000, 6000]) {
    for (const shift of [-phrase.length - 1, -Math.ceil(phrase.length / 2), 0]) {
      const text = filler(Math.max(0, edge + shift)) + phrase + filler(200);
      pages.push({ ...EMPTY_PAGE, text, mainText: text, passwordField: true });
    }
  }
  return pages;
}

describe('the rules decide as before on real pages', () => {
  const files = [
    ...htmlFiles(new URL('pages', FIXTURES).pathname),
    ...htmlFiles(new URL('html', FIXTURES).pathname),
    // The shared corpus is present on the project's machines, not in the repository.
    ...htmlFiles(CORPUS_HTML),
  ];
  it.each(files.map((f) => [f.split('/').slice(-2).join('/'), f]))('fixture %s', (_name, path) => {
    const page = readPage(readFileSync(path), 'text/html');
    expect(page).toBeDefined();
    expectSameDecisions(page!);
  });

  it('the bench workload pages (2000 links: live pages and soft 404s)', () => {
    const { pages } = workloadPages(2000);
    expect(pages.length).toBeGreaterThan(1000);
    for (const body of pages) expectSameDecisions(readPage(body, 'text/html; charset=utf-8')!);
  });
});

describe('the rules decide as before on a text matching each phrase of each list', () => {
  for (const [list, phrases] of Object.entries(PHRASE_LISTS)) {
    it.each(phrases.map((re, i) => [i, re.source.slice(0, 60), re]))(
      `${list}[%i] /%s/`,
      (_i, _source, re) => {
        const samples = fc.sample(matching(re), { numRuns: 25, seed: 14 });
        expect(samples.length).toBeGreaterThan(0);
        for (const phrase of samples) {
          expect(re.test(phrase)).toBe(true);
          for (const page of pagesWith(phrase)) expectSameDecisions(page);
        }
      },
    );
  }

  it.each(Object.entries(MARKUP_PATTERNS))('%s in embeds, links and class names', (_name, re) => {
    for (const found of fc.sample(matching(re), { numRuns: 25, seed: 14 })) {
      const name = found.toLowerCase();
      for (const page of [
        { ...EMPTY_PAGE, embeds: [`https://x.test/${name}`], links: [name] },
        { ...EMPTY_PAGE, classNames: `header ${name} footer`, mainText: filler(1200) },
        { ...EMPTY_PAGE, classNames: name, embeds: [name], links: [`//${name}/`], mainText: filler(5200) },
      ])
        expectSameDecisions(page);
      const url = `https://${name.replace(/[^a-z0-9.-]/g, '')}/x`;
      expect(isParkingUrl(url)).toBe(isParkingUrlBefore(url));
    }
  });

  it('isParkingUrl on URLs whose host the URL parser maps (case, percent-encoding, full-width, IDNA)', () => {
    const urls = [
      'https://sedo.com/x',
      'https://SEDO.COM/x',
      'https://www.Sedo.Com:8080/search?q=1',
      'https://user:pw@sedo.com/',
      'https://sedo%2Ecom/x',
      'https://%73edo.com/x',
      'https://ｓｅｄｏ.com/x',
      'https://sedo。com/x',
      'https://parkingpage.namecheap.com/',
      'https://namecheap.com/parkingpage.namecheap.com',
      'https://example.org/?next=https://sedo.com/',
      'https://notsedo.com/',
      'https://sedo.com.example.org/',
      'https://example.org/sedo.com',
      'https://xn--sedo-9na.com/',
      'https://séDO.com/',
      'http://[::1]/sedo.com',
      'https://0x7f.1/',
      'sedo.com',
      '//sedo.com/',
      'foo://SEDO.com/',
      'https:\\\\sedo.com\\x',
      'https://sedo.com\t/x',
      'https://se\ndo.com/x',
    ];
    for (const url of urls) expect(isParkingUrl(url), url).toBe(isParkingUrlBefore(url));
    const label = fc.oneof(
      fc.constantFrom('sedo', 'dan', 'atom', 'SAV', 'parkingpage.namecheap', 'www', 'xn--80ak6aa92e'),
      fc.stringMatching(/^[a-zA-Z0-9%.\u3002\uff41-\uff5a-]{1,12}$/),
    );
    const url = fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', '//', 'https://u:p@'),
        fc.array(label, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('.com', '.COM', '.net', '.ru', '%2ecom', '.org', ''),
        fc.constantFrom('', '/', ':443/', '/a?b=sedo.com', '#x', '/ä'),
      )
      .map(([scheme, labels, tld, rest]) => `${scheme}${labels.join('.')}${tld}${rest}`);
    fc.assert(
      fc.property(url, (u) => {
        expect(isParkingUrl(u)).toBe(isParkingUrlBefore(u));
        const page = { ...EMPTY_PAGE, mainText: filler(100) };
        for (const cited of ['https://example.org/a/b', u])
          expect(assessParked(page, cited, u)).toEqual(assessParkedBefore(page, cited, u));
      }),
      { numRuns: 2000, seed: 14 },
    );
  });

  it('pages mixing phrases of every list, at random places, with random filler', () => {
    const everyPhrase = fc.oneof(
      ...[...Object.values(PHRASE_LISTS).flat(), ...Object.values(MARKUP_PATTERNS)].map(matching),
    );
    const textOf = fc
      .array(fc.oneof(everyPhrase, fc.string(), fc.nat({ max: 7000 }).map(filler)), { maxLength: 6 })
      .map((parts) => parts.join(' '));
    const page: fc.Arbitrary<PageSignals> = fc.record({
      title: textOf,
      headings: fc.array(textOf, { maxLength: 3 }),
      text: textOf,
      mainText: textOf,
      embeds: fc.array(
        everyPhrase.map((s) => s.toLowerCase()),
        { maxLength: 2 },
      ),
      links: fc.array(
        everyPhrase.map((s) => s.toLowerCase()),
        { maxLength: 2 },
      ),
      passwordField: fc.boolean(),
      notFreeMarkup: fc.boolean(),
      classNames: textOf.map((s) => s.toLowerCase()),
    });
    fc.assert(
      fc.property(page, (p) => expectSameDecisions(p)),
      { numRuns: 400, seed: 14 },
    );
  });
});
