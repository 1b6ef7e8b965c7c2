import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyHistory,
  cachedLinkCheck,
  type HistoryStore,
  identifierObservationsOf,
  openHistory,
  planChecks,
} from '../src/history/index.js';
import type { Article, IdentifierCheck, LinkCheck, Outcome } from '../src/model.js';
import { article, reference } from './support/article-builder.js';

const T0 = Date.parse('2026-10-02T03:00:00.000Z');
const day = (d: number): string => new Date(T0 + d * 86_400_000).toISOString();
const RULE = { confirm: 3, confirmIntervalDays: 3 };
const URL_A = 'https://a.test/page';

let store: HistoryStore;
let clock: string;
beforeEach(() => {
  clock = day(0);
  store = openHistory(':memory:', { now: () => clock });
});
afterEach(() => store.close());

function articleWith(outcome: Outcome, at: string, doi?: IdentifierCheck): Article {
  const check: LinkCheck = { outcome, verdict: 'skipped', reason: `r-${outcome}`, checkedAt: at };
  return article({
    references: [
      reference('1', {
        links: [{ url: URL_A, role: 'source', check }],
        ...(doi && { identifiers: { doi: [doi.value] }, identifierChecks: [doi] }),
      }),
    ],
  });
}

/** One run as the pipeline does it: verdicts from the history, then the observations recorded. */
function runOnce(outcome: Outcome, at: string, doi?: IdentifierCheck, rule = RULE): LinkCheck {
  return runWithDoi(outcome, at, doi, rule).link;
}

function runWithDoi(
  outcome: Outcome,
  at: string,
  doi?: IdentifierCheck,
  rule = RULE,
): { link: LinkCheck; doi?: IdentifierCheck } {
  clock = at;
  const runId = store.beginRun();
  const [judged] = applyHistory([articleWith(outcome, at, doi)], store.view({ excludeRun: runId }), rule);
  const link = judged!.references[0]!.links[0]!;
  store.recordObservation(runId, {
    url: link.url,
    outcome: link.check!.outcome,
    reason: link.check!.reason,
    at: link.check!.checkedAt,
    durationMs: 10,
    bytes: 100,
  });
  store.recordIdentifierObservations(runId, identifierObservationsOf(judged!));
  store.finishRun(runId);
  const judgedDoi = judged!.references[0]!.identifierChecks[0];
  return { link: link.check!, ...(judgedDoi && { doi: judgedDoi }) };
}

