/**
 * The SQLite driver behind the history, one shared suite run against every driver this Node
 * has: better-sqlite3 everywhere it is built, `node:sqlite` on Node 22.13+ (the CI matrix's 22
 * and 24, and the GitHub Action's node24). The list is computed, never skipped: on Node 20 it
 * holds better-sqlite3 only, and the last test says which drivers ran.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateError } from '../src/errors.js';
import {
  availableSqliteDrivers,
  openHistory,
  openSqlite,
  SCHEMA_VERSION,
  type SqliteDatabase,
} from '../src/history/index.js';

const DRIVERS = availableSqliteDrivers();
const nodeMajor = Number(process.versions.node.split('.')[0]);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cw-driver-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the drivers this Node offers', () => {
  it('include node:sqlite from Node 22.13 on, better-sqlite3 wherever it loads', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    if (major > 22 || (major === 22 && minor >= 13)) expect(DRIVERS).toContain('node:sqlite');
    // (22.5–22.12 have it behind --experimental-sqlite only.)
    else if (major < 22) expect(DRIVERS).not.toContain('node:sqlite');
    // better-sqlite3 is a dependency built for the Node that ran `npm ci`: on that Node it loads.
    if (nodeMajor === 20) expect(DRIVERS).toContain('better-sqlite3');
    expect(DRIVERS.length).toBeGreaterThan(0);
  });

  it('auto picks node:sqlite when present, else better-sqlite3', () => {
    const db = openSqlite(':memory:');
    expect(db.driver).toBe(DRIVERS[0]);
    db.close();
  });

  it('a driver that is missing is a StateError naming it', () => {
    const missing = (['node:sqlite', 'better-sqlite3'] as const).filter((d) => !DRIVERS.includes(d));
    for (const driver of missing) expect(() => openSqlite(':memory:', { driver })).toThrow(StateError);
    expect(missing.length + DRIVERS.length).toBe(2);
  });
});

describe.each(DRIVERS)('driver %s', (driver) => {
  let db: SqliteDatabase;
  beforeEach(() => {
    db = openSqlite(':memory:', { driver });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER)');
  });
  afterEach(() => db.close());

  it('prepares statements: run, get, all, with positional parameters and nulls', () => {
    const insert = db.prepare<[string, number | null]>('INSERT INTO t (name, n) VALUES (?, ?)');
    const first = insert.run('a', 1);
    expect(first.changes).toBe(1);
    expect(Number(first.lastInsertRowid)).toBe(1);
    insert.run('b', null);
    const get = db.prepare<[string], { id: number; name: string; n: number | null }>(
      'SELECT * FROM t WHERE name = ?',
    );
    expect({ ...get.get('b') }).toEqual({ id: 2, name: 'b', n: null });
    expect(get.get('nobody')).toBeUndefined();
    const all = db.prepare<[], { name: string }>('SELECT name FROM t ORDER BY id').all();
    expect(all.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('reads and sets pragmas', () => {
    expect(db.pragmaValue('user_version')).toBe(0);
    db.pragma('user_version = 7');
    expect(db.pragmaValue('user_version')).toBe(7);
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it('a transaction commits all or nothing, and nests as savepoints', () => {
    const insert = db.prepare<[string]>('INSERT INTO t (name) VALUES (?)');
    const count = () => (db.prepare('SELECT count(*) AS c FROM t').get() as { c: number }).c;
    const many = db.transaction((names: string[]) => {
      for (const n of names) insert.run(n);
    });
    many(['x', 'y']);
    expect(count()).toBe(2);
    // A duplicate in the middle rolls the whole batch back.
    expect(() => many(['z', 'x'])).toThrow();
    expect(count()).toBe(2);
    // Inner failure caught by the outer body: only the inner part is undone.
    const outer = db.transaction(() => {
      insert.run('outer');
      try {
        many(['inner', 'y']);
      } catch {}
    });
    outer();
    expect(
      db
        .prepare<[], { name: string }>('SELECT name FROM t ORDER BY id')
        .all()
        .map((r) => r.name),
    ).toEqual(['x', 'y', 'outer']);
    // The immediate form, as the migrations use it; and the database is usable after a failure.
    db.transaction(() => insert.run('late')).immediate();
    expect(count()).toBe(4);
  });

  it('closes once; open says so', () => {
    expect(db.open).toBe(true);
    db.close();
    expect(db.open).toBe(false);
    db.close();
  });

  it('runs the history store: migrations, observations, verdict rows, trend, integrity', () => {
    const path = join(dir, 'state.sqlite');
    const store = openHistory(path, { now: () => '2026-11-01T03:00:00.000Z', driver });
    expect(store.driver).toBe(driver);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    const run = store.beginRun({ options: { driver } });
    store.recordObservations(run, [
      {
        url: 'https://a.test/x',
        outcome: 'dead',
        reason: 'http-404',
        httpStatus: 404,
        at: '2026-11-01T03:00:01.000Z',
        durationMs: 3,
        bytes: 10,
      },
      {
        url: 'https://a.test/y',
        outcome: 'alive',
        reason: 'http-200',
        at: '2026-11-01T03:00:02.000Z',
        durationMs: 4,
        bytes: 20,
      },
    ]);
    store.finishRun(run);
    expect(store.previous('https://a.test/x')).toEqual([
      expect.objectContaining({ runId: run, outcome: 'dead', httpStatus: 404 }),
    ]);
    expect(store.runs()).toEqual([expect.objectContaining({ id: run, options: { driver } })]);
    expect(store.integrityCheck()).toEqual(['ok']);
    store.close();
    const raw = openSqlite(path, { driver, readonly: true });
    expect(raw.pragmaValue('journal_mode')).toBe('wal');
    raw.close();
  });
});

// Both drivers read the same file format: a state written on Node 20 opens on node24 (the action).
describe.each(DRIVERS.flatMap((a) => DRIVERS.filter((b) => b !== a).map((b) => [a, b] as const)))(
  'a state written by %s',
  (writer, reader) => {
    it(`is read by ${reader}`, () => {
      const path = join(dir, 'state.sqlite');
      const w = openHistory(path, { now: () => '2026-11-01T03:00:00.000Z', driver: writer });
      const run = w.beginRun();
      w.recordObservation(run, {
        url: 'https://b.test/',
        outcome: 'blocked',
        reason: 'http-403',
        at: '2026-11-01T03:00:00.000Z',
        durationMs: 1,
        bytes: 0,
      });
      w.close();
      const r = openHistory(path, { now: () => '2026-11-02T03:00:00.000Z', driver: reader });
      expect(r.last('https://b.test/')?.outcome).toBe('blocked');
      r.close();
    });
  },
);
