/**
 * The state database (SQLite through better-sqlite3): the only module of citewatch that opens
 * it. WAL mode and `synchronous=NORMAL`, statements prepared once, every write its own small
 * transaction — a run killed at any moment keeps every observation it had recorded, and the
 * next run simply goes on.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StateError } from '../errors.js';
import type { IdentifierKind, IdentifierOutcome, Outcome, Snapshot, Verdict } from '../model.js';
import { MIGRATIONS, type Migration, migrate } from './migrations.js';
import { openSqlite, type SqliteDatabase, type SqliteDriverChoice } from './sqlite.js';
import type {
  ArchiveJob,
  ArchiveJobStatus,
  ArticleState,
  HistoryView,
  IdentifierObservationRecord,
  LinkVerdict,
  ObservationRecord,
  ReferenceFingerprint,
  RunRecord,
  SnapshotLookupRecord,
  SnapshotSource,
  StoredIdentifierObservation,
  StoredObservation,
  StoredSnapshot,
  TagFingerprint,
  TrendPoint,
} from './types.js';

/** Observations `previous()` returns per URL: enough for any confirmation rule. */
export const PREVIOUS_LIMIT = 50;
/** Runs the trend covers. */
export const TREND_LIMIT = 90;

export interface HistoryOptions {
  /** The run's clock (ISO instant), for run start and end times. */
  now: () => string;
  /** Schema steps; tests pass an older list to build old databases. @default MIGRATIONS */
  migrations?: readonly Migration[];
  /** Milliseconds to wait for another process holding the write lock. @default 5000 */
  busyTimeoutMs?: number;
  /** The SQLite driver: `node:sqlite` where this Node has it, else better-sqlite3. @default 'auto' */
  driver?: SqliteDriverChoice;
}

/** Restricts reads to other runs than the one in progress. */
/** Rows `HistoryStore.prune` deleted, per table. */
export interface PruneCounts {
  observations: number;
  identifierObservations: number;
  articleStates: number;
  snapshotLookups: number;
  runs: number;
  urls: number;
}

export interface ReadOptions {
  /** Ignore this run's rows (the current run, whose observations are not "previous"). */
  excludeRun?: number;
}

interface ObservationRow {
  run_id: number;
  at: string;
  outcome: string;
  status: number | null;
  reason: string;
  final_url: string | null;
  duration_ms: number;
  bytes: number;
  url: string;
}

interface IdentifierRow {
  run_id: number;
  kind: string;
  value: string;
  at: string;
  outcome: string;
  reason: string;
}

interface ArchiveJobRow {
  url: string;
  job_id: string | null;
  status: string;
  requested_at: string;
  updated_at: string;
  attempts: number;
  last_error: string | null;
}

interface ArticleStateRow {
  article_key: string;
  at: string;
  sha256: string;
  revision_id: number | null;
  reference_fingerprints: string;
  tag_fingerprints: string;
  unsourced_fingerprints: string;
  verdict_counts: string;
  link_verdicts: string;
}

interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  options: string;
  shard: string | null;
}

/** `run_id != ?` with this value excludes nothing. */
const NO_RUN = -1;

const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
};

const toObservation = (row: ObservationRow): StoredObservation => ({
  runId: row.run_id,
  url: row.url,
  outcome: row.outcome as Outcome,
  reason: row.reason,
  ...(row.status !== null && { httpStatus: row.status }),
  ...(row.final_url !== null && { finalUrl: row.final_url }),
  at: row.at,
  durationMs: row.duration_ms,
  bytes: row.bytes,
});

const toIdentifierObservation = (row: IdentifierRow): StoredIdentifierObservation => ({
  runId: row.run_id,
  kind: row.kind as IdentifierKind,
  value: row.value,
  outcome: row.outcome as IdentifierOutcome,
  reason: row.reason,
  at: row.at,
});

const toArchiveJob = (row: ArchiveJobRow): ArchiveJob => ({
  url: row.url,
  ...(row.job_id !== null && { jobId: row.job_id }),
  status: row.status as ArchiveJobStatus,
  requestedAt: row.requested_at,
  updatedAt: row.updated_at,
  attempts: row.attempts,
  ...(row.last_error !== null && { lastError: row.last_error }),
});

