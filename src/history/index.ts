/**
 * The history stage: the state database (the only module that opens it), verdicts across runs,
 * the recheck cadence, and what changed since the previous run.
 */
export { articleKey, articleKeys, articleStateOf, referenceFingerprint } from './article-state.js';
export { type CadenceOptions, type CheckPlan, planChecks } from './cadence.js';
export { contentChanged, diffRuns, noChanges } from './changes.js';
export { MIGRATIONS, type Migration, migrate, SCHEMA_VERSION } from './migrations.js';
export { checkStateFile } from './preflight.js';
export {
  availableSqliteDrivers,
  openSqlite,
  SQLITE_DRIVERS,
  type SqliteDatabase,
  type SqliteDriverChoice,
  type SqliteDriverName,
} from './sqlite.js';
export {
  type HistoryOptions,
  HistoryStore,
  openHistory,
  PREVIOUS_LIMIT,
  type PruneCounts,
  type ReadOptions,
  TREND_LIMIT,
} from './store.js';
export * from './types.js';
export {
  applyHistory,
  cachedLinkCheck,
  identifierObservationsOf,
  identifierOutcome,
  linkVerdict,
  type VerdictOptions,
} from './verdicts.js';
