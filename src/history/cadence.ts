/**
 * Which links a run fetches and which it answers from the history. Pure: the history view is
 * read, nothing is written, the clock is a parameter.
 *
 * - new links (and links only ever `skipped`) are always fetched;
 * - `alive` links seen less than `recheckAliveDays` ago are reused;
 * - a suspect link (dead, not yet confirmed) is rechecked when its next dead check would count
 *   (`confirmIntervalDays` after the last counted one) and not before: a check sooner than that
 *   would cost a request and prove nothing; confirmed dead links every `recheckSuspectHours`;
 * - `blocked` and `error` are rechecked every `recheckFailingHours`;
 * - `full` fetches everything.
 */
import { decideVerdict } from '../check/index.js';
import { DEFAULTS } from '../defaults.js';
import type { Outcome } from '../model.js';
import type { HistoryView, StoredObservation } from './types.js';

export interface CadenceOptions {
  /** The run's clock, an ISO instant. */
  now: string;
  /** Fetch every link, whatever the history says. @default false */
  full?: boolean;
  /** @default 7 */
  recheckAliveDays?: number;
  /** @default 24 */
  recheckSuspectHours?: number;
  /** Recheck interval of `blocked` and `error` links. @default 24 */
  recheckFailingHours?: number;
  /**
   * A link is due this much before its interval ends, so that a nightly job starting a few
   * minutes earlier than the day before still rechecks instead of waiting a whole day more.
   * @default 3600000 (one hour)
   */
  slackMs?: number;
  /** The confirmation rule, to know when a suspect link's next check counts. @default 3 */
  confirm?: number;
  /** @default 3 (DEFAULTS.confirmIntervalDays) */
  confirmIntervalDays?: number;
}

export interface CheckPlan {
  /** URLs to fetch this run, in the order given, without duplicates. */
  fetch: string[];
  /** URLs answered by their latest observation; `reuse.size` is the run's `savedByCadence`. */
  reuse: Map<string, StoredObservation>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How long an observation with this outcome stays good enough to reuse. */
function freshFor(
  outcome: Outcome,
  o: Required<Omit<CadenceOptions, 'now' | 'full' | 'confirm' | 'confirmIntervalDays'>>,
): number {
  switch (outcome) {
    case 'alive':
      return o.recheckAliveDays * DAY_MS;
    case 'dead':
      return o.recheckSuspectHours * HOUR_MS;
    case 'blocked':
    case 'error':
      return o.recheckFailingHours * HOUR_MS;
    case 'skipped':
      return 0;
  }
}

/**
 * When a suspect link's next dead check would count, as an epoch; `undefined` when the link is
 * not suspect (confirmed dead, or no dead streak) or the history is not at hand.
 */
function nextCountedCheck(
  url: string,
  history: Partial<Pick<HistoryView, 'previous'>>,
  options: CadenceOptions,
): number | undefined {
  if (!history.previous) return undefined;
  const state = decideVerdict(history.previous(url), {
    confirm: options.confirm ?? DEFAULTS.confirm,
    confirmIntervalDays: options.confirmIntervalDays ?? DEFAULTS.confirmIntervalDays,
  });
  return state.verdict === 'suspect' && state.nextCountAt !== undefined
    ? Date.parse(state.nextCountAt)
    : undefined;
}

export function planChecks(
  urls: Iterable<string>,
  history: Pick<HistoryView, 'last'> & Partial<Pick<HistoryView, 'previous'>>,
  options: CadenceOptions,
): CheckPlan {
  const intervals = {
    recheckAliveDays: options.recheckAliveDays ?? DEFAULTS.recheckAliveDays,
    recheckSuspectHours: options.recheckSuspectHours ?? DEFAULTS.recheckSuspectHours,
    recheckFailingHours: options.recheckFailingHours ?? 24,
    slackMs: options.slackMs ?? HOUR_MS,
  };
  const now = Date.parse(options.now);
  const fetch: string[] = [];
  const reuse = new Map<string, StoredObservation>();
  const seen = new Set<string>();
  for (const url of urls) {
    if (seen.has(url)) continue;
    seen.add(url);
    const last = options.full ? undefined : history.last(url);
    if (last === undefined) {
      fetch.push(url);
      continue;
    }
    const age = now - Date.parse(last.at);
    // An observation from the future (a run with an earlier --now) proves nothing about now.
    let fresh = age >= 0 && age < freshFor(last.outcome, intervals) - intervals.slackMs;
    if (age >= 0 && last.outcome === 'dead') {
      const due = nextCountedCheck(url, history, options);
      // The counted check's due time already has the confirmation rule's slack.
      if (due !== undefined && now < due) fresh = true;
    }
    if (fresh) reuse.set(url, last);
    else fetch.push(url);
  }
  return { fetch, reuse };
}