const toArticleState = (row: ArticleStateRow): ArticleState => ({
  key: row.article_key,
  at: row.at,
  sha256: row.sha256,
  ...(row.revision_id !== null && { revisionId: row.revision_id }),
  references: JSON.parse(row.reference_fingerprints) as ReferenceFingerprint[],
  tags: JSON.parse(row.tag_fingerprints) as TagFingerprint[],
  unsourced: JSON.parse(row.unsourced_fingerprints) as string[],
  verdictCounts: JSON.parse(row.verdict_counts) as Record<Verdict, number>,
  links: JSON.parse(row.link_verdicts) as Record<string, LinkVerdict>,
});

/** Opens (creating and migrating as needed) the state database at `path`, or `:memory:`. */
export function openHistory(path: string, options: HistoryOptions): HistoryStore {
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (cause) {
      throw new StateError(`${path}: cannot create the state directory`, { cause });
    }
  }
  let db: SqliteDatabase;
  try {
    db = openSqlite(path, { driver: options.driver ?? 'auto' });
  } catch (cause) {
    if (cause instanceof StateError) throw cause;
    throw new StateError(`${path}: cannot open the state database`, { cause });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    migrate(db, options.migrations ?? MIGRATIONS);
    return new HistoryStore(db, options.now);
  } catch (cause) {
    db.close();
    if (cause instanceof StateError) throw cause;
    throw new StateError(`${path}: not a usable state database`, { cause });
  }
}

export class HistoryStore {
  readonly #db: SqliteDatabase;
  readonly #now: () => string;
  readonly #urlIds = new Map<string, number>();
  readonly #stmt;
  readonly #recordMany: (runId: number, observations: readonly ObservationRecord[]) => void;
  readonly #recordIdentifiers: (runId: number, observations: readonly IdentifierObservationRecord[]) => void;
  readonly #complete: (runId: number, states: readonly ArticleState[]) => void;

