/**
 * Parked and for-sale domains: the domain lapsed and a registrar or parking service now shows
 * ads or a sale offer where the cited site was. The page answers 200, so the status says
 * nothing; the sale wording, the parking services' scripts and links, and a redirect to a
 * domain marketplace do. Weighed like soft 404s, so an article *about* domain parking that
 * links to Sedo is not taken for a parked page. Pure.
 */
import type { PageSignals } from './page.js';
import { anyOf } from './phrase-list.js';

/** Wording of sale and parking pages. */
const SALE_PHRASES: readonly RegExp[] = [
  /\b(?:this|the) domain(?: name)?(?: [\w.-]+\.[a-z]{2,})? (?:is|may be|might be|could be) for sale\b/i,
  /\bdomain (?:is )?(?:may be |might be )?for sale\b/i,
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

/**
 * "example.com is for sale": kept out of `SALE_PHRASES` because `[\w-]+` is tried at the start
 * of every word, which made it the dearest phrase by far; it runs only where its literal tail is.
 */
const NAMED_DOMAIN_FOR_SALE = /\b[\w-]+\.[a-z]{2,} is for sale\b/i;
const IS_FOR_SALE = / is for sale\b/i;

/** `SALE_PHRASES` as one pattern (issue 14). */
const ANY_SALE_PHRASE = anyOf(SALE_PHRASES);

/** Parking services and domain marketplaces (hostnames, an alternation). */
const PARKING_HOST_NAMES =
  'sedo\\.com|sedoparking\\.com|dan\\.com|afternic\\.com|bodis\\.com|parkingcrew\\.net|' +
  'above\\.com|parklogic\\.com|hugedomains\\.com|undeveloped\\.com|domainmarket\\.com|' +
  'buydomains\\.com|sav\\.com|parked\\.com|fabulous\\.com|voodoo\\.com|smartname\\.com|' +
  'domainnamesales\\.com|namebright\\.com|uniregistry\\.com|efty\\.com|atom\\.com|' +
  'squadhelp\\.com|brandbucket\\.com|ztat\\.net|parkingpage\\.namecheap\\.com|dsultra\\.com|' +
  'domainparking\\.ru|rookmedia\\.net|trafficz\\.com|searchhounds\\.com';

/** The parking hostnames, matched as whole labels. */
const PARKING_HOSTS = new RegExp(`(?:^|[/.@])(?:${PARKING_HOST_NAMES})(?:$|[/:?#])`, 'i');

/**
 * A URL of printable ASCII without `%` holds its hostname, lower-cased, as a substring: where
 * no parking hostname occurs anywhere in such a URL, its host is none of them and it need not
 * be parsed (issue 14: two URL parses per live page). Other URLs — percent-encoded or
 * non-ASCII hosts, which the URL parser maps — are parsed.
 */
const PLAIN_URL = /^[\x21-\x24\x26-\x7e]*$/;
const PARKING_NAME_ANYWHERE = new RegExp(PARKING_HOST_NAMES, 'i');

/** Sale-page wording in a marketplace's URL (`/buy-domain/`, `/forsale/`, `/domain_profile`). */
const SALE_PATH = /\/(?:buy-domain|forsale|for-sale|domain_profile|domain-profile|lander)\b/i;

/** Signal weights and the score that makes a parked page. */
export const PARKED_WEIGHTS = {
  saleTitle: 3,
  saleText: 2,
  parkingEmbed: 3,
  parkingLink: 1,
  marketplaceUrl: 4,
  short: 1,
  long: -3,
  threshold: 3,
} as const;

const SHORT_TEXT = 1500;
const LONG_TEXT = 5000;

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};

/** True when `url` is on a parking service or domain marketplace. */
export function isParkingUrl(url: string): boolean {
  if (PLAIN_URL.test(url) && !PARKING_NAME_ANYWHERE.test(url)) return false;
  const host = hostOf(url);
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
export function assessParked(page: PageSignals | undefined, url: string, finalUrl: string): ParkedAssessment {
  const signals: string[] = [];
  let score = 0;
  const add = (name: string, weight: number): void => {
    signals.push(name);
    score += weight;
  };
  const movedToMarketplace = isParkingUrl(finalUrl) && !isParkingUrl(url) && hostOf(url) !== hostOf(finalUrl);
  if (
    movedToMarketplace &&
    (SALE_PATH.test(finalUrl) || page === undefined || page.mainText.length < LONG_TEXT)
  ) {
    add('marketplace-url', PARKED_WEIGHTS.marketplaceUrl);
  }
  if (!page) return { score, signals };
  const says = (s: string): boolean =>
    ANY_SALE_PHRASE.test(s) || (IS_FOR_SALE.test(s) && NAMED_DOMAIN_FOR_SALE.test(s));
  if (says(page.title)) add('sale-title', PARKED_WEIGHTS.saleTitle);
  if (says(page.mainText.slice(0, 3000)) || page.headings.some(says))
    add('sale-text', PARKED_WEIGHTS.saleText);
  if (page.embeds.some((src) => PARKING_HOSTS.test(src))) add('parking-embed', PARKED_WEIGHTS.parkingEmbed);
  if (page.links.some((href) => PARKING_HOSTS.test(href))) add('parking-link', PARKED_WEIGHTS.parkingLink);
  if (page.mainText.length < SHORT_TEXT) add('short', PARKED_WEIGHTS.short);
  else if (page.mainText.length > LONG_TEXT) add('long', PARKED_WEIGHTS.long);
  return { score, signals };
}

/** True when the page is a parked or for-sale domain. */
export const isParked = (page: PageSignals | undefined, url: string, finalUrl: string): boolean =>
  assessParked(page, url, finalUrl).score >= PARKED_WEIGHTS.threshold;
