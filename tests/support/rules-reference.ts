/**
 * The page classification rules as they were before issue 14 made them cheaper (one combined
 * pattern per list, literal pre-tests): the four rule modules' lists and scoring, word for word.
 * Only the names changed: the functions end in `Before`, and each module's private constants
 * carry its prefix so that the four fit in one file. Kept only as the reference of the
 * differential test (`tests/check-rules-differential.test.ts`); the phrase lists are exported
 * so that the test can build a text for each phrase.
 */
import type { PageSignals } from '../../src/check/page.js';
import { looksLikeErrorUrl, looksLikeLoginUrl } from '../../src/check/url-shape.js';

// ---- src/check/soft-404.ts ----
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
const SOFT404_BARE_STATUS = /^\W*(?:404|410)\W*$/;

/** Visible text this short leaves room for little besides the error message. */
const SOFT404_SHORT_TEXT = 800;
/** Visible main text this long is an actual document. */
const SOFT404_LONG_TEXT = 4000;
/** The text signal only looks at the opening of the main text, where an error page says it. */
const SOFT404_OPENING = 1500;

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
export const PAYWALL_PHRASES: readonly RegExp[] = [
  /\bsubscribe (?:now )?to (?:continue|keep) reading\b/i,
  /\bto continue reading,? (?:please )?(?:subscribe|become a (?:member|subscriber)|log in|sign in)\b/i,
  /\bthis (?:article|story|content) is (?:only )?(?:available )?(?:for|to) (?:subscribers|members|premium)/i,
  /\b(?:exclusive|available) (?:to|for) subscribers\b/i,
  /\balready (?:a )?(?:subscriber|member)\?\s*(?:sign|log) in\b/i,
  /\byou(?:['’]ve| have) (?:reached|used) (?:your|all of your) (?:limit of )?(?:free|monthly) (?:articles|stories)/i,
  /\bsubscribe for (?:full|unlimited) access\b/i,
  /\bpurchase (?:this )?(?:article|access|pdf)\b.*\b(?:rent|buy|price|\$|€|£)/i,
  /\bweiterlesen mit\b.*\babo/i,
  /\bcet article est réservé aux abonnés\b/i,
  /\bcontenido exclusivo para suscriptores\b/i,
];

/** Element names that paywall vendors use. */
export const PAYWALL_CLASSES =
  /\b(?:paywall|pay-wall|piano-(?:offer|paywall)|tp-modal|tp-container-inner|meteredcontent|subscriber-only|premium-content-gate|regwall|article-gate)\b/;

/** Wording of login walls. */
export const LOGIN_PHRASES: readonly RegExp[] = [
  /\b(?:please )?(?:sign|log) in (?:to (?:continue|view|see|read|access)|or (?:sign|create))/i,
  /\byou (?:must|need to) (?:be )?(?:logged|signed) in to (?:view|see|access|read)/i,
  /\b(?:sign|log) in to your account\b/i,
  /\blogin required\b/i,
];

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
export const CHALLENGE_TITLES: readonly RegExp[] = [
  /^\s*just a moment(?:\.\.\.|…)?\s*$/i,
  /^\s*attention required!?\s*\|\s*cloudflare/i,
  /^\s*please wait\.*\s*\|\s*cloudflare/i,
  /checking your browser/i,
  /^\s*ddos-guard\s*$/i,
  /^\s*(?:human|bot|robot|security) (?:verification|check)\s*$/i,
  /^\s*are you (?:a )?(?:human|robot)\??\s*$/i,
  /^\s*pardon our interruption/i,
  /^\s*one more step\s*$/i,
  /^\s*access (?:to this page has been )?denied\s*$/i,
  /^\s*verify(?:ing)? (?:that )?you are (?:a )?human/i,
  /^\s*captcha\s*$/i,
];

/** What the text of a challenge page says. */
export const CHALLENGE_PHRASES: readonly RegExp[] = [
  /checking (?:your browser|if the site connection is secure)/i,
  /enable javascript and cookies to continue/i,
  /please (?:verify|confirm) (?:that )?you are (?:a )?human/i,
  /verify you are human by completing/i,
  /please complete the security check to access/i,
  /(?:make|making) sure you['’]?re not a robot/i,
  /access to this page has been denied because we believe you are using automation tools/i,
  /request unsuccessful\. incapsula incident id/i,
  /why have i been blocked\?/i,
  /this website is using a security service to protect itself from online attacks/i,
  /type the characters you see in this image/i,
  /ddos protection by/i,
  /please stand by, while we are checking your browser/i,
];

/** Scripts and frames of challenge and captcha providers. */
export const CHALLENGE_EMBEDS =
  /challenges\.cloudflare\.com|\/cdn-cgi\/challenge-platform\/|captcha-delivery\.com|hcaptcha\.com|google\.com\/recaptcha|recaptcha\/api\.js|px-captcha|perimeterx|_incapsula_resource|ddos-guard\.net|arkoselabs\.com|funcaptcha/i;

/** Element names of challenge widgets. */
export const CHALLENGE_CLASSES =
  /\b(?:cf-browser-verification|cf-challenge(?:-\w+)?|cf-turnstile|challenge-form|challenge-running|g-recaptcha|h-captcha|px-captcha|captcha-container|ddg-captcha)\b/;

/** Signal weights and the score that makes a challenge page. */
export const CHALLENGE_WEIGHTS = {
  title: 3,
  text: 2,
  widget: 2,
  short: 1,
  long: -3,
  threshold: 4,
} as const;

const CHALLENGE_SHORT_TEXT = 1000;
const CHALLENGE_LONG_TEXT = 4000;

export interface ChallengeAssessment {
  score: number;
  signals: string[];
}

/**
 * True when the headers alone name a challenge: Cloudflare sets `cf-mitigated` only on the
 * responses it turned into a challenge.
 */
export function challengeHeader(headers: Record<string, string>): boolean {
  return headers['cf-mitigated'] !== undefined;
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
