/**
 * From observations across runs to a verdict. A link is `dead` only once confirmed: `confirm`
 * dead checks in a row, each at least `confirmIntervalDays` after the previous counted one
 * (InternetArchiveBot's rule); before that it is `suspect`. A dead check that comes sooner than
 * that after the last counted one does not count, but does not reset the streak either. An
 * alive outcome ends a dead streak; `blocked` and `error` are reported as such and never become
 * `dead` by themselves. A `skipped` observation (offline, excluded) says nothing about the link:
 * it neither breaks nor extends a streak, and the current verdict is `skipped` only when this
 * run skipped the link. Pure: the clock is in the observations.
 */
import { DEFAULTS } from '../defaults.js';
import type { IdentifierCheck, IdentifierOutcome, Outcome, Verdict } from '../model.js';

export interface Observation {
  outcome: Outcome;
  /** ISO instant of the observation. */
  at: string;
}

const DAY_MS = 86_400_000;

/**
 * How much earlier than a whole interval a check may come and still count: a nightly job that
 * starts a few minutes earlier than three days before must not lose a day. Shared with the
 * cadence, which schedules the next counted check.
 */
export const CONFIRM_SLACK_MS = 3_600_000;

export interface VerdictOptions {
  /** Dead checks in a row for a `dead` verdict; 1 or less decides at once. @default 3 */
  confirm: number;
  /**
   * Days from one counted dead check to the next; a dead check sooner than that after the
   * previous counted one does not count (nor reset). @default 3 (DEFAULTS.confirmIntervalDays)
   */
  confirmIntervalDays?: number;
  /**
   * Deprecated (the old rule: days between the first and the last dead check): read as an
   * interval of `confirmSpanDays / (confirm - 1)` days when `confirmIntervalDays` is not given.
   * @deprecated use `confirmIntervalDays`
   */
  confirmSpanDays?: number;
}

/** The interval in days the options ask for, the deprecated span converted. */
export function confirmIntervalOf(options: VerdictOptions): number {
  if (options.confirmIntervalDays !== undefined) return options.confirmIntervalDays;
  if (options.confirmSpanDays !== undefined) return spanToInterval(options.confirmSpanDays, options.confirm);
  return DEFAULTS.confirmIntervalDays;
}

/**
 * The interval that keeps the promise of the old `--confirm-span`: `confirm` checks, each
 * `span / (confirm - 1)` days after the previous, are at least `span` days apart end to end.
 */
export const spanToInterval = (spanDays: number, confirm: number): number =>
  confirm <= 1 ? 0 : spanDays / (confirm - 1);

export interface VerdictState {
  verdict: Verdict;
  /**
   * Observations in the current streak: consecutive outcomes equal to the latest (skipped
   * observations in between are passed over). For a skipped link, the skipped run itself.
   */
  streak: number;
  /** The first observation of the streak. */
  since?: string;
  /** The last observation whose outcome was `alive`. */
  lastAliveAt?: string;
  /** For a dead streak: the dead checks that count towards confirmation. */
  counted?: number;
  /** For a suspect link: when the next dead check would count (ISO instant). */
  nextCountAt?: string;
}

/** The current streak: the latest outcome and the observations in a row that share it. */
function currentStreak(
  history: readonly Observation[],
): { outcome: Outcome; members: Observation[] } | undefined {
  const latest = history.at(-1);
  if (!latest) return undefined;
  const members: Observation[] = [];
  if (latest.outcome === 'skipped') {
    for (let i = history.length - 1; i >= 0 && history[i]!.outcome === 'skipped'; i--)
      members.unshift(history[i]!);
    return { outcome: 'skipped', members };
  }
  for (let i = history.length - 1; i >= 0; i--) {
    const o = history[i]!;
    if (o.outcome === 'skipped') continue;
    if (o.outcome !== latest.outcome) break;
    members.unshift(o);
  }
  return { outcome: latest.outcome, members };
}

/** The dead checks of a streak that count: the first, then each one interval after the last counted. */
function countedChecks(members: readonly Observation[], intervalDays: number): Observation[] {
  const needMs = Math.max(0, intervalDays * DAY_MS - CONFIRM_SLACK_MS);
  const counted: Observation[] = [];
  for (const o of members) {
    const previous = counted.at(-1);
    if (!previous || intervalDays <= 0 || Date.parse(o.at) - Date.parse(previous.at) >= needMs)
      counted.push(o);
  }
  return counted;
}

/**
 * The verdict after `history` (oldest first, this run's observation last).
 *
 * Counting runs over the whole dead streak, not only its last `confirm` members: more rechecks
 * of a confirmed dead link must not turn it back into `suspect`.
 */
export function decideVerdict(history: readonly Observation[], options: VerdictOptions): VerdictState {
  const lastAlive = history.findLast((o) => o.outcome === 'alive');
  const streak = currentStreak(history);
  const state: VerdictState = { verdict: 'skipped', streak: 0 };
  if (lastAlive) state.lastAliveAt = lastAlive.at;
  if (!streak) return state;
  const first = streak.members[0]!;
  state.streak = streak.members.length;
  state.since = first.at;
  if (streak.outcome !== 'dead') {
    state.verdict = streak.outcome;
    return state;
  }
  const interval = confirmIntervalOf(options);
  const counted = countedChecks(streak.members, interval);
  state.counted = counted.length;
  const confirmed = options.confirm <= 1 || counted.length >= options.confirm;
  state.verdict = confirmed ? 'dead' : 'suspect';
  if (!confirmed) {
    const due = Date.parse(counted.at(-1)!.at) + Math.max(0, interval * DAY_MS - CONFIRM_SLACK_MS);
    state.nextCountAt = new Date(due).toISOString();
  }
  return state;
}

/**
 * An identifier outcome as a link outcome, so DOIs follow the link rule: resolving is alive,
 * an unknown handle is dead. `valid` (a syntax check only) and `skipped` say nothing about
 * resolution; `invalid` is a typo, not a verdict (`undefined`).
 */
export function identifierOutcome(outcome: IdentifierOutcome): Outcome | undefined {
  switch (outcome) {
    case 'resolves':
      return 'alive';
    case 'unresolved':
      return 'dead';
    case 'error':
      return 'error';
    case 'valid':
    case 'skipped':
      return 'skipped';
    case 'invalid':
      return undefined;
  }
}

/** An identifier observation as the history keeps it. */
export interface IdentifierObservation {
  outcome: IdentifierOutcome;
  at: string;
}

/**
 * Whether the check's verdict depends on its identifier's history: only a resolution this run
 * made (resolves, unresolved, error) does. A skipped or syntax-only check is `skipped` whatever
 * came before, and an invalid one has no verdict: neither needs the history read.
 */
export function identifierVerdictReadsHistory(check: IdentifierCheck): boolean {
  if (check.checkedAt === undefined) return false;
  const outcome = identifierOutcome(check.outcome);
  return outcome !== undefined && outcome !== 'skipped';
}

/** The identifier check with its verdict across runs: `previous` (oldest first) plus this check. */
export function identifierVerdict(
  check: IdentifierCheck,
  previous: readonly IdentifierObservation[],
  options: VerdictOptions,
): IdentifierCheck {
  const current = identifierOutcome(check.outcome);
  if (current === undefined || check.checkedAt === undefined) return check;
  const history: Observation[] = [];
  for (const o of previous) {
    const outcome = identifierOutcome(o.outcome);
    if (outcome !== undefined) history.push({ outcome, at: o.at });
  }
  history.push({ outcome: current, at: check.checkedAt });
  return { ...check, verdict: decideVerdict(history, options).verdict };
}
