import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, StateError } from '../src/errors.js';
import {
  type ArticleState,
  type HistoryStore,
  type ObservationRecord,
  openHistory,
  openSqlite,
  PREVIOUS_LIMIT,
  SCHEMA_VERSION,
} from '../src/history/index.js';

const T0 = Date.parse('2026-10-01T03:00:00.000Z');
const at = (day: number, hour = 0): string =>
  new Date(T0 + day * 86_400_000 + hour * 3_600_000).toISOString();

const obs = (
  url: string,
  outcome: ObservationRecord['outcome'],
  when: string,
  extra: Partial<ObservationRecord> = {},
) =>
  ({
    url,
    outcome,
    reason: outcome === 'alive' ? 'http-200' : 'http-404',
    at: when,
    durationMs: 12,
    bytes: 300,
    ...extra,
  }) satisfies ObservationRecord;

const state = (key: string, when: string, dead: number, suspect: number, blocked: number): ArticleState => ({
  key,
  at: when,
  sha256: 'a'.repeat(64),
  references: [],
  tags: [],
  unsourced: [],
  verdictCounts: { alive: 1, suspect, dead, blocked, error: 0, skipped: 0 },
  links: {},
});

let dir: string;
let clock: string;
let store: HistoryStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cw-history-'));
  clock = at(0);
  store = openHistory(':memory:', { now: () => clock });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opening', () => {
  it('creates the directory, the schema at its latest version, WAL mode', () => {
    const path = join(dir, '.citewatch', 'nested', 'state.sqlite');
    const file = openHistory(path, { now: () => clock });
    expect(file.schemaVersion).toBe(SCHEMA_VERSION);
    file.close();
    const raw = openSqlite(path, { readonly: true });
    expect(raw.pragmaValue('journal_mode')).toBe('wal');
    const tables = raw
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name);
    expect(tables).toEqual([
      'archive_jobs',
      'article_states',
      'article_states_staged',
      'identifier_observations',
      'observations',
      'runs',
      'snapshot_lookups',
      'snapshots',
      'urls',
    ]);
    raw.close();
  });

  it('refuses a file that is not a database with a StateError', () => {
    const path = join(dir, 'garbage.sqlite');
    writeFileSync(path, 'this is not a database, just some text that is long enough '.repeat(20));
    try {
      openHistory(path, { now: () => clock });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StateError);
      expect((error as StateError).code).toBe(ERROR_CODES.state);
    }
  });
});

