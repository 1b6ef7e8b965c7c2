/**
 * Soft 404s: pages that answer 200 but say the thing asked for is not there. No single clue
 * is trusted — "Error handling in Rust" has "error" in its title, an article about HTTP
 * explains "404 Not Found" at length — so several signals are weighed and summed: what the
 * title says, what the main heading says, whether the text opens by saying so, how little the
 * page has to say besides, and whether the final URL is an error page. Phrases cover English,
 * German, French, Spanish and Chinese, and a few more languages seen on cited sites. Pure.
 */
import type { PageSignals } from './page.js';
import { anyOf } from './phrase-list.js';
import { looksLikeErrorUrl } from './url-shape.js';

/**
 * Phrases in which the page speaks about itself ("the page you were looking for", "we could
 * not find"): error pages talk like this, articles about errors rarely do.
 */
export const SELF_REFERENCE_PHRASES: readonly RegExp[] = [
  // English
  /\b(?:page|article|story|content|resource|file|document|url|post)s? (?:that )?(?:you (?:are|were|'re) looking for|you requested|requested) (?:could not|couldn['’]t|cannot|can['’]t|can not|does not|doesn['’]t|no longer|was not|wasn['’]t|is not|isn['’]t) (?:be found|found|exists?|available)\b/i,
  /\bwe (?:could not|couldn['’]t|can['’]t|cannot) find (?:the|that|this|what you|any)\b/i,
  /\bthe requested (?:url|page|resource|document) (?:was not found|could not be found|is not available)\b/i,
  /\bsorry,? (?:but )?(?:this|that|the) page (?:is|was|could|can|does|doesn['’]t|isn['’]t|you)/i,
  /\b(?:this|that|the) page (?:does not|doesn['’]t|no longer) exists?\b/i,
  // German
  /\bdie (?:angeforderte|gesuchte|aufgerufene|von ihnen (?:gesuchte|aufgerufene)) seite (?:existiert nicht|konnte nicht gefunden werden|wurde nicht gefunden|ist nicht (?:mehr )?verfügbar)/i,
  /\bdiese seite (?:existiert nicht|gibt es nicht)/i,
  // French
  /\bla page (?:que vous (?:recherchez|cherchez|demandez|avez demandée)|demandée) (?:n['’]existe pas|n['’]existe plus|est introuvable|n['’]a pas été trouvée)/i,
  /\bcette page n['’]existe pas\b/i,
  // Spanish
  /\bno (?:se (?:ha podido encontrar|encontr[óo]|puede encontrar)|hemos podido encontrar|pudimos encontrar) la p[áa]gina\b/i,
  /\bla p[áa]gina (?:que (?:buscas|busca|solicitaste|has solicitado|est[áa]s buscando)|solicitada) no (?:existe|se encuentra|est[áa] disponible)/i,
  // Chinese
  /(?:您|你)(?:访问|訪問|请求|請求|要找|所访问|所訪問)的(?:页面|頁面|网页|網頁)(?:不存在|已删除|已刪除|找不到|已被删除)/,
  /抱歉[，,]?\s*(?:您|你)?(?:访问|訪問|要找|请求)的(?:页面|頁面|网页|網頁)/,
];

/** Phrases that say "not found" — on an error page, or quoted in an article about errors. */
export const NOT_FOUND_PHRASES: readonly RegExp[] = [
  /\bpage (?:was )?not found\b/i,
  /\b404\b[\s:.–—-]*(?:page )?not found\b/i,
  /\berror[\s:]*404\b/i,
  /\bnot found[\s:.–—-]*404\b/i,
  /\bseite (?:wurde )?nicht gefunden\b/i,
  /\bseite existiert nicht\b/i,
  /\bfehler[\s:]*404\b/i,
  /\bpage (?:introuvable|non trouvée|inexistante)\b/i,
  /\berreur[\s:]*404\b/i,
  /\bp[áa]gina no encontrada\b/i,
  /\bp[áa]gina no existe\b/i,
  /\bpagina non trovata\b/i,
  /\bp[áa]gina n[ãa]o encontrada\b/i,
  /\bpagina niet gevonden\b/i,
  /страница не найдена/i,
  /ページが見つかりません/,
  /页面不存在|頁面不存在|网页不存在|網頁不存在/,
  /找不到(?:该|該|此)?(?:页面|頁面|网页|網頁)/,
  /(?:页面|頁面|网页|網頁)(?:未找到|找不到|没有找到|沒有找到)/,
  /404\s*(?:错误|錯誤)/,
];

/** Short words that mean "not found" on their own — strong in a title, too common in text. */
export const TITLE_ONLY_PHRASES: readonly RegExp[] = [
  /^\W*(?:error\s*)?404\b/i,
  /^\W*(?:404\s*[-–—:|]?\s*)?not found\W*$/i,
  /\bnot found\s*[-–—:|]/i,
  /[-–—:|]\s*not found\W*$/i,
  /^\W*(?:seite )?nicht gefunden\b/i,
  /^\W*introuvable\b/i,
  /^\W*no encontrad[ao]\b/i,
  /^\W*(?:未找到|找不到|不存在)/,
];

/** A heading that is only the status number, as error pages show it big. */
const BARE_STATUS = /^\W*(?:404|410)\W*$/;

/** Visible text this short leaves room for little besides the error message. */
const SHORT_TEXT = 800;
/** Visible main text this long is an actual document. */
const LONG_TEXT = 4000;
/** The text signal only looks at the opening of the main text, where an error page says it. */
const OPENING = 1500;

/** Weights of the signals and the score that makes a soft 404. */
export const SOFT_404_WEIGHTS = {
  title: 3,
  heading: 2,
  /** The opening text speaks of itself as missing ("the page you requested could not be found"). */
  selfReference: 3,
  /** The opening text says "not found" in general terms. */
  text: 2,
  errorUrl: 2,
  short: 1,
  long: -3,
  threshold: 4,
} as const;

export interface Soft404Assessment {
  score: number;
  /** The signals that fired, for logs and tests. */
  signals: string[];
}

/** Each list as one pattern, the text scanned once (issue 14). */
const SPEAKS_OF_ITSELF = anyOf(SELF_REFERENCE_PHRASES);
const SAYS_NOT_FOUND_ONLY = anyOf(NOT_FOUND_PHRASES);
const TITLE_SAYS_NOT_FOUND = anyOf([
  ...SELF_REFERENCE_PHRASES,
  ...NOT_FOUND_PHRASES,
  BARE_STATUS,
  ...TITLE_ONLY_PHRASES,
]);

/** Scores a page for "this is a not-found page served with 200". */
export function assessSoft404(page: PageSignals, finalUrl: string): Soft404Assessment {
  const signals: string[] = [];
  let score = 0;
  const add = (name: string, weight: number): void => {
    signals.push(name);
    score += weight;
  };
  if (page.title && TITLE_SAYS_NOT_FOUND.test(page.title)) add('title', SOFT_404_WEIGHTS.title);
  if (page.headings.some((h) => TITLE_SAYS_NOT_FOUND.test(h))) add('heading', SOFT_404_WEIGHTS.heading);
  const opening = page.mainText.slice(0, OPENING);
  if (SPEAKS_OF_ITSELF.test(opening)) add('self-reference', SOFT_404_WEIGHTS.selfReference);
  // Not speaking of itself, so only the general "not found" phrases are left to look for.
  else if (SAYS_NOT_FOUND_ONLY.test(opening)) add('text', SOFT_404_WEIGHTS.text);
  if (looksLikeErrorUrl(finalUrl)) add('error-url', SOFT_404_WEIGHTS.errorUrl);
  if (page.mainText.length < SHORT_TEXT) add('short', SOFT_404_WEIGHTS.short);
  else if (page.mainText.length > LONG_TEXT) add('long', SOFT_404_WEIGHTS.long);
  return { score, signals };
}

/** True when the page is a soft 404 (score at or above the threshold). */
export const isSoft404 = (page: PageSignals, finalUrl: string): boolean =>
  assessSoft404(page, finalUrl).score >= SOFT_404_WEIGHTS.threshold;

/** A 200 answer, as the comparison with the host's not-found page reads it. */
export interface AnsweredPage {
  /** The URL asked for. */
  url: string;
  /** The URL of the last hop. */
  finalUrl: string;
  status?: number;
  page?: PageSignals;
}

/** Word sets this similar (Jaccard) are the same page template with the same message. */
const SIMILAR_TEXT = 0.7;
/** The opening of the main text the comparison reads. */
const COMPARED_TEXT = 2000;

/** The last path segment of a URL, decoded, lower-cased: an error page often echoes it. */
function lastSegment(url: string): string {
  try {
    const segment = new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? '';
    return decodeURIComponent(segment).toLowerCase();
  } catch {
    return '';
  }
}

/** Text with what the page may echo of its own URL removed, lower-cased, whitespace squashed. */
function comparable(text: string, url: string): string {
  let s = text.toLowerCase();
  const segment = lastSegment(url);
  if (segment.length >= 3) s = s.split(segment).join(' ');
  return s.replace(/\s+/g, ' ').trim();
}

const words = (s: string): Set<string> => new Set(s.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1));

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Where the URL leads, without query or fragment: two error pages often share it. */
const landing = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
};

/**
 * Whether a page that looks like a soft 404 is the host's not-found page: `probe` is the host's
 * answer for a path that cannot exist. `true` when the two match (both redirected to the same
 * place, the same title, or similar text); `false` when they do not (the host answers a missing
 * page differently, with a real 404 or another page, so this one is a real page — "Error 404:
 * How a typo broke the internet"); `undefined` when the probe got no page to compare with.
 * Pure.
 */
export function matchesNotFoundPage(candidate: AnsweredPage, probe: AnsweredPage): boolean | undefined {
  if (probe.status === undefined) return undefined;
  // The host says "not found" properly for a missing page: a 200 is a page that exists.
  if (probe.status === 404 || probe.status === 410) return false;
  if (probe.status < 200 || probe.status >= 300) return undefined;
  const candidateMoved = !sameUrl(candidate.url, candidate.finalUrl);
  const probeMoved = !sameUrl(probe.url, probe.finalUrl);
  if (candidateMoved && probeMoved && landing(candidate.finalUrl) === landing(probe.finalUrl)) return true;
  if (!candidate.page || !probe.page) return undefined;
  const title = comparable(candidate.page.title, candidate.url);
  if (title !== '' && title === comparable(probe.page.title, probe.url)) return true;
  const a = words(comparable(candidate.page.mainText.slice(0, COMPARED_TEXT), candidate.url));
  const b = words(comparable(probe.page.mainText.slice(0, COMPARED_TEXT), probe.url));
  return jaccard(a, b) >= SIMILAR_TEXT;
}

const sameUrl = (a: string, b: string): boolean =>
  landing(a) === landing(b) && a.split('#')[0] === b.split('#')[0];
