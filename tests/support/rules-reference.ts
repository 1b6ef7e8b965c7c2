/**
 * The page classification rules as they were before issue 14 made them cheaper (one combined
 * pattern per list, literal pre-tests): the four rule modules' matching and scoring, word for
 * word, over the modules' own phrase lists (imported; the sale phrases and the parking hosts,
 * which issue 14 reshaped, are kept here as they were).
 * Only the names changed: the functions end in `Before`, and each module's private constants
 * carry its prefix so that the four fit in one file. Kept only as the reference of the
 * differential test (`tests/check-rules-differential.test.ts`); the phrase lists are exported
 * so that the test can build a text for each phrase.
 */

import {
  CHALLENGE_CLASSES,
  CHALLENGE_EMBEDS,
  CHALLENGE_PHRASES,
  CHALLENGE_TITLES,
  CHALLENGE_WEIGHTS,
} from '../../src/check/challenge.js';
import type { PageSignals } from '../../src/check/page.js';
import { PARKED_WEIGHTS } from '../../src/check/parked.js';
import { LOGIN_PHRASES, PAYWALL_CLASSES, PAYWALL_PHRASES } from '../../src/check/paywall.js';
import {
  NOT_FOUND_PHRASES,
  SELF_REFERENCE_PHRASES,
  SOFT_404_WEIGHTS,
  TITLE_ONLY_PHRASES,
} from '../../src/check/soft-404.js';
import { looksLikeErrorUrl, looksLikeLoginUrl } from '../../src/check/url-shape.js';

// The lists and weights are the rules' own (unchanged by issue 14): only how they are matched
// differs, and that is what the differential test compares.
export {
  CHALLENGE_CLASSES,
  CHALLENGE_EMBEDS,
  CHALLENGE_PHRASES,
  CHALLENGE_TITLES,
  CHALLENGE_WEIGHTS,
  LOGIN_PHRASES,
  NOT_FOUND_PHRASES,
  PARKED_WEIGHTS,
  PAYWALL_CLASSES,
  PAYWALL_PHRASES,
  SELF_REFERENCE_PHRASES,
  SOFT_404_WEIGHTS,
  TITLE_ONLY_PHRASES,
};

// ---- src/check/soft-404.ts ----
/**
 * Phrases in which the page speaks about itself ("the page you were looking for", "we could
 * not find"): error pages talk like this, articles about errors rarely do.
 */

/** Phrases that say "not found" — on an error page, or quoted in an article about errors. */

/** Short words that mean "not found" on their own — strong in a title, too common in text. */

/** A heading that is only the status number, as error pages show it big. */
const SOFT404_BARE_STATUS = /^\W*(?:404|410)\W*$/;

/** Visible text this short leaves room for little besides the error message. */
const SOFT404_SHORT_TEXT = 800;
/** Visible main text this long is an actual document. */
const SOFT404_LONG_TEXT = 4000;
/** The text signal only looks at the opening of the main text, where an error page says it. */
const SOFT404_OPENING = 1500;

/** Weights of the signals and the score that makes a soft 404. */

export interface Soft404Assessment {
  score: number;
  /** The signals that fired, for logs and tests. */
  signals: string[];
}

const speaksOfItself = (s: string): boolean => SELF_REFERENCE_PHRASES.some((re) => re.test(s));
const saysNotFound = (s: string): boolean => speaksOfItself(s) || NOT_FOUND_PHRASES.some((re) => re.test(s));
const titleSaysNotFound = (s: string): boolean =>
  saysNotFound(s) || SOFT404_BARE_STATUS.test(s) || TITLE_ONLY_PHRASES.some((re) => re.test(s));