describe('runs and observations', () => {
  it('records runs with their clock, options and shard', () => {
    const id = store.beginRun({ options: { confirm: 3 }, shard: '1/4' });
    clock = at(0, 1);
    store.finishRun(id);
    expect(store.runs()).toEqual([
      { id, startedAt: at(0), finishedAt: at(0, 1), options: { confirm: 3 }, shard: '1/4' },
    ]);
  });

  it('returns a URL’s observations oldest first, with every field', () => {
    const run = store.beginRun();
    store.recordObservation(run, obs('https://a.test/x', 'dead', at(2), { httpStatus: 404 }));
    store.recordObservation(run, obs('https://a.test/x', 'alive', at(1), { finalUrl: 'https://a.test/y' }));
    store.recordObservation(run, obs('https://b.test/', 'blocked', at(1)));
    expect(store.previous('https://a.test/x')).toEqual([
      { runId: run, ...obs('https://a.test/x', 'alive', at(1), { finalUrl: 'https://a.test/y' }) },
      { runId: run, ...obs('https://a.test/x', 'dead', at(2), { httpStatus: 404 }) },
    ]);
    expect(store.last('https://a.test/x')?.outcome).toBe('dead');
    expect(store.previous('https://never.test/')).toEqual([]);
    expect(store.last('https://never.test/')).toBeUndefined();
  });

  it(`keeps only the last ${PREVIOUS_LIMIT} observations in previous()`, () => {
    const run = store.beginRun();
    store.recordObservations(
      run,
      Array.from({ length: PREVIOUS_LIMIT + 10 }, (_, i) => obs('https://a.test/', 'dead', at(i))),
    );
    const history = store.previous('https://a.test/');
    expect(history).toHaveLength(PREVIOUS_LIMIT);
    expect(history[0]!.at).toBe(at(10));
    expect(history.at(-1)!.at).toBe(at(PREVIOUS_LIMIT + 9));
  });

  it('leaves the run in progress out of a view', () => {
    const first = store.beginRun();
    store.recordObservation(first, obs('https://a.test/', 'dead', at(0)));
    const second = store.beginRun();
    store.recordObservation(second, obs('https://a.test/', 'alive', at(1)));
    const view = store.view({ excludeRun: second });
    expect(view.previous('https://a.test/').map((o) => o.outcome)).toEqual(['dead']);
    expect(view.last('https://a.test/')?.runId).toBe(first);
    expect(
      store
        .view()
        .previous('https://a.test/')
        .map((o) => o.outcome),
    ).toEqual(['dead', 'alive']);
  });

  it('writes a batch all or nothing', () => {
    const run = store.beginRun();
    const bad = { ...obs('https://c.test/', 'dead', at(0)), reason: null } as unknown as ObservationRecord;
    expect(() => store.recordObservations(run, [obs('https://c.test/', 'alive', at(0)), bad])).toThrow();
    expect(store.previous('https://c.test/')).toEqual([]);
    store.recordObservation(run, obs('https://c.test/', 'alive', at(1)));
    expect(store.previous('https://c.test/')).toHaveLength(1);
  });

  it('keeps identifier observations apart, by kind and value', () => {
    const run = store.beginRun();
    store.recordIdentifierObservations(run, [
      { kind: 'doi', value: '10.1000/x', outcome: 'unresolved', reason: 'handle-100', at: at(1) },
      { kind: 'doi', value: '10.1000/x', outcome: 'resolves', reason: 'handle-1', at: at(0) },
      { kind: 'pmid', value: '123', outcome: 'resolves', reason: 'esummary', at: at(0) },
    ]);
    expect(store.previousIdentifier('doi', '10.1000/x').map((o) => o.outcome)).toEqual([
      'resolves',
      'unresolved',
    ]);
    expect(store.previousIdentifier('doi', '10.1000/y')).toEqual([]);
  });
});

describe('snapshots and archive jobs', () => {
  it('returns the newest snapshot of a URL', () => {
    store.recordSnapshot(
      'https://a.test/',
      { url: 'https://web.archive.org/web/2020/https://a.test/', timestamp: '20200101000000' },
      'lookup',
    );
    store.recordSnapshot(
      'https://a.test/',
      { url: 'https://web.archive.org/web/2026/https://a.test/', timestamp: '20261001000000' },
      'capture',
    );
    store.recordSnapshot(
      'https://a.test/',
      { url: 'https://web.archive.org/web/2026/https://a.test/', timestamp: '20261001000000' },
      'capture',
    );
    expect(store.latestSnapshot('https://a.test/')).toEqual({
      url: 'https://web.archive.org/web/2026/https://a.test/',
      timestamp: '20261001000000',
      source: 'capture',
    });
    expect(store.latestSnapshot('https://b.test/')).toBeUndefined();
  });

  it('keeps the latest snapshot lookup per URL and date, found or not, and the view reads it', () => {
    const snapshot = { url: 'https://web.archive.org/web/2019/https://a.test/', timestamp: '20190101000000' };
    store.recordSnapshotLookup({ url: 'https://a.test/', date: '2019-01-02', at: '2026-10-01T00:00:00Z' });
    expect(store.snapshotLookup('https://a.test/', '2019-01-02')).toEqual({
      url: 'https://a.test/',
      date: '2019-01-02',
      at: '2026-10-01T00:00:00Z',
    });
    store.recordSnapshotLookup({
      url: 'https://a.test/',
      date: '2019-01-02',
      at: '2026-11-01T00:00:00Z',
      snapshot,
    });
    store.recordSnapshotLookup({ url: 'https://a.test/', date: '2024-05-05', at: '2026-11-01T00:00:00Z' });
    expect(store.view().snapshotLookup('https://a.test/', '2019-01-02')).toEqual({
      url: 'https://a.test/',
      date: '2019-01-02',
      at: '2026-11-01T00:00:00Z',
      snapshot,
    });
    expect(store.snapshotLookup('https://a.test/', '2024-05-05')?.snapshot).toBeUndefined();
    expect(store.snapshotLookup('https://a.test/', '2020-01-01')).toBeUndefined();
    expect(store.snapshotLookup('https://b.test/', '2019-01-02')).toBeUndefined();
  });

  it('keeps one job per URL and lists the pending ones', () => {
    store.saveArchiveJob({
      url: 'https://a.test/',
      jobId: 'j1',
      status: 'pending',
      requestedAt: at(0),
      updatedAt: at(0),
      attempts: 1,
    });
    store.saveArchiveJob({
      url: 'https://b.test/',
      status: 'error',
      requestedAt: at(0),
      updatedAt: at(0),
      attempts: 1,
      lastError: 'error:not-found',
    });
    expect(store.pendingArchiveJobs().map((j) => j.url)).toEqual(['https://a.test/']);
    store.saveArchiveJob({
      url: 'https://a.test/',
      jobId: 'j1',
      status: 'captured',
      requestedAt: at(0),
      updatedAt: at(1),
      attempts: 1,
    });
    expect(store.pendingArchiveJobs()).toEqual([]);
    expect(store.archiveJob('https://a.test/')).toEqual({
      url: 'https://a.test/',
      jobId: 'j1',
      status: 'captured',
      requestedAt: at(0),
      updatedAt: at(1),
      attempts: 1,
    });
    expect(store.archiveJob('https://b.test/')?.lastError).toBe('error:not-found');
  });
});

