/**
 * Which links a run fetches and which it answers from the history. Pure: the history view is
 * read, nothing is written, the clock is a parameter.
 *
 * - new links (and links only ever `skipped`) are always fetched;
 * - `alive` links seen less than `recheckAliveDays` ago are reused;
 * - `dead` outcomes (suspect, or confirmed dead) are rechecked once every `recheckSuspectHours`,
 *   so the confirmation span can complete on a nightly schedule;
 * - `blocked` and `error` are rechecked every `recheckFailingHours`;
 * - `full` fetches everything.
 */
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
function freshFor(outcome: Outcome, o: Required<Omit<CadenceOptions, 'now' | 'full'>>): number {
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

export function planChecks(
  urls: Iterable<string>,
  history: Pick<HistoryView, 'last'>,
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
    const fresh = age >= 0 && age < freshFor(last.outcome, intervals) - intervals.slackMs;
    if (fresh) reuse.set(url, last);
    else fetch.push(url);
  }
  return { fetch, reuse };
}
