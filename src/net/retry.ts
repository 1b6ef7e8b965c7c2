/**
 * The retry policy, as pure functions: which answers are worth another try, how long to wait
 * (exponential backoff with jitter, or the server's `Retry-After`), and when to stop.
 * No clock and no randomness of their own: both are passed in.
 */
import type { FetchErrorKind } from './types.js';

/** Statuses that say "try again later". */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Statuses after which the whole host is slowed down, not just this request. */
export const SLOW_DOWN_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Error kinds that a second attempt may fix. */
export const RETRY_ERROR_KINDS: ReadonlySet<FetchErrorKind> = new Set<FetchErrorKind>(['timeout', 'reset']);

export const isRetryableStatus = (status: number): boolean => RETRY_STATUSES.has(status);
export const isRetryableError = (kind: FetchErrorKind): boolean => RETRY_ERROR_KINDS.has(kind);

/**
 * Whether a method may be sent again. POST is retried only after statuses that say the server
 * did not act on it (429, 503); a timeout or a reset may have come after it did.
 */
export function mayRetry(
  method: string,
  outcome: { status: number } | { errorKind: FetchErrorKind },
): boolean {
  if ('status' in outcome) {
    if (!isRetryableStatus(outcome.status)) return false;
    return method !== 'POST' || SLOW_DOWN_STATUSES.has(outcome.status);
  }
  return method !== 'POST' && isRetryableError(outcome.errorKind);
}

/**
 * Delay before retry number `retry` (1 = first retry): `base × 2^(retry−1)`, scaled by a jitter
 * factor in [0.5, 1.5) drawn from `random()`, so clients that failed together do not come
 * back together.
 */
export function backoffDelay(retry: number, baseMs: number, random: () => number): number {
  const exponential = baseMs * 2 ** Math.max(0, retry - 1);
  return Math.round(exponential * (0.5 + random()));
}

/**
 * `Retry-After` in milliseconds from now: delta-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past gives 0. Undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only HTTP dates: a bare number with a sign or a fraction is not valid either way.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export type RetryPlan =
  | { action: 'retry'; delayMs: number; slowDownHost: boolean }
  | { action: 'stop' }
  | { action: 'give-up-retry-after'; retryAfterMs: number };

export interface RetryContext {
  method: string;
  /** Retries already made (0 after the first attempt). */
  retriesDone: number;
  /** Retries allowed after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  /** A `Retry-After` above this is not waited out. */
  retryAfterCapMs: number;
  random: () => number;
}

/**
 * What to do after one attempt. A `Retry-After` above the cap stops at once (even with retries
 * left): waiting it out is not polite and not useful within one run.
 */
export function planRetry(
  outcome: { status: number; retryAfterMs?: number } | { errorKind: FetchErrorKind },
  context: RetryContext,
): RetryPlan {
  if (!mayRetry(context.method, outcome)) return { action: 'stop' };
  const retryAfterMs = 'status' in outcome ? outcome.retryAfterMs : undefined;
  if (retryAfterMs !== undefined && retryAfterMs > context.retryAfterCapMs) {
    return { action: 'give-up-retry-after', retryAfterMs };
  }
  if (context.retriesDone >= context.maxRetries) return { action: 'stop' };
  const backoff = backoffDelay(context.retriesDone + 1, context.baseDelayMs, context.random);
  const slowDownHost = 'status' in outcome && SLOW_DOWN_STATUSES.has(outcome.status);
  return { action: 'retry', delayMs: retryAfterMs ?? backoff, slowDownHost };
}