/** Replaces the in-memory `store` with one in a file (another connection can read it); its path. */
function useFileStore(): string {
  store.close();
  const path = join(dir, 'staged.sqlite');
  store = openHistory(path, { now: () => clock });
  return path;
}

/** The run ids of the staged article states in the database at `path`, read beside the store. */
const stagedRowsOf = (path: string) => (): number[] => {
  const raw = openSqlite(path, { readonly: true });
  try {
    return raw
      .prepare<[], { run_id: number }>('SELECT run_id FROM article_states_staged ORDER BY run_id')
      .all()
      .map((r) => r.run_id);
  } finally {
    raw.close();
  }
};

/** The `urls` rows and each observation's URL id of the database at `path`, read beside the store. */
function rowsOf(path: string): { urls: unknown[]; observations: unknown[] } {
  const raw = openSqlite(path, { readonly: true });
  try {
    return {
      urls: raw.prepare('SELECT id, url, host FROM urls ORDER BY id').all(),
      observations: raw.prepare('SELECT run_id, url_id, outcome FROM observations ORDER BY rowid').all(),
    };
  } finally {
    raw.close();
  }
}

describe('URL ids of batched observations', () => {
  it('are those of one observation at a time: new URLs in order, known ones (and repeats) reused, across stores', () => {
    const nights = [
      ['https://a.example/1', 'https://b.example/2', 'https://a.example/1', 'https://c.example/3'],
      ['https://c.example/3', 'https://d.example/4', 'https://a.example/1', 'https://E.example/5#x'],
    ];
    const write = (path: string, batched: boolean): void => {
      for (const [night, urls] of nights.entries()) {
        // A store per night: its id cache starts empty, as a new run's does.
        const s = openHistory(path, { now: () => at(night) });
        const run = s.beginRun();
        const records = urls.map((url, i) => obs(url, i % 2 ? 'alive' : 'dead', at(night, i)));
        if (batched) s.recordObservations(run, records);
        else for (const r of records) s.recordObservation(run, r);
        s.recordSnapshot(
          'https://d.example/4',
          { url: 'https://web.archive.org/web/2020/x', timestamp: '2020' },
          'lookup',
        );
        s.close();
      }
    };
    write(join(dir, 'one-by-one.sqlite'), false);
    write(join(dir, 'batched.sqlite'), true);
    const batched = rowsOf(join(dir, 'batched.sqlite'));
    expect(batched).toEqual(rowsOf(join(dir, 'one-by-one.sqlite')));
    expect(batched.urls).toHaveLength(5);
  });
});

