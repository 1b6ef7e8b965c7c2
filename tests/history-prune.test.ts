/**
 * `citewatch prune` on a real SQLite file: two months of nightly observations shrink to the
 * kept days, the file gets smaller, and nothing a verdict relies on goes — a dead streak that
 * started before the cut, a link last seen long ago, each article's latest state.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideVerdict } from '../src/check/index.js';
import { main } from '../src/cli.js';
import { type ArticleState, openHistory } from '../src/history/index.js';
import { runPrune } from '../src/prune.js';

const DAY = 86_400_000;
const START = Date.parse('2026-09-01T03:17:00.000Z');
const at = (day: number): string => new Date(START + day * DAY).toISOString();
const NIGHTS = 60;
const NOW = at(NIGHTS);

let dir: string;
let state: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-prune-'));
  state = join(dir, 'state.sqlite');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const STREAK = 'https://dying.example/page';
const OLD = 'https://quiet.example/once';

const articleState = (day: number, dead: number): ArticleState => ({
  key: 'file:article.wiki',
  at: at(day),
  sha256: 'x',
  references: [],
  tags: [],
  unsourced: [],
  verdictCounts: { alive: 300 - dead, suspect: 0, dead, blocked: 0, error: 0, skipped: 0 },
  links: {},
});

/** Sixty nights: 300 live links every night, one link dead since night 30, one seen only on night 0. */
function seed(): void {
  let today = 0;
  const store = openHistory(state, { now: () => at(today) });
  for (let day = 0; day < NIGHTS; day++) {
    today = day;
    const run = store.beginRun({});
    const observations = Array.from({ length: 300 }, (_, i) => ({
      url: `https://live${i % 30}.example/article/${i}`,
      at: at(day),
      outcome: 'alive' as const,
      reason: 'ok',
      httpStatus: 200,
      durationMs: 120,
      bytes: 40_000,
    }));
    observations.push({
      url: STREAK,
      at: at(day),
      outcome: day < 30 ? 'alive' : ('dead' as never),
      reason: day < 30 ? 'ok' : 'http-404',
      httpStatus: day < 30 ? 200 : 404,
      durationMs: 90,
      bytes: 1000,
    });
    if (day === 0)
      observations.push({
        url: OLD,
        at: at(0),
        outcome: 'alive',
        reason: 'ok',
        httpStatus: 200,
        durationMs: 1,
        bytes: 1,
      });
    store.recordObservations(run, observations);
    store.recordIdentifierObservations(run, [
      { kind: 'doi', value: '10.1000/x', outcome: 'resolves', reason: 'found', at: at(day) },
    ]);
    store.saveArticleState(run, articleState(day, day < 12 ? 0 : 1));
    store.finishRun(run);
  }
  store.close();
}

const size = async (): Promise<number> =>
  (await stat(state)).size + ((await stat(`${state}-wal`).catch(() => undefined))?.size ?? 0);

describe('prune', () => {
  it('shrinks two months of history to the kept days and keeps every current streak whole', async () => {
    seed();
    const before = openHistory(state, { now: () => NOW });
    const streakBefore = before.previous(STREAK);
    const verdictBefore = decideVerdict(streakBefore, { confirm: 3, confirmSpanDays: 3 });
    const oldBefore = before.last(OLD);
    const lastStateBefore = before.lastArticleState('file:article.wiki');
    before.close();
    const bytesBefore = await size();

    const result = runPrune({ state, keepDays: '14', now: NOW });

    expect(result.before).toBe(at(NIGHTS - 14));
    expect(result.observations).toBe(300 * (NIGHTS - 14) + 29);
    expect(result.bytesBefore).toBeGreaterThanOrEqual(bytesBefore - 1);
    const bytesAfter = await size();
    expect(result.bytesAfter).toBe(bytesAfter);
    // Before/after figures: about 60 nights down to 14 (plus the streak).
    expect(bytesAfter).toBeLessThan(bytesBefore * 0.5);

    const after = openHistory(state, { now: () => NOW });
    try {
      expect(after.integrityCheck()).toEqual(['ok']);
      // The dead streak began on night 30, long before the cut: all of it stays, with the last alive.
      const streakAfter = after.previous(STREAK);
      expect(streakAfter).toEqual(streakBefore.filter((o) => o.at >= at(29)));
      expect(decideVerdict(streakAfter, { confirm: 3, confirmSpanDays: 3 })).toEqual(verdictBefore);
      expect(verdictBefore).toMatchObject({ verdict: 'dead', since: at(30), lastAliveAt: at(29) });
      // A link seen once, two months ago, keeps that one observation (the cadence needs it).
      expect(after.last(OLD)).toEqual(oldBefore);
      // Live links: only the kept days.
      expect(after.previous('https://live1.example/article/1').map((o) => o.at)).toEqual(
        Array.from({ length: 14 }, (_, i) => at(NIGHTS - 14 + i)),
      );
      expect(after.previousIdentifier('doi', '10.1000/x')).toHaveLength(14);
      expect(after.lastArticleState('file:article.wiki')).toEqual(lastStateBefore);
      expect(after.trend()).toHaveLength(14);
      // Runs nothing refers to any more go (nights 1 to 28 of 0–59: night 0 keeps the old link, night 29 on the streak).
      expect(after.runs(100)).toHaveLength(NIGHTS - 28);
    } finally {
      after.close();
    }
  });

  it('runs from the command line, and refuses bad input with exit code 2', async () => {
    seed();
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), env: {} };
    expect(await main(['prune', '--state', state, '--keep-days', '30', '--now', NOW, '--quiet'], io)).toBe(0);
    expect(out.join('')).toMatch(
      /^pruned .*state\.sqlite to 2026-10-01: \d+ link and \d+ identifier observations/,
    );
    expect(await main(['prune', '--state', state, '--keep-days', '0', '--quiet'], io)).toBe(2);
    expect(await main(['prune', '--state', join(dir, 'missing.sqlite'), '--quiet'], io)).toBe(2);
    expect(err.join('')).toContain('no state database there');
  });

  it('check --prune-days prunes after the run, keeping the streaks', async () => {
    seed();
    const article = join(dir, 'article.md');
    await writeFile(
      article,
      '# An article\n\nA claim.[^1]\n\n[^1]: A source, <https://dying.example/page>.\n',
    );
    const io = { stdout: () => {}, stderr: () => {}, env: {} };
    const code = await main(
      [
        'check',
        article,
        '--offline',
        '--state',
        state,
        '--out',
        join(dir, 'out'),
        '--now',
        NOW,
        '--prune-days',
        '14',
        '--quiet',
      ],
      io,
    );
    expect(code).toBe(0);
    const store = openHistory(state, { now: () => NOW });
    try {
      expect(store.previous('https://live1.example/article/1')).toHaveLength(14);
      expect(decideVerdict(store.previous(STREAK), { confirm: 3, confirmSpanDays: 3 })).toMatchObject({
        verdict: 'dead',
        since: at(30),
      });
    } finally {
      store.close();
    }
    expect(
      await main(['check', article, '--offline', '--state', state, '--prune-days', '0', '--quiet'], io),
    ).toBe(2);
  });
});