  /** Use `openHistory`; the database must be migrated already. */
  constructor(db: SqliteDatabase, now: () => string) {
    this.#db = db;
    this.#now = now;
    this.#stmt = {
      beginRun: db.prepare<[string, string, string | null]>(
        'INSERT INTO runs (started_at, options, shard) VALUES (?, ?, ?)',
      ),
      finishRun: db.prepare<[string, number]>('UPDATE runs SET finished_at = ? WHERE id = ?'),
      runs: db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?'),
      insertUrl: db.prepare<[string, string]>(
        'INSERT INTO urls (url, host) VALUES (?, ?) ON CONFLICT (url) DO NOTHING',
      ),
      urlId: db.prepare<[string], { id: number }>('SELECT id FROM urls WHERE url = ?'),
      // The ids of many URLs (given as one JSON array) that are known already.
      urlIds: db.prepare<[string], { id: number; url: string }>(
        'SELECT id, url FROM urls WHERE url IN (SELECT value FROM json_each(?))',
      ),
      insertObservation: db.prepare<
        [number, number, string, string, number | null, string, string | null, number, number]
      >(
        `INSERT INTO observations (run_id, url_id, at, outcome, status, reason, final_url, duration_ms, bytes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      previous: db.prepare<[string, number, number], ObservationRow>(
        `SELECT o.run_id, o.at, o.outcome, o.status, o.reason, o.final_url, o.duration_ms, o.bytes, u.url
         FROM observations o JOIN urls u ON u.id = o.url_id
         WHERE u.url = ? AND o.run_id != ?
         ORDER BY o.at DESC, o.rowid DESC LIMIT ?`,
      ),
      // Whether there is any observation at all (a state only offline runs used has none).
      anyObservation: db.prepare<[], { one: number }>('SELECT 1 AS one FROM observations LIMIT 1'),
      // Which of many URLs (given as one JSON array) have an observation: the others need no
      // read of their own.
      observedAmong: db.prepare<[string, number], { url: string }>(
        `SELECT u.url FROM urls u WHERE u.url IN (SELECT value FROM json_each(?))
           AND EXISTS (SELECT 1 FROM observations o WHERE o.url_id = u.id AND o.run_id != ?)`,
      ),
      insertIdentifier: db.prepare<[number, string, string, string, string, string]>(
        `INSERT INTO identifier_observations (run_id, kind, value, at, outcome, reason)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      previousIdentifier: db.prepare<[string, string, number, number], IdentifierRow>(
        `SELECT run_id, kind, value, at, outcome, reason FROM identifier_observations
         WHERE kind = ? AND value = ? AND run_id != ?
         ORDER BY at DESC, rowid DESC LIMIT ?`,
      ),
      insertSnapshot: db.prepare<[number, string, string, string]>(
        `INSERT INTO snapshots (url_id, snapshot_url, timestamp, source) VALUES (?, ?, ?, ?)
         ON CONFLICT (url_id, snapshot_url) DO NOTHING`,
      ),
      upsertSnapshotLookup: db.prepare<[number, string, string, string | null, string | null]>(
        `INSERT INTO snapshot_lookups (url_id, wanted_date, looked_up_at, snapshot_url, timestamp)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (url_id, wanted_date) DO UPDATE SET looked_up_at = excluded.looked_up_at,
           snapshot_url = excluded.snapshot_url, timestamp = excluded.timestamp`,
      ),
      snapshotLookup: db.prepare<
        [string, string],
        { looked_up_at: string; snapshot_url: string | null; timestamp: string | null }
      >(
        `SELECT l.looked_up_at, l.snapshot_url, l.timestamp FROM snapshot_lookups l
         JOIN urls u ON u.id = l.url_id WHERE u.url = ? AND l.wanted_date = ?`,
      ),
      latestSnapshot: db.prepare<[string], { snapshot_url: string; timestamp: string; source: string }>(
        `SELECT s.snapshot_url, s.timestamp, s.source FROM snapshots s JOIN urls u ON u.id = s.url_id
         WHERE u.url = ? ORDER BY s.timestamp DESC LIMIT 1`,
      ),
      upsertJob: db.prepare<[number, string | null, string, string, string, number, string | null]>(
        `INSERT INTO archive_jobs (url_id, job_id, status, requested_at, updated_at, attempts, last_error)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (url_id) DO UPDATE SET job_id = excluded.job_id, status = excluded.status,
           requested_at = excluded.requested_at, updated_at = excluded.updated_at,
           attempts = excluded.attempts, last_error = excluded.last_error`,
      ),
      job: db.prepare<[string], ArchiveJobRow>(
        `SELECT u.url, j.job_id, j.status, j.requested_at, j.updated_at, j.attempts, j.last_error
         FROM archive_jobs j JOIN urls u ON u.id = j.url_id WHERE u.url = ?`,
      ),
      pendingJobs: db.prepare<[], ArchiveJobRow>(
        `SELECT u.url, j.job_id, j.status, j.requested_at, j.updated_at, j.attempts, j.last_error
         FROM archive_jobs j JOIN urls u ON u.id = j.url_id WHERE j.status = 'pending'
         ORDER BY j.requested_at`,
      ),
      saveState: db.prepare<[string, number, ...StateColumns]>(
        `INSERT OR REPLACE INTO article_states (article_key, run_id, at, sha256, revision_id,
           reference_fingerprints, tag_fingerprints, unsourced_count, unsourced_fingerprints,
           verdict_counts, link_verdicts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      stageState: db.prepare<[number, string, ...StateColumns]>(
        `INSERT OR REPLACE INTO article_states_staged (run_id, article_key, at, sha256, revision_id,
           reference_fingerprints, tag_fingerprints, unsourced_count, unsourced_fingerprints,
           verdict_counts, link_verdicts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      unstageStates: db.prepare<[number]>(
        `INSERT OR REPLACE INTO article_states (article_key, run_id, at, sha256, revision_id,
           reference_fingerprints, tag_fingerprints, unsourced_count, unsourced_fingerprints,
           verdict_counts, link_verdicts)
         SELECT article_key, run_id, at, sha256, revision_id, reference_fingerprints,
           tag_fingerprints, unsourced_count, unsourced_fingerprints, verdict_counts, link_verdicts
         FROM article_states_staged WHERE run_id = ?`,
      ),
      // This run's staged rows, moved, and those of earlier runs that never completed (killed,
      // or failed before their reports were in place): they never count.
      dropStaged: db.prepare<[number]>('DELETE FROM article_states_staged WHERE run_id <= ?'),
      stagedTrend: db.prepare<[number], TrendPoint>(
        `SELECT MIN(at) AS at,
           SUM(json_extract(verdict_counts, '$.dead')) AS dead,
           SUM(json_extract(verdict_counts, '$.suspect')) AS suspect,
           SUM(json_extract(verdict_counts, '$.blocked')) AS blocked
         FROM article_states_staged WHERE run_id = ? HAVING COUNT(*) > 0`,
      ),
      // Only finished runs count: a run that failed or was killed after saving its states never
      // wrote its reports, so what it saw is still news for the next run.
      lastState: db.prepare<[string, number], ArticleStateRow>(
        `SELECT * FROM article_states WHERE article_key = ? AND run_id != ?
           AND run_id IN (SELECT id FROM runs WHERE finished_at IS NOT NULL)
         ORDER BY at DESC, run_id DESC LIMIT 1`,
      ),
      trendAll: db.prepare<[number], TrendPoint>(
        `SELECT MIN(at) AS at,
           SUM(json_extract(verdict_counts, '$.dead')) AS dead,
           SUM(json_extract(verdict_counts, '$.suspect')) AS suspect,
           SUM(json_extract(verdict_counts, '$.blocked')) AS blocked
         FROM article_states WHERE run_id IN (SELECT id FROM runs WHERE finished_at IS NOT NULL)
         GROUP BY run_id ORDER BY MIN(at) DESC, run_id DESC LIMIT ?`,
      ),
      trendOne: db.prepare<[string, number], TrendPoint>(
        `SELECT at,
           json_extract(verdict_counts, '$.dead') AS dead,
           json_extract(verdict_counts, '$.suspect') AS suspect,
           json_extract(verdict_counts, '$.blocked') AS blocked
         FROM article_states WHERE article_key = ?
           AND run_id IN (SELECT id FROM runs WHERE finished_at IS NOT NULL)
         ORDER BY at DESC, run_id DESC LIMIT ?`,
      ),
    };
    this.#recordMany = db.transaction((runId: number, observations: readonly ObservationRecord[]) => {
      if (observations.length > 1) this.#readUrlIds(observations);
      for (const o of observations) this.#insertObservation(runId, o);
    });
    this.#complete = db.transaction((runId: number, states: readonly ArticleState[]) => {
      for (const state of states) this.saveArticleState(runId, state);
      this.#stmt.unstageStates.run(runId);
      this.#stmt.dropStaged.run(runId);
      this.finishRun(runId);
    });
    this.#recordIdentifiers = db.transaction(
      (runId: number, observations: readonly IdentifierObservationRecord[]) => {
        for (const o of observations)
          this.#stmt.insertIdentifier.run(runId, o.kind, o.value, o.at, o.outcome, o.reason);
      },
    );
  }

  // -- runs ---------------------------------------------------------------------------------

  /** Starts a run; its id tags every observation the run records. */
  beginRun(info: { options?: Record<string, unknown>; shard?: string } = {}): number {
    const result = this.#stmt.beginRun.run(
      this.#now(),
      JSON.stringify(info.options ?? {}),
      info.shard ?? null,
    );
    return Number(result.lastInsertRowid);
  }

  finishRun(runId: number): void {
    this.#stmt.finishRun.run(this.#now(), runId);
  }

  /**
   * Saves the run's article states — its staged ones (`stageArticleState`) and `states` — and
   * marks it finished, all or nothing: call it once every report is written. Until then the run
   * is no baseline, so a run that fails part way leaves its news to the next one. The staged
   * rows of earlier runs that never completed are deleted in the same transaction (citewatch
   * runs on one state file one at a time; shards each have their own).
   */
  completeRun(runId: number, states: readonly ArticleState[] = []): void {
    this.#complete(runId, states);
  }

  /** The latest runs, newest first. */
  runs(limit = 20): RunRecord[] {
    return this.#stmt.runs.all(limit).map((r) => ({
      id: r.id,
      startedAt: r.started_at,
      ...(r.finished_at !== null && { finishedAt: r.finished_at }),
      options: JSON.parse(r.options) as Record<string, unknown>,
      ...(r.shard !== null && { shard: r.shard }),
    }));
  }

  // -- link observations ----------------------------------------------------------------------

  /** Records one observation in its own transaction: call it as each observation arrives. */
  recordObservation(runId: number, observation: ObservationRecord): void {
    this.#write(() => this.#recordMany(runId, [observation]));
  }

  /** Records a small batch in one transaction (all or nothing). */
  recordObservations(runId: number, observations: readonly ObservationRecord[]): void {
    if (observations.length > 0) this.#write(() => this.#recordMany(runId, observations));
  }

  /** The URL's observations, oldest first, at most the last `PREVIOUS_LIMIT`. */
  previous(url: string, options: ReadOptions = {}): StoredObservation[] {
    return this.#stmt.previous
      .all(url, options.excludeRun ?? NO_RUN, PREVIOUS_LIMIT)
      .reverse()
      .map(toObservation);
  }

  last(url: string, options: ReadOptions = {}): StoredObservation | undefined {
    const row = this.#stmt.previous.get(url, options.excludeRun ?? NO_RUN, 1);
    return row ? toObservation(row) : undefined;
  }

  /**
   * `previous()` of every URL in `urls` (a URL without observations is absent). One statement
   * finds the URLs that have any, and only those are read: a run's new links (every link of a
   * first run) cost no read each (one SELECT per URL was 74 ms for 2000 URLs). A single
   * statement for the rows themselves (a window function) was slower once the history is long:
   * it sorts what the index gives in order. Pass a few hundred URLs at a time.
   */
  previousOfMany(urls: Iterable<string>, options: ReadOptions = {}): Map<string, StoredObservation[]> {
    const byUrl = new Map<string, StoredObservation[]>();
    for (const url of this.#observedAmong(urls, options)) byUrl.set(url, this.previous(url, options));
    return byUrl;
  }

  /** `last()` of every URL in `urls` (a URL never observed is absent), as `previousOfMany`. */
  lastOfMany(urls: Iterable<string>, options: ReadOptions = {}): Map<string, StoredObservation> {
    const lasts = new Map<string, StoredObservation>();
    for (const url of this.#observedAmong(urls, options)) lasts.set(url, this.last(url, options)!);
    return lasts;
  }

  /** The URLs among `urls` with an observation (other than the excluded run's). */
  #observedAmong(urls: Iterable<string>, options: ReadOptions): string[] {
    // Without a single observation, no URL has one: that costs one look, not the URLs' JSON.
    if (this.#stmt.anyObservation.get() === undefined) return [];
    return this.#stmt.observedAmong
      .all(JSON.stringify(Array.isArray(urls) ? urls : [...urls]), options.excludeRun ?? NO_RUN)
      .map((r) => r.url);
  }

  /** Read access for the check stage and the cadence, leaving out the run in progress. */
  view(options: ReadOptions = {}): HistoryView {
    return {
      previous: (url) => this.previous(url, options),
      previousOfMany: (urls) => this.previousOfMany(urls, options),
      last: (url) => this.last(url, options),
      lastOfMany: (urls) => this.lastOfMany(urls, options),
      previousIdentifier: (kind, value) => this.previousIdentifier(kind, value, options),
      snapshotLookup: (url, date) => this.snapshotLookup(url, date),
    };
  }

  // -- identifier observations ----------------------------------------------------------------

  recordIdentifierObservation(runId: number, observation: IdentifierObservationRecord): void {
    this.#recordIdentifiers(runId, [observation]);
  }

  recordIdentifierObservations(runId: number, observations: readonly IdentifierObservationRecord[]): void {
    if (observations.length > 0) this.#recordIdentifiers(runId, observations);
  }

  previousIdentifier(
    kind: IdentifierKind,
    value: string,
    options: ReadOptions = {},
  ): StoredIdentifierObservation[] {
    return this.#stmt.previousIdentifier
      .all(kind, value, options.excludeRun ?? NO_RUN, PREVIOUS_LIMIT)
      .reverse()
      .map(toIdentifierObservation);
  }

  // -- snapshots and archive jobs -------------------------------------------------------------

  recordSnapshot(url: string, snapshot: Snapshot, source: SnapshotSource): void {
    this.#stmt.insertSnapshot.run(this.#urlId(url), snapshot.url, snapshot.timestamp, source);
  }

  /** Keeps a Wayback lookup (replacing an earlier one for the same URL and date). */
  recordSnapshotLookup(lookup: SnapshotLookupRecord): void {
    this.#stmt.upsertSnapshotLookup.run(
      this.#urlId(lookup.url),
      lookup.date,
      lookup.at,
      lookup.snapshot?.url ?? null,
      lookup.snapshot?.timestamp ?? null,
    );
  }

  /** The latest lookup of the URL's snapshot closest to `date`. */
  snapshotLookup(url: string, date: string): SnapshotLookupRecord | undefined {
    const row = this.#stmt.snapshotLookup.get(url, date);
    if (!row) return undefined;
    const lookup: SnapshotLookupRecord = { url, date, at: row.looked_up_at };
    if (row.snapshot_url !== null && row.timestamp !== null)
      lookup.snapshot = { url: row.snapshot_url, timestamp: row.timestamp };
    return lookup;
  }

  /** The URL's most recent known snapshot (found by lookup or made by a capture). */
  latestSnapshot(url: string): StoredSnapshot | undefined {
    const row = this.#stmt.latestSnapshot.get(url);
    return row
      ? { url: row.snapshot_url, timestamp: row.timestamp, source: row.source as SnapshotSource }
      : undefined;
  }

  /** Creates or replaces the URL's archive job. */
  saveArchiveJob(job: ArchiveJob): void {
    this.#stmt.upsertJob.run(
      this.#urlId(job.url),
      job.jobId ?? null,
      job.status,
      job.requestedAt,
      job.updatedAt,
      job.attempts,
      job.lastError ?? null,
    );
  }

  archiveJob(url: string): ArchiveJob | undefined {
    const row = this.#stmt.job.get(url);
    return row ? toArchiveJob(row) : undefined;
  }

  /** Jobs a previous run left unfinished, oldest request first. */
  pendingArchiveJobs(): ArchiveJob[] {
    return this.#stmt.pendingJobs.all().map(toArchiveJob);
  }

  // -- article states and trend ---------------------------------------------------------------

  saveArticleState(runId: number, state: ArticleState): void {
    this.#stmt.saveState.run(state.key, runId, ...stateColumns(state));
  }

  /**
   * Keeps an article's state for the run in progress, out of every reader's sight until
   * `completeRun` moves it into place: a streaming run saves each state as its article is done,
   * instead of holding them all until the end.
   */
  stageArticleState(runId: number, state: ArticleState): void {
    this.#stmt.stageState.run(runId, state.key, ...stateColumns(state));
  }

  /** The article's state in the latest run (other than `excludeRun`) that saw it. */
  lastArticleState(key: string, options: ReadOptions = {}): ArticleState | undefined {
    const row = this.#stmt.lastState.get(key, options.excludeRun ?? NO_RUN);
    return row ? toArticleState(row) : undefined;
  }

  /**
   * Dead, suspect and blocked link counts per run, oldest first, for the last `limit` runs:
   * summed over every article of a run, or for one article when `articleKey` is given.
   */
  trend(limit = TREND_LIMIT, articleKey?: string): TrendPoint[] {
    const rows =
      articleKey === undefined ? this.#stmt.trendAll.all(limit) : this.#stmt.trendOne.all(articleKey, limit);
    return rows.reverse().map((r) => ({
      at: r.at,
      dead: Number(r.dead ?? 0),
      suspect: Number(r.suspect ?? 0),
      blocked: Number(r.blocked ?? 0),
    }));
  }

  /**
   * The trend of the finished runs followed by the run in progress, whose `states` are not
   * saved yet (they are saved once its reports are written): at most `limit` points.
   */
  trendWith(states: readonly ArticleState[], limit = TREND_LIMIT): TrendPoint[] {
    if (states.length === 0) return this.trend(limit);
    const current: TrendPoint = { at: states[0]!.at, dead: 0, suspect: 0, blocked: 0 };
    for (const s of states) {
      if (s.at < current.at) current.at = s.at;
      current.dead += s.verdictCounts.dead ?? 0;
      current.suspect += s.verdictCounts.suspect ?? 0;
      current.blocked += s.verdictCounts.blocked ?? 0;
    }
    return [...(limit > 1 ? this.trend(limit - 1) : []), current];
  }

  /**
   * `trendWith` for a run whose states are staged (`stageArticleState`): the trend of the
   * finished runs followed by the run in progress, when it staged any state.
   */
  trendWithStaged(runId: number, limit = TREND_LIMIT): TrendPoint[] {
    const row = this.#stmt.stagedTrend.get(runId);
    if (!row) return this.trend(limit);
    const current: TrendPoint = {
      at: row.at,
      dead: Number(row.dead ?? 0),
      suspect: Number(row.suspect ?? 0),
      blocked: Number(row.blocked ?? 0),
    };
    return [...(limit > 1 ? this.trend(limit - 1) : []), current];
  }

  // -- maintenance ----------------------------------------------------------------------------

  /** `['ok']` when SQLite finds nothing wrong. */
  integrityCheck(): string[] {
    return (this.#db.pragma('integrity_check') as Array<{ integrity_check: string }>).map(
      (r) => r.integrity_check,
    );
  }

  /**
   * Deletes what the verdicts, the cadence and the changes between runs no longer need from
   * before `before` (an ISO instant): observations older than it, except each link's (and
   * identifier's) last alive one and everything since — the current suspect/dead/blocked streak
   * and its start are never touched, nor is any link's latest observation; article states older
   * than it except each article's latest; "no snapshot" lookups older than it (they would be
   * asked again anyway); then runs and URLs nothing refers to any more. Found snapshots and
   * Save Page Now jobs are kept. One transaction; `vacuum()` gives the space back to the disk.
   */
  prune(before: string): PruneCounts {
    const db = this.#db;
    let counts: PruneCounts | undefined;
    const run = db.transaction(() => {
      // Each link's (identifier's, article's) keep-from point, computed once, not a correlated
      // MAX() per row (27 s against 19 s for 450,000 observations, bench/prune-bench.ts).
      db.exec(`
        CREATE TEMP TABLE prune_alive (url_id INTEGER PRIMARY KEY, at TEXT NOT NULL);
        INSERT INTO prune_alive SELECT url_id, MAX(at) FROM observations WHERE outcome = 'alive' GROUP BY url_id;
        CREATE TEMP TABLE prune_resolves (kind TEXT, value TEXT, at TEXT NOT NULL, PRIMARY KEY (kind, value));
        INSERT INTO prune_resolves SELECT kind, value, MAX(at) FROM identifier_observations
          WHERE outcome = 'resolves' GROUP BY kind, value;
        CREATE TEMP TABLE prune_latest (article_key TEXT PRIMARY KEY, at TEXT NOT NULL);
        INSERT INTO prune_latest SELECT article_key, MAX(at) FROM article_states GROUP BY article_key;
      `);
      const observations = db
        .prepare(
          `DELETE FROM observations WHERE at < ? AND at < COALESCE(
             (SELECT p.at FROM prune_alive p WHERE p.url_id = observations.url_id), '')`,
        )
        .run(before).changes;
      const identifierObservations = db
        .prepare(
          `DELETE FROM identifier_observations WHERE at < ? AND at < COALESCE(
             (SELECT p.at FROM prune_resolves p
              WHERE p.kind = identifier_observations.kind AND p.value = identifier_observations.value), '')`,
        )
        .run(before).changes;
      const articleStates = db
        .prepare(
          `DELETE FROM article_states WHERE at < ? AND at < (
             SELECT p.at FROM prune_latest p WHERE p.article_key = article_states.article_key)`,
        )
        .run(before).changes;
      db.exec('DROP TABLE temp.prune_alive; DROP TABLE temp.prune_resolves; DROP TABLE temp.prune_latest;');
      // Staged by a run that started before `before` and never completed: it never will.
      db.prepare(
        `DELETE FROM article_states_staged WHERE run_id IN (
           SELECT id FROM runs WHERE finished_at IS NULL AND started_at < ?)`,
      ).run(before);
      const snapshotLookups = db
        .prepare('DELETE FROM snapshot_lookups WHERE snapshot_url IS NULL AND looked_up_at < ?')
        .run(before).changes;
      const runs = db
        .prepare(
          `DELETE FROM runs WHERE started_at < ? AND id NOT IN (
             SELECT run_id FROM observations UNION SELECT run_id FROM identifier_observations
             UNION SELECT run_id FROM article_states UNION SELECT run_id FROM article_states_staged)`,
        )
        .run(before).changes;
      const urls = db
        .prepare(
          `DELETE FROM urls WHERE NOT EXISTS (SELECT 1 FROM observations o WHERE o.url_id = urls.id)
             AND NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.url_id = urls.id)
             AND NOT EXISTS (SELECT 1 FROM snapshot_lookups l WHERE l.url_id = urls.id)
             AND NOT EXISTS (SELECT 1 FROM archive_jobs j WHERE j.url_id = urls.id)`,
        )
        .run().changes;
      counts = { observations, identifierObservations, articleStates, snapshotLookups, runs, urls };
    });
    run.immediate();
    // Deleted URLs may come back under new ids.
    this.#urlIds.clear();
    return counts!;
  }

  /**
   * `prune` of what is older than `days` before `now`, then `vacuum` when at least a quarter of
   * the file is free pages (rewriting a large file every night would cost more than it saves).
   */
  pruneOlderThan(now: string, days: number): PruneCounts & { vacuumed: boolean } {
    const counts = this.prune(new Date(Date.parse(now) - days * 86_400_000).toISOString());
    const free = this.#db.pragmaValue('freelist_count') as number;
    const pages = this.#db.pragmaValue('page_count') as number;
    const vacuumed = pages > 0 && free * 4 >= pages;
    if (vacuumed) this.vacuum();
    return { ...counts, vacuumed };
  }

  /** Rewrites the database file without its free pages, and empties the write-ahead log. */
  vacuum(): void {
    this.#db.exec('VACUUM');
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
  }

  get schemaVersion(): number {
    return Number(this.#db.pragmaValue('user_version'));
  }

  /** The SQLite driver in use (`node:sqlite` or `better-sqlite3`). */
  get driver(): SqliteDatabase['driver'] {
    return this.#db.driver;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Runs a write; a rolled-back transaction may have inserted URLs, so their cached ids go. */
  #write(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.#urlIds.clear();
      throw error;
    }
  }

  /**
   * Reads the ids of a batch's URLs that the database knows already, in one statement: the
   * others are new, and each then costs its insert only (a nightly run knows most of its URLs,
   * a first run none).
   */
  #readUrlIds(observations: readonly ObservationRecord[]): void {
    const unknown: string[] = [];
    for (const o of observations) if (!this.#urlIds.has(o.url)) unknown.push(o.url);
    if (unknown.length === 0) return;
    for (const row of this.#stmt.urlIds.all(JSON.stringify(unknown))) this.#urlIds.set(row.url, row.id);
  }

  #urlId(url: string): number {
    const cached = this.#urlIds.get(url);
    if (cached !== undefined) return cached;
    const inserted = this.#stmt.insertUrl.run(url, hostOf(url));
    // A new URL's id is the row just inserted; only a URL known already is read back.
    const id = inserted.changes > 0 ? Number(inserted.lastInsertRowid) : this.#stmt.urlId.get(url)!.id;
    this.#urlIds.set(url, id);
    return id;
  }

  #insertObservation(runId: number, o: ObservationRecord): void {
    this.#stmt.insertObservation.run(
      runId,
      this.#urlId(o.url),
      o.at,
      o.outcome,
      o.httpStatus ?? null,
      o.reason,
      o.finalUrl ?? null,
      Math.round(o.durationMs),
      o.bytes,
    );
  }
}

/** An article state's columns after its key and run, as `article_states` and its staging table hold them. */
type StateColumns = [string, string, number | null, string, string, number, string, string, string];

function stateColumns(state: ArticleState): StateColumns {
  return [
    state.at,
    state.sha256,
    state.revisionId ?? null,
    JSON.stringify(state.references),
    JSON.stringify(state.tags),
    state.unsourced.length,
    JSON.stringify(state.unsourced),
    JSON.stringify(state.verdictCounts),
    JSON.stringify(state.links),
  ];
}
