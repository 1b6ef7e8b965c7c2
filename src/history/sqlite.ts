/**
 * One small SQLite driver for the history: Node's built-in `node:sqlite` (`DatabaseSync`, Node
 * ≥ 22.5) where the running Node has it, better-sqlite3 elsewhere. The store and the migrations
 * use only this interface, so the GitHub Action (bundled, run on `node24` with no
 * `node_modules`) needs no native addon, while Node 20 keeps better-sqlite3.
 *
 * better-sqlite3 is loaded lazily through `createRequire`: a process that uses `node:sqlite`
 * never loads it, and the action bundle marks it external.
 */
import { createRequire } from 'node:module';
import { StateError } from '../errors.js';

export const SQLITE_DRIVERS = ['node:sqlite', 'better-sqlite3'] as const;
export type SqliteDriverName = (typeof SQLITE_DRIVERS)[number];
/** `auto` picks `node:sqlite` when the running Node has it, else better-sqlite3. */
export type SqliteDriverChoice = SqliteDriverName | 'auto';

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement; `P` are the positional parameters, `R` a result row. */
export interface SqliteStatement<P extends unknown[] = unknown[], R = unknown> {
  run(...params: P): RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

/** A function that runs its body in one transaction (a savepoint when nested). */
export interface Transaction<A extends unknown[]> {
  (...args: A): void;
  /** The same, starting with `BEGIN IMMEDIATE` (takes the write lock at once). */
  immediate(...args: A): void;
}

export interface SqliteDatabase {
  /** Which driver opened the database. */
  readonly driver: SqliteDriverName;
  readonly open: boolean;
  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqliteStatement<P, R>;
  /** Runs one or more statements that return nothing. */
  exec(sql: string): void;
  /** `PRAGMA <source>`: the rows it returns. */
  pragma(source: string): unknown[];
  /** `PRAGMA <source>`: the first column of the first row. */
  pragmaValue(source: string): unknown;
  transaction<A extends unknown[]>(body: (...args: A) => void): Transaction<A>;
  close(): void;
}

export interface OpenSqliteOptions {
  /** @default 'auto' */
  driver?: SqliteDriverChoice;
  /** Open read-only (the file must exist). @default false */
  readonly?: boolean;
}

// -- the two drivers' own shapes (only what is used; `node:sqlite` has no types in @types/node 20)

interface NodeStatementSync {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface NodeDatabaseSync {
  prepare(sql: string): NodeStatementSync;
  exec(sql: string): void;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => NodeDatabaseSync;
}

interface BetterStatement {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface BetterDatabase {
  readonly open: boolean;
  prepare(sql: string): BetterStatement;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): void;
}
type BetterConstructor = new (
  path: string,
  options?: { readonly?: boolean; fileMustExist?: boolean },
) => BetterDatabase;

let nodeSqlite: NodeSqliteModule | null | undefined;
let betterSqlite: BetterConstructor | null | undefined;

/** `node:sqlite` when this Node has it (22.5+; unflagged from 22.13), without its experimental warning. */
function loadNodeSqlite(): NodeSqliteModule | null {
  if (nodeSqlite !== undefined) return nodeSqlite;
  nodeSqlite = null;
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof getBuiltin !== 'function') return nodeSqlite;
  // The first load prints "ExperimentalWarning: SQLite is an experimental feature" on stderr,
  // which would break the NDJSON log; that one warning is dropped, every other still shown.
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite is an experimental feature/i.test(text)) return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    const mod = getBuiltin('node:sqlite') as Partial<NodeSqliteModule> | undefined;
    if (mod && typeof mod.DatabaseSync === 'function') nodeSqlite = mod as NodeSqliteModule;
  } catch {
    // Node 22.5–22.12 without --experimental-sqlite: not available.
  } finally {
    process.emitWarning = emit;
  }
  return nodeSqlite;
}

function loadBetterSqlite(): BetterConstructor | null {
  if (betterSqlite !== undefined) return betterSqlite;
  try {
    const Better = createRequire(import.meta.url)('better-sqlite3') as BetterConstructor;
    // The JavaScript loads anywhere; the native addon only on the Node it was built for, and
    // only when a database is opened — so open one to know.
    new Better(':memory:').close();
    betterSqlite = Better;
  } catch {
    betterSqlite = null;
  }
  return betterSqlite;
}

/** The drivers this process can use, preferred first. */
export function availableSqliteDrivers(): SqliteDriverName[] {
  return SQLITE_DRIVERS.filter((d) => (d === 'node:sqlite' ? loadNodeSqlite() : loadBetterSqlite()) !== null);
}

