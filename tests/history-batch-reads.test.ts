/**
 * `previousOfMany` / `lastOfMany` read many URLs' histories at once (one statement finds which
 * URLs have any): what they return must be exactly what `previous` / `last` return URL by URL
 * (order, limit, ties, the excluded run), since the verdicts and the cadence read through them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type HistoryStore,
  type ObservationRecord,
  openHistory,
  PREVIOUS_LIMIT,
} from '../src/history/index.js';

const T0 = Date.parse('2026-10-01T03:00:00.000Z');
const at = (hour: number): string => new Date(T0 + hour * 3_600_000).toISOString();

const obs = (url: string, outcome: ObservationRecord['outcome'], when: string, reason = 'http-404') =>
  ({ url, outcome, reason, at: when, durationMs: 12, bytes: 300 }) satisfies ObservationRecord;

let store: HistoryStore;

beforeEach(() => {
  store = openHistory(':memory:', { now: () => at(0) });
});

afterEach(() => {
  store.close();
});

/** Three runs: a long history, same-instant ties, a URL seen only by the last run, one never seen. */
function seed(): { urls: string[]; runs: number[] } {
  const runs = [store.beginRun(), store.beginRun(), store.beginRun()];
  const long = 'https://long.example/a';
  const ties = 'https://ties.example/b';
  const lastRunOnly = 'https://late.example/c';
  // More than PREVIOUS_LIMIT observations, so the limit has to cut each URL's own history.
  store.recordObservations(
    runs[0]!,
    Array.from({ length: PREVIOUS_LIMIT + 7 }, (_, i) => obs(long, i % 3 === 0 ? 'alive' : 'dead', at(i))),
  );
  // Rows at the same instant: the insertion order (rowid) decides, as in `previous`.
  store.recordObservations(runs[1]!, [
    obs(ties, 'dead', at(5), 'first'),
    obs(ties, 'alive', at(5), 'second'),
    obs(ties, 'blocked', at(5), 'third'),
    obs(long, 'alive', at(3), 'late-insert-early-time'),
  ]);
  store.recordObservations(runs[2]!, [obs(lastRunOnly, 'dead', at(9)), obs(ties, 'error', at(4))]);
  return { urls: [long, ties, lastRunOnly, 'https://never.example/d'], runs };
}

describe('history reads of many URLs at once', () => {
  it('previousOfMany gives each URL what previous gives it (absent when it has none)', () => {
    const { urls } = seed();
    const many = store.previousOfMany(urls);
    for (const url of urls) {
      const one = store.previous(url);
      if (one.length === 0) expect(many.has(url)).toBe(false);
      else expect(many.get(url)).toEqual(one);
    }
    expect(many.get(urls[0]!)).toHaveLength(PREVIOUS_LIMIT);
  });

  it('leaves out the excluded run, as previous does', () => {
    const { urls, runs } = seed();
    for (const excludeRun of runs) {
      const many = store.previousOfMany(urls, { excludeRun });
      for (const url of urls) expect(many.get(url) ?? []).toEqual(store.previous(url, { excludeRun }));
    }
    expect(store.previousOfMany(urls, { excludeRun: runs[2] }).has(urls[2]!)).toBe(false);
  });

  it('lastOfMany gives each URL what last gives it', () => {
    const { urls, runs } = seed();
    for (const options of [{}, { excludeRun: runs[1]! }, { excludeRun: runs[2]! }]) {
      const lasts = store.lastOfMany(urls, options);
      for (const url of urls) expect(lasts.get(url)).toEqual(store.last(url, options));
    }
  });

  it('takes any iterable, a URL given twice once, and nothing at all', () => {
    const { urls } = seed();
    expect(store.previousOfMany(new Set(urls)).get(urls[1]!)).toEqual(store.previous(urls[1]!));
    expect(store.previousOfMany([urls[1]!, urls[1]!]).get(urls[1]!)).toEqual(store.previous(urls[1]!));
    expect(store.previousOfMany([]).size).toBe(0);
  });

  it('find nothing in a state without observations, and see the first one recorded at once', () => {
    const urls = ['https://a.example/1', 'https://b.example/2'];
    const view = store.view();
    expect(view.previousOfMany(urls).size).toBe(0);
    expect(view.lastOfMany(urls).size).toBe(0);
    const run = store.beginRun();
    store.recordObservations(run, [obs(urls[1]!, 'dead', at(1))]);
    // Nothing is remembered of the empty state: the same view reads the new row.
    expect([...view.previousOfMany(urls)]).toEqual([[urls[1], store.previous(urls[1]!)]]);
    expect([...view.lastOfMany(urls)]).toEqual([[urls[1], store.last(urls[1]!)]]);
    expect(store.previousOfMany(urls, { excludeRun: run }).size).toBe(0);
  });

  it('the view reads many URLs through the same statements, leaving out its run', () => {
    const { urls, runs } = seed();
    const view = store.view({ excludeRun: runs[2]! });
    expect([...view.previousOfMany(urls)]).toEqual([...store.previousOfMany(urls, { excludeRun: runs[2]! })]);
    expect([...view.lastOfMany(urls)]).toEqual([...store.lastOfMany(urls, { excludeRun: runs[2]! })]);
  });
});
