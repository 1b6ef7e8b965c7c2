/**
 * Verdicts across runs: the stored observations of each link (and identifier) plus this run's,
 * judged by the check stage's `decideVerdict` — the one confirmation rule of citewatch. Pure:
 * the history comes in through a view, nothing is written.
 */
import { decideVerdict, identifierVerdict, normalizeTargetUrl, type VerdictOptions } from '../check/index.js';
import type { Article, LinkCheck, Reference } from '../model.js';
import type { HistoryView, IdentifierObservationRecord, Observation, StoredObservation } from './types.js';

export { identifierOutcome, type VerdictOptions } from '../check/index.js';

const withState = (check: LinkCheck, history: readonly Observation[], options: VerdictOptions): LinkCheck => {
  const state = decideVerdict(history, options);
  const { streak: _s, since: _f, lastAliveAt: _l, counted: _c, ...rest } = check;
  return {
    ...rest,
    verdict: state.verdict,
    streak: state.streak,
    ...(state.verdict === 'suspect' && state.counted !== undefined && { counted: state.counted }),
    ...(state.since !== undefined && { since: state.since }),
    ...(state.lastAliveAt !== undefined && { lastAliveAt: state.lastAliveAt }),
  };
};

/**
 * The check with its verdict across runs. `previous` are the link's stored observations
 * (oldest first, not including this run's); a `cached` check already is the latest of them.
 */
export function linkVerdict(
  check: LinkCheck,
  previous: readonly Observation[],
  options: VerdictOptions,
): LinkCheck {
  const history = check.cached ? previous : [...previous, { outcome: check.outcome, at: check.checkedAt }];
  return withState(check, history, options);
}

/**
 * The `LinkCheck` of a link the cadence did not fetch: its latest observation, reused.
 * `history` ends with that observation (it is the link's `previous()`).
 */
export function cachedLinkCheck(
  observation: StoredObservation,
  history: readonly Observation[],
  options: VerdictOptions,
): LinkCheck {
  const check: LinkCheck = {
    outcome: observation.outcome,
    verdict: 'skipped',
    reason: observation.reason,
    ...(observation.httpStatus !== undefined && { httpStatus: observation.httpStatus }),
    ...(observation.finalUrl !== undefined && { finalUrl: observation.finalUrl }),
    checkedAt: observation.at,
    cached: true,
  };
  return withState(check, history, options);
}

function referenceWithHistory(
  ref: Reference,
  view: Pick<HistoryView, 'previous' | 'previousIdentifier'>,
  options: VerdictOptions,
): Reference {
  return {
    ...ref,
    links: ref.links.map((link) =>
      link.check
        ? // The history is keyed by the fetched form of the URL (fragment removed), as the check records it.
          {
            ...link,
            check: linkVerdict(link.check, view.previous(normalizeTargetUrl(link.url).url), options),
          }
        : link,
    ),
    identifierChecks: ref.identifierChecks.map((c) =>
      identifierVerdict(c, view.previousIdentifier(c.kind, c.value), options),
    ),
  };
}

/**
 * Fills `verdict`, `streak`, `since` and `lastAliveAt` of every checked link (and the verdict
 * of every resolved identifier) from the stored observations plus this run's. The view must
 * leave out the current run (`store.view({ excludeRun })`). Returns new articles.
 */
export function applyHistory(
  articles: readonly Article[],
  view: Pick<HistoryView, 'previous' | 'previousIdentifier'>,
  options: VerdictOptions,
): Article[] {
  return articles.map((article) => ({
    ...article,
    references: article.references.map((ref) => referenceWithHistory(ref, view, options)),
  }));
}

/**
 * This run's identifier resolutions, to record (offline syntax checks are left out, and so are
 * those the run's time limit left unchecked: `run-time` says nothing about the identifier).
 */
export function identifierObservationsOf(article: Article): IdentifierObservationRecord[] {
  const out: IdentifierObservationRecord[] = [];
  for (const ref of article.references) {
    for (const c of ref.identifierChecks) {
      if (c.checkedAt === undefined || c.outcome === 'valid' || c.outcome === 'invalid') continue;
      if (c.reason === 'run-time') continue;
      out.push({ kind: c.kind, value: c.value, outcome: c.outcome, reason: c.reason, at: c.checkedAt });
    }
  }
  return out;
}
