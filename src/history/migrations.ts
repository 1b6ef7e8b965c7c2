/**
 * The state database's schema, as an ordered list of steps. `PRAGMA user_version` holds the
 * number of steps applied; opening a database applies the missing ones in one transaction, so
 * a crash mid-migration leaves the previous version intact. Steps are append-only: a released
 * step is never edited, a change is a new step.
 */
import { StateError } from '../errors.js';
import type { SqliteDatabase } from './sqlite.js';

/** One schema step: version N is reached by applying steps 1…N in order. */
export interface Migration {
  version: number;
  /** What the step adds, for logs and error messages. */
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, urls and link observations',
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        options TEXT NOT NULL DEFAULT '{}',
        shard TEXT
      );
      CREATE TABLE urls (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        host TEXT NOT NULL
      );
      CREATE TABLE observations (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        url_id INTEGER NOT NULL REFERENCES urls(id),
        at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status INTEGER,
        reason TEXT NOT NULL,
        final_url TEXT,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX observations_by_url ON observations(url_id, at);
    `,
  },
  {
    version: 2,
    description: 'identifier observations, snapshots and Save Page Now jobs',
    sql: `
      CREATE TABLE identifier_observations (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reason TEXT NOT NULL
      );
      CREATE INDEX identifier_observations_by_value ON identifier_observations(kind, value, at);
      CREATE TABLE snapshots (
        url_id INTEGER NOT NULL REFERENCES urls(id),
        snapshot_url TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('lookup', 'capture')),
        UNIQUE (url_id, snapshot_url)
      );
      CREATE TABLE archive_jobs (
        url_id INTEGER PRIMARY KEY REFERENCES urls(id),
        job_id TEXT,
        status TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      );
    `,
  },
  {
    version: 3,
    description: 'article states (changes between runs, trend)',
    sql: `
      CREATE TABLE article_states (
        article_key TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        at TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        revision_id INTEGER,
        reference_fingerprints TEXT NOT NULL,
        tag_fingerprints TEXT NOT NULL,
        unsourced_count INTEGER NOT NULL,
        unsourced_fingerprints TEXT NOT NULL DEFAULT '[]',
        verdict_counts TEXT NOT NULL,
        link_verdicts TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (article_key, run_id)
      );
    `,
  },
  {
    version: 4,
    description: 'snapshot lookups (the closest Wayback capture to a date, or none)',
    sql: `
      CREATE TABLE snapshot_lookups (
        url_id INTEGER NOT NULL REFERENCES urls(id),
        wanted_date TEXT NOT NULL,
        looked_up_at TEXT NOT NULL,
        snapshot_url TEXT,
        timestamp TEXT,
        PRIMARY KEY (url_id, wanted_date)
      );
    `,
  },
  {
    version: 5,
    description: 'article states staged by a run in progress (moved into article_states as it completes)',
    sql: `
      CREATE TABLE article_states_staged (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        article_key TEXT NOT NULL,
        at TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        revision_id INTEGER,
        reference_fingerprints TEXT NOT NULL,
        tag_fingerprints TEXT NOT NULL,
        unsourced_count INTEGER NOT NULL,
        unsourced_fingerprints TEXT NOT NULL,
        verdict_counts TEXT NOT NULL,
        link_verdicts TEXT NOT NULL,
        PRIMARY KEY (run_id, article_key)
      );
    `,
  },
];

/** The version a fully migrated database has. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings `db` to `SCHEMA_VERSION`; returns the version it had. A database from a newer
 * citewatch (a version this build does not know) is refused rather than guessed at.
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[] = MIGRATIONS): number {
  const from = Number(db.pragmaValue('user_version'));
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (from > latest)
    throw new StateError(
      `state database has schema version ${from}, newer than this citewatch knows (${latest}); use a newer citewatch or another --state file`,
    );
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return from;
  const apply = db.transaction(() => {
    for (const step of pending) {
      db.exec(step.sql);
      // user_version cannot be bound as a parameter; the value is an integer from this file.
      db.pragma(`user_version = ${step.version}`);
    }
  });
  try {
    apply.immediate();
  } catch (cause) {
    throw new StateError(`cannot migrate the state database from version ${from}`, { cause });
  }
  return from;
}
