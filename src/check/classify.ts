/**
 * One fetch → one outcome, by the design's table:
 *
 * | outcome | evidence |
 * |---|---|
 * | `alive` | 2xx after redirects, not a soft 404 (paywalls and login walls: alive, restricted) |
 * | `dead` | 404, 410, soft 404, redirect to the site root or to an error URL, parked domain, DNS name does not exist, connection refused |
 * | `blocked` | 401, 402, 403, 407, 429 after retries, 451, 999, a too-long Retry-After, bot challenges |
 * | `error` | 5xx after retries, timeouts, resets, TLS failures, too many redirects, redirect loops, anything else |
 * | `skipped` | address not allowed, unsupported scheme, invalid URL, offline |
 *
 * `dns-not-found` and `refused` come out `dead` here; the orchestrator keeps them dead only
 * while the rest of the network answers. Pure: no I/O, no clock.
 */
import type { Outcome } from '../model.js';
import type { FetchErrorKind, FetchResult } from '../net/types.js';
import { isChallenge } from './challenge.js';
import { type PageSignals, readPage } from './page.js';
import { isParked } from './parked.js';
import { detectRestriction } from './paywall.js';
import { isSoft404 } from './soft-404.js';
import { isDeepUrl, isSiteRoot, looksLikeErrorUrl, sameResource } from './url-shape.js';

export interface Classification {
  outcome: Outcome;
  /** Stable, machine-readable: `http-404`, `soft-404`, `timeout`, `paywall`, … */
  reason: string;
  httpStatus?: number;
  finalUrl?: string;
  /** A real page behind a paywall or login wall. */
  restricted?: boolean;
  /** The user's rule that decided the outcome (exclude pattern, accepted status, override). */
  rule?: string;
}

/** Fetch errors and the outcome each stands for. */
const ERROR_OUTCOMES: Record<FetchErrorKind, Outcome> = {
  'dns-not-found': 'dead',
  refused: 'dead',
  'retry-after-too-long': 'blocked',
  'host-unavailable': 'blocked',
  timeout: 'error',
  reset: 'error',
  'dns-failure': 'error',
  tls: 'error',
  'too-many-redirects': 'error',
  'redirect-loop': 'error',
  other: 'error',
  'address-not-allowed': 'skipped',
  'unsupported-scheme': 'skipped',
  'invalid-url': 'skipped',
  offline: 'skipped',
  'run-time': 'skipped',
};

/** Statuses that mean "you may not see this", not "this is gone". 999 is LinkedIn's. */
const BLOCKED_STATUSES: ReadonlySet<number> = new Set([401, 402, 403, 407, 429, 451, 999]);
/** Statuses that mean the page is gone. */
const DEAD_STATUSES: ReadonlySet<number> = new Set([404, 410]);

/** Whether any hop of the fetch was a redirect. */
const redirected = (result: FetchResult): boolean =>
  result.hops.some((hop) => hop.location !== undefined) || !sameResource(result.url, result.finalUrl);

/** The response's content type, for deciding whether its body is a page. */
const contentType = (result: FetchResult): string | undefined => result.headers['content-type'];

function withResponse(result: FetchResult, outcome: Outcome, reason: string): Classification {
  const c: Classification = { outcome, reason };
  if (result.status !== undefined) c.httpStatus = result.status;
  if (result.finalUrl !== result.url) c.finalUrl = result.finalUrl;
  return c;
}

/** Classifies a 2xx answer by what the page says and where the redirects led. */
function classifySuccess(result: FetchResult, page: PageSignals | undefined): Classification {
  const { url, finalUrl } = result;
  if (isChallenge(result.headers, page)) return withResponse(result, 'blocked', 'bot-challenge');
  if (isParked(page, url, finalUrl)) return withResponse(result, 'dead', 'parked-domain');
  if (redirected(result)) {
    if (looksLikeErrorUrl(finalUrl) && !looksLikeErrorUrl(url)) {
      return withResponse(result, 'dead', 'redirect-to-404');
    }
    if (isDeepUrl(url) && isSiteRoot(finalUrl)) return withResponse(result, 'dead', 'redirect-to-root');
  }
  if (page && isSoft404(page, finalUrl)) return withResponse(result, 'dead', 'soft-404');
  const restriction = detectRestriction(page, url, finalUrl);
  if (restriction) return { ...withResponse(result, 'alive', restriction), restricted: true };
  return withResponse(result, 'alive', `http-${result.status}`);
}

/** Classifies one fetch. */
export function classifyResponse(result: FetchResult): Classification {
  if (result.error) {
    const outcome = ERROR_OUTCOMES[result.error.kind] ?? 'error';
    return withResponse(result, outcome, result.error.kind);
  }
  const status = result.status;
  if (status === undefined) return withResponse(result, 'error', 'no-response');
  if (DEAD_STATUSES.has(status)) return withResponse(result, 'dead', `http-${status}`);
  if (status >= 200 && status < 300) {
    return classifySuccess(result, readPage(result.body, contentType(result)));
  }
  const page =
    status === 403 || status === 429 || status >= 500
      ? readPage(result.body, contentType(result))
      : undefined;
  if (BLOCKED_STATUSES.has(status)) {
    return withResponse(
      result,
      'blocked',
      isChallenge(result.headers, page) ? 'bot-challenge' : `http-${status}`,
    );
  }
  // Cloudflare and others answer challenges with 503 too: that is a refusal, not an outage.
  if (status >= 500 && isChallenge(result.headers, page))
    return withResponse(result, 'blocked', 'bot-challenge');
  return withResponse(result, 'error', `http-${status}`);
}
