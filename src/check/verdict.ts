/**
 * From observations across runs to a verdict. A link is `dead` only once confirmed: `confirm`
 * dead outcomes in a row, the first and the last of that streak at least `confirmSpanDays`
 * apart (what the Internet Archive's bot does); before that it is `suspect`. An alive outcome
 * ends a dead streak; `blocked` and `error` are reported as such and never become `dead` by
 * themselves. A `skipped` observation (offline, excluded) says nothing about the link: it
 * neither breaks nor extends a streak, and the current verdict is `skipped` only when this
 * run skipped the link. Pure: the clock is in the observations.
 */
import { daysBetween } from '../core/dates.js';
import type { IdentifierCheck, IdentifierOutcome, Outcome, Verdict } from '../model.js';

export interface Observation {
  outcome: Outcome;
  /** ISO instant of the observation. */
  at: string;
}

export interface VerdictOptions {
  /** Dead outcomes in a row for a `dead` verdict; 1 or less decides at once. @default 3 */
  confirm: number;
  /** Days between the first and the last dead outcome of the streak. @default 3 */
  confirmSpanDays: number;
}

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

/**
 * The verdict after `history` (oldest first, this run's observation last).
 *
 * The span is measured over the whole dead streak, not only its last `confirm` members: more
 * rechecks of a confirmed dead link must not turn it back into `suspect`.
 */
export function decideVerdict(history: readonly Observation[], options: VerdictOptions): VerdictState {
  const lastAlive = history.findLast((o) => o.outcome === 'alive');
  const streak = currentStreak(history);
  const state: VerdictState = { verdict: 'skipped', streak: 0 };
  if (lastAlive) state.lastAliveAt = lastAlive.at;
  if (!streak) return state;
  const first = streak.members[0]!;
  const last = streak.members.at(-1)!;
  state.streak = streak.members.length;
  state.since = first.at;
  if (streak.outcome !== 'dead') {
    state.verdict = streak.outcome;
    return state;
  }
  const confirmed =
    options.confirm <= 1 ||
    (streak.members.length >= options.confirm && daysBetween(first.at, last.at) >= options.confirmSpanDays);
  state.verdict = confirmed ? 'dead' : 'suspect';
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
