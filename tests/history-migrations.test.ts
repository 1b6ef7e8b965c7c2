import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateError } from '../src/errors.js';
import { MIGRATIONS, type Migration, openHistory, openSqlite, SCHEMA_VERSION } from '../src/history/index.js';

const now = () => '2026-11-28T21:15:00.000Z';
let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cw-migrate-'));
  path = join(dir, 'state.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A version-1 database as citewatch 0.1 wrote it, built by hand (not from MIGRATIONS). */
function writeVersion1(file: string): void {
  const db = openSqlite(file);
  db.exec(`
    CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
      options TEXT NOT NULL DEFAULT '{}', shard TEXT);
    CREATE TABLE urls (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, host TEXT NOT NULL);
    CREATE TABLE observations (run_id INTEGER NOT NULL REFERENCES runs(id),
      url_id INTEGER NOT NULL REFERENCES urls(id), at TEXT NOT NULL, outcome TEXT NOT NULL,
      status INTEGER, reason TEXT NOT NULL, final_url TEXT, duration_ms INTEGER NOT NULL DEFAULT 0,
      bytes INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX observations_by_url ON observations(url_id, at);
    INSERT INTO runs (id, started_at, finished_at) VALUES (1, '2026-09-01T03:00:00.000Z', '2026-09-01T03:05:00.000Z');
    INSERT INTO urls (id, url, host) VALUES (1, 'https://old.test/page', 'old.test');
    INSERT INTO observations (run_id, url_id, at, outcome, status, reason)
      VALUES (1, 1, '2026-09-01T03:01:00.000Z', 'dead', 404, 'http-404');
  `);
  db.pragma('user_version = 1');
  db.close();
}

describe('schema migrations', () => {
  it('numbers its steps 1, 2, 3, … without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('brings a version-1 database up to date and keeps its rows', () => {
    writeVersion1(path);
    const store = openHistory(path, { now });
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.previous('https://old.test/page')).toEqual([
      {
        runId: 1,
        url: 'https://old.test/page',
        outcome: 'dead',
        reason: 'http-404',
        httpStatus: 404,
        at: '2026-09-01T03:01:00.000Z',
        durationMs: 0,
        bytes: 0,
      },
    ]);
    // The tables later steps added work.
    const run = store.beginRun();
    expect(run).toBe(2);
    store.recordIdentifierObservation(run, {
      kind: 'doi',
      value: '10.1000/x',
      outcome: 'resolves',
      reason: 'handle-1',
      at: now(),
    });
    store.recordSnapshot(
      'https://old.test/page',
      { url: 'https://web.archive.org/web/2020/x', timestamp: '20200101000000' },
      'lookup',
    );
    expect(store.latestSnapshot('https://old.test/page')?.source).toBe('lookup');
    expect(store.trend()).toEqual([]);
    expect(store.integrityCheck()).toEqual(['ok']);
    store.close();
    // Opening again applies nothing more.
    const again = openHistory(path, { now });
    expect(again.schemaVersion).toBe(SCHEMA_VERSION);
    expect(again.previousIdentifier('doi', '10.1000/x')).toHaveLength(1);
    again.close();
  });

  it('refuses a database from a newer citewatch', () => {
    const db = openSqlite(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openHistory(path, { now })).toThrow(StateError);
    expect(() => openHistory(path, { now })).toThrow(/newer than this citewatch knows/);
  });

  it('leaves the database at its old version when a step fails', () => {
    writeVersion1(path);
    const broken: Migration[] = [
      MIGRATIONS[0]!,
      { version: 2, description: 'half good', sql: 'CREATE TABLE extra (x); CREATE TABLE runs (y);' },
    ];
    expect(() => openHistory(path, { now, migrations: broken })).toThrow(StateError);
    const db = openSqlite(path, { readonly: true });
    expect(db.pragmaValue('user_version')).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({
      n: 0,
    });
    db.close();
  });
});
