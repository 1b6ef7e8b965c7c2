/**
 * `citewatch prune`: keeps the state database from growing without end (about 170 MB a night
 * at 10,000 articles, in a 10 GB Actions cache) by deleting what no verdict, cadence or change
 * report needs any more, then giving the space back (`VACUUM`).
 */
import { statSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULTS } from './defaults.js';
import { UsageError } from './errors.js';
import { openHistory, type PruneCounts } from './history/index.js';
import type { Logger } from './log.js';

/** Days of history `prune` keeps when `--keep-days` is not given: the trend chart's 90 runs. */
export const DEFAULT_KEEP_DAYS = 90;

const PruneOptions = z.object({
  /** The state database. @default '.citewatch/state.sqlite' */
  state: z.string().min(1).default(DEFAULTS.state),
  /** Days of observations to keep whole. @default 90 (DEFAULT_KEEP_DAYS) */
  keepDays: z.coerce.number().int().min(1).default(DEFAULT_KEEP_DAYS),
  /** The clock the days count back from. @default the real time */
  now: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

export interface PruneResult extends PruneCounts {
  state: string;
  /** Observations before this instant were pruned. */
  before: string;
  /** Size of the database file (main file plus write-ahead log), in bytes. */
  bytesBefore: number;
  bytesAfter: number;
}

const sizeOf = (path: string): number => {
  let total = 0;
  for (const file of [path, `${path}-wal`]) {
    try {
      total += statSync(file).size;
    } catch {
      // No such file: nothing to count.
    }
  }
  return total;
};

export function runPrune(flags: Record<string, unknown>, deps: { logger?: Logger } = {}): PruneResult {
  const parsed = PruneOptions.safeParse(
    Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) throw new UsageError(`prune: ${z.prettifyError(parsed.error)}`);
  const { state, keepDays } = parsed.data;
  if (sizeOf(state) === 0) throw new UsageError(`prune: ${state}: no state database there`);
  const now = parsed.data.now === undefined ? Date.now() : Date.parse(parsed.data.now);
  const before = new Date(now - keepDays * 86_400_000).toISOString();
  const bytesBefore = sizeOf(state);
  const store = openHistory(state, { now: () => new Date(now).toISOString() });
  let counts: PruneCounts;
  try {
    counts = store.prune(before);
    store.vacuum();
  } finally {
    store.close();
  }
  const result = { state, before, bytesBefore, bytesAfter: sizeOf(state), ...counts };
  deps.logger?.info(result, 'state pruned');
  return result;
}
