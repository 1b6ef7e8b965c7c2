/**
 * Paywalls and login walls on real pages. The cited page exists — a reader with an account or
 * a subscription gets it — so the link is `alive`, with `restricted: true` so the report can
 * say why a reader may not see it. Pure.
 */
import type { PageSignals } from './page.js';
import { anyOf } from './phrase-list.js';
import { looksLikeLoginUrl } from './url-shape.js';

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

/** The lists as one pattern each (issue 14). */
const ANY_PAYWALL_PHRASE = anyOf(PAYWALL_PHRASES);
const ANY_LOGIN_PHRASE = anyOf(LOGIN_PHRASES);

const LOGIN_TITLE = /^\W*(?:log ?in|sign ?in|sign on|anmelden|connexion|iniciar sesi[óo]n|登录|登入)\b/i;

/**
 * Why a live page is restricted, if it is: a login wall (redirected to a login URL, or a login
 * form that is the page's point) or a paywall (subscription prompt, vendor markup, or
 * structured data saying the content is not free).
 */
export function detectRestriction(
  page: PageSignals | undefined,
  url: string,
  finalUrl: string,
): Restriction | undefined {
  const redirected = url !== finalUrl;
  if (redirected && looksLikeLoginUrl(finalUrl) && !looksLikeLoginUrl(url)) return 'login-wall';
  if (!page) return undefined;
  if (page.notFreeMarkup) return 'paywall';
  const opening = page.text.slice(0, 6000);
  if (PAYWALL_CLASSES.test(page.classNames) || ANY_PAYWALL_PHRASE.test(opening)) return 'paywall';
  const loginTitle = LOGIN_TITLE.test(page.title) || page.headings.some((h) => LOGIN_TITLE.test(h));
  if (page.passwordField && (loginTitle || ANY_LOGIN_PHRASE.test(opening))) return 'login-wall';
  return undefined;
}