/** The driver `auto` picks here, or `undefined` when there is none. */
export const defaultSqliteDriver = (): SqliteDriverName | undefined => availableSqliteDrivers()[0];

/** Opens `path` (or `:memory:`). Throws `StateError` when no driver is available. */
export function openSqlite(path: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  const choice = options.driver ?? 'auto';
  const name = choice === 'auto' ? defaultSqliteDriver() : choice;
  if (name === 'node:sqlite') {
    const mod = loadNodeSqlite();
    if (!mod)
      throw new StateError(
        `node:sqlite is not available in Node ${process.versions.node} (needs 22.13 or later)`,
      );
    return new NodeSqliteDatabase(new mod.DatabaseSync(path, options.readonly ? { readOnly: true } : {}));
  }
  if (name === 'better-sqlite3') {
    const Better = loadBetterSqlite();
    if (!Better) throw new StateError('better-sqlite3 is not installed (or not built for this Node)');
    return new BetterSqliteDatabase(
      new Better(path, options.readonly ? { readonly: true, fileMustExist: true } : {}),
    );
  }
  throw new StateError(
    `no SQLite driver: Node ${process.versions.node} has no node:sqlite and better-sqlite3 cannot be loaded`,
  );
}

/** BEGIN/COMMIT with savepoints for nested calls, as better-sqlite3's own `transaction()`. */
function makeTransaction<A extends unknown[]>(
  exec: (sql: string) => void,
  depth: { value: number },
  body: (...args: A) => void,
): Transaction<A> {
  const runIn = (begin: string, args: A): void => {
    const nested = depth.value > 0;
    const name = `cw_sp_${depth.value}`;
    // SQLite may have rolled back already (a full disk, a busy COMMIT): the original error is
    // the one worth reporting, not "no transaction is active".
    const rollback = (): void => {
      try {
        exec(nested ? `ROLLBACK TO ${name}; RELEASE ${name}` : 'ROLLBACK');
      } catch {}
    };
    exec(nested ? `SAVEPOINT ${name}` : begin);
    depth.value++;
    try {
      body(...args);
    } catch (error) {
      depth.value--;
      rollback();
      throw error;
    }
    depth.value--;
    try {
      exec(nested ? `RELEASE ${name}` : 'COMMIT');
    } catch (error) {
      rollback();
      throw error;
    }
  };
  const tx = ((...args: A) => runIn('BEGIN', args)) as Transaction<A>;
  tx.immediate = (...args: A) => runIn('BEGIN IMMEDIATE', args);
  return tx;
}

class NodeSqliteDatabase implements SqliteDatabase {
  readonly driver = 'node:sqlite' as const;
  readonly #db: NodeDatabaseSync;
  readonly #depth = { value: 0 };
  #open = true;

  constructor(db: NodeDatabaseSync) {
    this.#db = db;
  }

  get open(): boolean {
    return this.#open;
  }

  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqliteStatement<P, R> {
    return this.#db.prepare(sql) as unknown as SqliteStatement<P, R>;
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  pragma(source: string): unknown[] {
    // node:sqlite returns rows with a null prototype; plain objects compare and print as usual.
    return this.#db
      .prepare(`PRAGMA ${source}`)
      .all()
      .map((row) => ({ ...(row as object) }));
  }

  pragmaValue(source: string): unknown {
    const row = this.#db.prepare(`PRAGMA ${source}`).get() as Record<string, unknown> | undefined;
    return row === undefined ? undefined : Object.values(row)[0];
  }

  transaction<A extends unknown[]>(body: (...args: A) => void): Transaction<A> {
    return makeTransaction((sql) => this.#db.exec(sql), this.#depth, body);
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#db.close();
  }
}

class BetterSqliteDatabase implements SqliteDatabase {
  readonly driver = 'better-sqlite3' as const;
  readonly #db: BetterDatabase;
  readonly #depth = { value: 0 };

  constructor(db: BetterDatabase) {
    this.#db = db;
  }

  get open(): boolean {
    return this.#db.open;
  }

  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqliteStatement<P, R> {
    return this.#db.prepare(sql) as unknown as SqliteStatement<P, R>;
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  pragma(source: string): unknown[] {
    return this.#db.pragma(source) as unknown[];
  }

  pragmaValue(source: string): unknown {
    return this.#db.pragma(source, { simple: true });
  }

  transaction<A extends unknown[]>(body: (...args: A) => void): Transaction<A> {
    return makeTransaction((sql) => this.#db.exec(sql), this.#depth, body);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