/** Scores a page for "this is a not-found page served with 200". */
export function assessSoft404Before(page: PageSignals, finalUrl: string): Soft404Assessment {
  const signals: string[] = [];
  let score = 0;
  const add = (name: string, weight: number): void => {
    signals.push(name);
    score += weight;
  };
  if (page.title && titleSaysNotFound(page.title)) add('title', SOFT_404_WEIGHTS.title);
  if (page.headings.some((h) => titleSaysNotFound(h))) add('heading', SOFT_404_WEIGHTS.heading);
  const opening = page.mainText.slice(0, SOFT404_OPENING);
  if (speaksOfItself(opening)) add('self-reference', SOFT_404_WEIGHTS.selfReference);
  else if (saysNotFound(opening)) add('text', SOFT_404_WEIGHTS.text);
  if (looksLikeErrorUrl(finalUrl)) add('error-url', SOFT_404_WEIGHTS.errorUrl);
  if (page.mainText.length < SOFT404_SHORT_TEXT) add('short', SOFT_404_WEIGHTS.short);
  else if (page.mainText.length > SOFT404_LONG_TEXT) add('long', SOFT_404_WEIGHTS.long);
  return { score, signals };
}

// ---- src/check/parked.ts ----
/** Wording of sale and parking pages. */
export const SALE_PHRASES: readonly RegExp[] = [
  /\b(?:this|the) domain(?: name)?(?: [\w.-]+\.[a-z]{2,})? (?:is|may be|might be|could be) for sale\b/i,
  /\bdomain (?:is )?(?:may be |might be )?for sale\b/i,
  /\b[\w-]+\.[a-z]{2,} is for sale\b/i,
  /\bbuy this domain\b/i,
  /\b(?:make an offer|inquire about|purchase) (?:on |for )?this domain\b/i,
  /\bthis domain (?:has been|was) (?:registered|parked)\b/i,
  /\b(?:parked|parking) (?:free,? )?(?:courtesy of|by|with)\b/i,
  /\bthis (?:web ?page|page|site) is parked\b/i,
  /\bthe owner of [\w.-]+ is offering it for sale\b/i,
  /\bdiese domain (?:steht zum verkauf|kaufen|ist zu verkaufen)\b/i,
  /\bce (?:nom de )?domaine est (?:à vendre|en vente)\b/i,
  /\beste dominio (?:est[áa] a la venta|se vende)\b/i,
  /(?:该|此)域名(?:正在)?(?:出售|待售|转让)/,
];