describe('article states and trend', () => {
  it('returns the latest state of an article from another run', () => {
    const r1 = store.beginRun();
    store.saveArticleState(r1, { ...state('title:a', at(0), 1, 0, 0), revisionId: 7 });
    store.finishRun(r1);
    const r2 = store.beginRun();
    store.saveArticleState(r2, state('title:a', at(1), 2, 0, 0));
    store.finishRun(r2);
    expect(store.lastArticleState('title:a')?.verdictCounts.dead).toBe(2);
    const previous = store.lastArticleState('title:a', { excludeRun: r2 });
    expect(previous?.revisionId).toBe(7);
    expect(previous?.at).toBe(at(0));
    expect(store.lastArticleState('title:b')).toBeUndefined();
  });

  it('sums the counts of every article per run, oldest first, last N runs', () => {
    for (let day = 0; day < 95; day++) {
      const run = store.beginRun();
      store.saveArticleState(run, state('title:a', at(day), day, 1, 0));
      store.saveArticleState(run, state('title:b', at(day), 1, 0, 2));
      store.finishRun(run);
    }
    const trend = store.trend();
    expect(trend).toHaveLength(90);
    expect(trend[0]).toEqual({ at: at(5), dead: 6, suspect: 1, blocked: 2 });
    expect(trend.at(-1)).toEqual({ at: at(94), dead: 95, suspect: 1, blocked: 2 });
    expect(store.trend(3, 'title:b')).toEqual([
      { at: at(92), dead: 1, suspect: 0, blocked: 2 },
      { at: at(93), dead: 1, suspect: 0, blocked: 2 },
      { at: at(94), dead: 1, suspect: 0, blocked: 2 },
    ]);
  });

  it('never takes an unfinished run as the baseline (a run that failed after saving its states)', () => {
    const r1 = store.beginRun();
    store.saveArticleState(r1, state('title:a', at(0), 0, 1, 0));
    store.finishRun(r1);
    // Saved its states, then failed before finishing (reports not written, process killed).
    const r2 = store.beginRun();
    store.saveArticleState(r2, state('title:a', at(1), 1, 0, 0));
    const r3 = store.beginRun();
    expect(store.lastArticleState('title:a', { excludeRun: r3 })?.at).toBe(at(0));
    expect(store.trend()).toEqual([{ at: at(0), dead: 0, suspect: 1, blocked: 0 }]);
    expect(store.trend(90, 'title:a')).toEqual([{ at: at(0), dead: 0, suspect: 1, blocked: 0 }]);
  });

  it('completes a run in one step: its states and its end together, then it is the baseline', () => {
    const r1 = store.beginRun();
    store.completeRun(r1, [state('title:a', at(0), 2, 1, 0), state('title:b', at(0), 1, 0, 0)]);
    expect(store.runs()[0]?.finishedAt).toBe(clock);
    expect(store.lastArticleState('title:b')?.verdictCounts.dead).toBe(1);
    // A state that cannot be saved (no key) leaves the run unfinished and saves none of them.
    const r2 = store.beginRun();
    expect(() =>
      store.completeRun(r2, [
        state('title:a', at(1), 5, 0, 0),
        { ...state('title:c', at(1), 0, 0, 0), key: null as unknown as string },
      ]),
    ).toThrow();
    expect(store.runs()[0]).toMatchObject({ id: r2 });
    expect(store.runs()[0]?.finishedAt).toBeUndefined();
    expect(store.lastArticleState('title:a')?.verdictCounts.dead).toBe(2);
  });

  it('adds the run in progress to the trend without saving it', () => {
    const r1 = store.beginRun();
    store.completeRun(r1, [state('title:a', at(0), 2, 1, 0)]);
    store.beginRun();
    const pending = [state('title:a', at(1), 3, 0, 0), state('title:b', at(1), 1, 0, 4)];
    expect(store.trendWith(pending)).toEqual([
      { at: at(0), dead: 2, suspect: 1, blocked: 0 },
      { at: at(1), dead: 4, suspect: 0, blocked: 4 },
    ]);
    expect(store.trendWith(pending, 1)).toEqual([{ at: at(1), dead: 4, suspect: 0, blocked: 4 }]);
    expect(store.trendWith([])).toEqual([{ at: at(0), dead: 2, suspect: 1, blocked: 0 }]);
    expect(store.trend()).toHaveLength(1);
  });

  it('keeps staged states out of sight until the run completes, then moves them into place', () => {
    const r1 = store.beginRun();
    store.completeRun(r1, [state('title:a', at(0), 2, 1, 0)]);
    const r2 = store.beginRun();
    store.stageArticleState(r2, state('title:a', at(1), 3, 0, 0));
    store.stageArticleState(r2, state('title:b', at(1), 1, 0, 4));
    const r3 = store.beginRun();
    // Staged: no baseline, no trend point, for this run's reads or any other's.
    expect(store.lastArticleState('title:a', { excludeRun: r3 })?.at).toBe(at(0));
    expect(store.lastArticleState('title:b')).toBeUndefined();
    expect(store.trend()).toEqual([{ at: at(0), dead: 2, suspect: 1, blocked: 0 }]);
    // The run's own summary sees its staged counts as the trend's last point.
    expect(store.trendWithStaged(r2)).toEqual([
      { at: at(0), dead: 2, suspect: 1, blocked: 0 },
      { at: at(1), dead: 4, suspect: 0, blocked: 4 },
    ]);
    expect(store.trendWithStaged(r2, 1)).toEqual([{ at: at(1), dead: 4, suspect: 0, blocked: 4 }]);
    expect(store.trendWithStaged(r3)).toEqual([{ at: at(0), dead: 2, suspect: 1, blocked: 0 }]);

    store.completeRun(r2);
    expect(store.lastArticleState('title:a', { excludeRun: r3 })?.verdictCounts.dead).toBe(3);
    expect(store.lastArticleState('title:b')?.verdictCounts.blocked).toBe(4);
    expect(store.trend()).toHaveLength(2);
    expect(store.trendWithStaged(r2)).toEqual(store.trend());
  });

  it('never counts the staged states of a run that did not complete, and the next completed run deletes them', () => {
    const staged = stagedRowsOf(useFileStore());
    const r1 = store.beginRun();
    store.stageArticleState(r1, state('title:a', at(0), 1, 0, 0));
    store.completeRun(r1);
    // Staged every state, then failed before its reports were in place (or was killed).
    const r2 = store.beginRun();
    store.stageArticleState(r2, state('title:a', at(1), 5, 0, 0));
    const r3 = store.beginRun();
    expect(store.lastArticleState('title:a', { excludeRun: r3 })?.at).toBe(at(0));
    expect(store.trendWithStaged(r3)).toEqual([{ at: at(0), dead: 1, suspect: 0, blocked: 0 }]);
    store.stageArticleState(r3, state('title:a', at(2), 2, 0, 0));
    expect(staged()).toEqual([r2, r3]);

    store.completeRun(r3);
    expect(staged()).toEqual([]);
    expect(store.lastArticleState('title:a')?.at).toBe(at(2));
    expect(store.trend().map((p) => p.dead)).toEqual([1, 2]);
    expect(store.runs().map((r) => [r.id, r.finishedAt !== undefined])).toEqual([
      [r3, true],
      [r2, false],
      [r1, true],
    ]);
  });

  it('prune deletes the staged states of a run that never completed, and that run', () => {
    const staged = stagedRowsOf(useFileStore());
    const r1 = store.beginRun();
    store.stageArticleState(r1, state('title:a', at(0), 1, 0, 0));
    // Never completed; `clock` is its start, so prune from a later instant.
    const later = new Date(Date.parse(clock) + 86_400_000).toISOString();
    expect(store.prune(later).runs).toBe(1);
    expect(staged()).toEqual([]);
    expect(store.runs()).toEqual([]);
  });

  it('stays consistent', () => {
    const run = store.beginRun();
    store.recordObservation(run, obs('https://a.test/', 'alive', at(0)));
    expect(store.integrityCheck()).toEqual(['ok']);
  });
});
