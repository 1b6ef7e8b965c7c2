/**
 * Checks an existing state database before a run does any work: that it can be opened for
 * writing, that SQLite finds it sound (`PRAGMA quick_check`), and that this citewatch's
 * migrations apply to it. Nothing is changed: the write probe and the migrations run inside a
 * transaction that is rolled back. A bad `--state` is then one clear error up front, instead of
 * a failure after every link was fetched.
 */
import { existsSync } from 'node:fs';
import { describeCause, StateError } from '../errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { openSqlite, type SqliteDatabase } from './sqlite.js';

/** Lines of SQLite's complaint kept in the message (it lists every bad page). */
const COMPLAINT_LINES = 1;

export function checkStateFile(path: string, migrations: readonly Migration[] = MIGRATIONS): void {
  let db: SqliteDatabase;
  try {
    // Through the one driver (node:sqlite in the action), never creating a file that is not there.
    if (!existsSync(path)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    db = openSqlite(path);
  } catch (cause) {
    throw new StateError(`${path}: cannot open the state database (${describeCause(cause)})`, { cause });
  }
  try {
    let problems: string[];
    try {
      problems = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check);
    } catch (cause) {
      throw new StateError(`${path}: not a state database (${describeCause(cause)})`, { cause });
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      const complaint = problems
        .join('\n')
        .split('\n')
        .filter((l) => !l.startsWith('***'))
        .slice(0, COMPLAINT_LINES)
        .join('; ');
      throw new StateError(
        `${path}: the state database is damaged (${complaint}); restore it from a backup, or start afresh with another --state`,
      );
    }
    const version = db.pragmaValue('user_version') as number;
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (version > latest)
      throw new StateError(
        `${path}: the state database has schema version ${version}, newer than this citewatch knows (${latest}); use a newer citewatch or another --state`,
      );
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const step of migrations.filter((m) => m.version > version)) db.exec(step.sql);
        // A write, so a read-only file or folder shows now: the header's version, unchanged.
        db.exec(`PRAGMA user_version = ${version}`);
      } finally {
        // SQLite may have rolled back by itself after an error: then there is nothing to undo.
        try {
          db.exec('ROLLBACK');
        } catch {}
      }
    } catch (cause) {
      throw new StateError(
        `${path}: the state database cannot be written or migrated (${describeCause(cause)})`,
        { cause },
      );
    }
  } finally {
    db.close();
  }
}