describe('verdicts across runs', () => {
  it('confirms dead after 3 dead checks, each 3 days after the previous; suspect before', () => {
    expect(runOnce('dead', day(0))).toMatchObject({ verdict: 'suspect', streak: 1, since: day(0) });
    expect(runOnce('dead', day(1))).toMatchObject({ verdict: 'suspect', streak: 2, since: day(0) });
    expect(runOnce('dead', day(2))).toMatchObject({ verdict: 'suspect', streak: 3 });
    // Regression (issue 12): the old rule called the link dead here, on day 3 of nightly runs.
    expect(runOnce('dead', day(3))).toMatchObject({ verdict: 'suspect', streak: 4, since: day(0) });
    expect(runOnce('dead', day(4)).verdict).toBe('suspect');
    expect(runOnce('dead', day(6))).toMatchObject({ verdict: 'dead', streak: 6, since: day(0) });
    expect(runOnce('dead', day(7)).verdict).toBe('dead');
  });

  it('a nightly schedule with the cadence: suspect links are fetched only when a check counts', () => {
    const fetchedOn: number[] = [];
    let verdict: LinkCheck | undefined;
    for (let d = 0; d <= 8; d++) {
      // The job starts a few minutes earlier or later each night.
      clock = new Date(T0 + d * 86_400_000 + (d % 2 === 0 ? -10 : 10) * 60_000).toISOString();
      const runId = store.beginRun();
      const view = store.view({ excludeRun: runId });
      const plan = planChecks([URL_A], view, { now: clock, ...RULE });
      store.finishRun(runId);
      if (plan.fetch.length === 0) continue;
      fetchedOn.push(d);
      verdict = runOnce('dead', clock);
      if (verdict.verdict === 'dead') break;
    }
    expect(fetchedOn).toEqual([0, 3, 6]);
    expect(verdict).toMatchObject({ verdict: 'dead', streak: 3 });
  });

  it('lets an alive outcome reset the streak', () => {
    runOnce('alive', day(0));
    runOnce('dead', day(1));
    runOnce('dead', day(2));
    expect(runOnce('alive', day(3))).toMatchObject({
      verdict: 'alive',
      streak: 1,
      since: day(3),
      lastAliveAt: day(3),
    });
    expect(runOnce('dead', day(4))).toMatchObject({ verdict: 'suspect', streak: 1, lastAliveAt: day(3) });
  });

  it('reports blocked with how long it has lasted, never dead', () => {
    runOnce('alive', day(0));
    let last: LinkCheck | undefined;
    for (let d = 1; d <= 14; d++) last = runOnce('blocked', day(d));
    expect(last).toMatchObject({ verdict: 'blocked', streak: 14, since: day(1), lastAliveAt: day(0) });
  });

  it('reads the history of a cited URL under its fetched form (fragment removed)', () => {
    runOnce('dead', day(0));
    runOnce('dead', day(3));
    clock = day(6);
    const a = articleWith('dead', day(6));
    a.references[0]!.links[0]!.url = `${URL_A}#section-2`;
    const [judged] = applyHistory([a], store.view(), RULE);
    expect(judged!.references[0]!.links[0]!.check).toMatchObject({ verdict: 'dead', streak: 3 });
  });

  it('decides at once with confirm 1', () => {
    expect(runOnce('dead', day(0), undefined, { confirm: 1, confirmIntervalDays: 0 }).verdict).toBe('dead');
  });

  it('gives DOIs the same rule', () => {
    const doi = (outcome: IdentifierCheck['outcome'], at: string): IdentifierCheck => ({
      kind: 'doi',
      value: '10.1000/gone',
      outcome,
      reason: outcome,
      checkedAt: at,
    });
    expect(runWithDoi('alive', day(0), doi('unresolved', day(0))).doi?.verdict).toBe('suspect');
    expect(runWithDoi('alive', day(3), doi('unresolved', day(3))).doi?.verdict).toBe('suspect');
    expect(runWithDoi('alive', day(6), doi('unresolved', day(6))).doi?.verdict).toBe('dead');
    expect(runWithDoi('alive', day(7), doi('resolves', day(7))).doi?.verdict).toBe('alive');
    expect(store.previousIdentifier('doi', '10.1000/gone')).toHaveLength(4);
  });

  it('judges a link the cadence reused from its stored observations, marked cached', () => {
    runOnce('dead', day(0));
    runOnce('dead', day(3));
    runOnce('dead', day(6));
    clock = new Date(T0 + 6 * 86_400_000 + 3_600_000).toISOString();
    const runId = store.beginRun();
    const view = store.view({ excludeRun: runId });
    const plan = planChecks([URL_A], view, { now: clock });
    expect(plan.fetch).toEqual([]);
    const reused = cachedLinkCheck(plan.reuse.get(URL_A)!, view.previous(URL_A), RULE);
    expect(reused).toEqual({
      outcome: 'dead',
      verdict: 'dead',
      reason: 'r-dead',
      checkedAt: day(6),
      cached: true,
      streak: 3,
      since: day(0),
    });
    // The same check passed through applyHistory is not counted twice.
    const a = articleWith('dead', day(6));
    a.references[0]!.links[0]!.check = reused;
    const [again] = applyHistory([a], view, RULE);
    expect(again!.references[0]!.links[0]!.check).toEqual(reused);
  });
});