/** Parking services and domain marketplaces (hostnames, matched as whole labels). */
export const PARKING_HOSTS =
  /(?:^|[/.@])(?:sedo\.com|sedoparking\.com|dan\.com|afternic\.com|bodis\.com|parkingcrew\.net|above\.com|parklogic\.com|hugedomains\.com|undeveloped\.com|domainmarket\.com|buydomains\.com|sav\.com|parked\.com|fabulous\.com|voodoo\.com|smartname\.com|domainnamesales\.com|namebright\.com|uniregistry\.com|efty\.com|atom\.com|squadhelp\.com|brandbucket\.com|ztat\.net|parkingpage\.namecheap\.com|dsultra\.com|domainparking\.ru|rookmedia\.net|trafficz\.com|searchhounds\.com)(?:$|[/:?#])/i;

/** Sale-page wording in a marketplace's URL (`/buy-domain/`, `/forsale/`, `/domain_profile`). */
const PARKED_SALE_PATH = /\/(?:buy-domain|forsale|for-sale|domain_profile|domain-profile|lander)\b/i;

/** Signal weights and the score that makes a parked page. */

const PARKED_SHORT_TEXT = 1500;
const PARKED_LONG_TEXT = 5000;

const parkedHostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};

/** True when `url` is on a parking service or domain marketplace. */
export function isParkingUrlBefore(url: string): boolean {
  const host = parkedHostOf(url);
  return host !== undefined && PARKING_HOSTS.test(`/${host}/`);
}

export interface ParkedAssessment {
  score: number;
  signals: string[];
}

/**
 * Scores a page for "parked or for-sale domain". `url` is the cited URL and `finalUrl` where
 * the page was finally served from: landing on a marketplace counts only when the cited site
 * was somewhere else (a citation of Sedo's own pages is not parked).
 */
export function assessParkedBefore(
  page: PageSignals | undefined,
  url: string,
  finalUrl: string,
): ParkedAssessment {
  const signals: string[] = [];
  let score = 0;
  const add = (name: string, weight: number): void => {
    signals.push(name);
    score += weight;
  };
  const movedToMarketplace =
    isParkingUrlBefore(finalUrl) && !isParkingUrlBefore(url) && parkedHostOf(url) !== parkedHostOf(finalUrl);
  if (
    movedToMarketplace &&
    (PARKED_SALE_PATH.test(finalUrl) || page === undefined || page.mainText.length < PARKED_LONG_TEXT)
  ) {
    add('marketplace-url', PARKED_WEIGHTS.marketplaceUrl);
  }
  if (!page) return { score, signals };
  const says = (s: string): boolean => SALE_PHRASES.some((re) => re.test(s));
  if (says(page.title)) add('sale-title', PARKED_WEIGHTS.saleTitle);
  if (says(page.mainText.slice(0, 3000)) || page.headings.some(says))
    add('sale-text', PARKED_WEIGHTS.saleText);
  if (page.embeds.some((src) => PARKING_HOSTS.test(src))) add('parking-embed', PARKED_WEIGHTS.parkingEmbed);
  if (page.links.some((href) => PARKING_HOSTS.test(href))) add('parking-link', PARKED_WEIGHTS.parkingLink);
  if (page.mainText.length < PARKED_SHORT_TEXT) add('short', PARKED_WEIGHTS.short);
  else if (page.mainText.length > PARKED_LONG_TEXT) add('long', PARKED_WEIGHTS.long);
  return { score, signals };
}

// ---- src/check/paywall.ts ----
export type Restriction = 'paywall' | 'login-wall';

/** Wording of subscription prompts. */

/** Element names that paywall vendors use. */

/** Wording of login walls. */

export const LOGIN_TITLE =
  /^\W*(?:log ?in|sign ?in|sign on|anmelden|connexion|iniciar sesi[óo]n|登录|登入)\b/i;

/**
 * Why a live page is restricted, if it is: a login wall (redirected to a login URL, or a login
 * form that is the page's point) or a paywall (subscription prompt, vendor markup, or
 * structured data saying the content is not free).
 */
export function detectRestrictionBefore(
  page: PageSignals | undefined,
  url: string,
  finalUrl: string,
): Restriction | undefined {
  const redirected = url !== finalUrl;
  if (redirected && looksLikeLoginUrl(finalUrl) && !looksLikeLoginUrl(url)) return 'login-wall';
  if (!page) return undefined;
  if (page.notFreeMarkup) return 'paywall';
  const opening = page.text.slice(0, 6000);
  if (PAYWALL_CLASSES.test(page.classNames) || PAYWALL_PHRASES.some((re) => re.test(opening)))
    return 'paywall';
  const loginTitle = LOGIN_TITLE.test(page.title) || page.headings.some((h) => LOGIN_TITLE.test(h));
  if (page.passwordField && (loginTitle || LOGIN_PHRASES.some((re) => re.test(opening)))) return 'login-wall';
  return undefined;
}

// ---- src/check/challenge.ts ----
/** Titles of challenge interstitials. */

/** What the text of a challenge page says. */

/** Scripts and frames of challenge and captcha providers. */

/** Element names of challenge widgets. */

/** Signal weights and the score that makes a challenge page. */

const CHALLENGE_SHORT_TEXT = 1000;
const CHALLENGE_LONG_TEXT = 4000;

export interface ChallengeAssessment {
  score: number;
  signals: string[];
}

/** Scores a page for "this is a bot challenge, not the page". */
export function assessChallengeBefore(page: PageSignals): ChallengeAssessment {
  const signals: string[] = [];
  let score = 0;
  const add = (name: string, weight: number): void => {
    signals.push(name);
    score += weight;
  };
  if (CHALLENGE_TITLES.some((re) => re.test(page.title))) add('title', CHALLENGE_WEIGHTS.title);
  const opening = page.text.slice(0, 3000);
  if (CHALLENGE_PHRASES.some((re) => re.test(opening))) add('text', CHALLENGE_WEIGHTS.text);
  if (page.embeds.some((src) => CHALLENGE_EMBEDS.test(src)) || CHALLENGE_CLASSES.test(page.classNames)) {
    add('widget', CHALLENGE_WEIGHTS.widget);
  }
  if (page.mainText.length < CHALLENGE_SHORT_TEXT) add('short', CHALLENGE_WEIGHTS.short);
  else if (page.mainText.length > CHALLENGE_LONG_TEXT) add('long', CHALLENGE_WEIGHTS.long);
  return { score, signals };
}
