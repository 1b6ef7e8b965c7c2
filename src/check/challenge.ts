/**
 * Bot challenges: Cloudflare's "Just a moment...", captcha walls, Imperva, DataDome,
 * PerimeterX, DDoS-Guard. They say nothing about whether the cited page exists — the site
 * refused to show it to a program — so such a response is `blocked`, whatever its status
 * (challenges come as 403, 429, 503 and also 200). A captcha on a comment form of a real
 * article is no challenge, so page signals are weighed like soft 404s. Pure.
 */
import type { PageSignals } from './page.js';
import { anyOf } from './phrase-list.js';

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

/** The lists as one pattern each (issue 14). */
const ANY_CHALLENGE_TITLE = anyOf(CHALLENGE_TITLES);
const ANY_CHALLENGE_PHRASE = anyOf(CHALLENGE_PHRASES);

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

const SHORT_TEXT = 1000;
const LONG_TEXT = 4000;

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
export function assessChallenge(page: PageSignals): ChallengeAssessment {
  const signals: string[] = [];
  let score = 0;
  const add = (name: string, weight: number): void => {
    signals.push(name);
    score += weight;
  };
  if (ANY_CHALLENGE_TITLE.test(page.title)) add('title', CHALLENGE_WEIGHTS.title);
  const opening = page.text.slice(0, 3000);
  if (ANY_CHALLENGE_PHRASE.test(opening)) add('text', CHALLENGE_WEIGHTS.text);
  if (page.embeds.some((src) => CHALLENGE_EMBEDS.test(src)) || CHALLENGE_CLASSES.test(page.classNames)) {
    add('widget', CHALLENGE_WEIGHTS.widget);
  }
  if (page.mainText.length < SHORT_TEXT) add('short', CHALLENGE_WEIGHTS.short);
  else if (page.mainText.length > LONG_TEXT) add('long', CHALLENGE_WEIGHTS.long);
  return { score, signals };
}

/** True for a challenge: by header, or by a page that scores at the threshold. */
export function isChallenge(headers: Record<string, string>, page: PageSignals | undefined): boolean {
  if (challengeHeader(headers)) return true;
  return page !== undefined && assessChallenge(page).score >= CHALLENGE_WEIGHTS.threshold;
}
