/**
 * `citewatch merge`: the reports of shard runs (`--shard I/N`) combined into the reports of one
 * whole run, written like a `check` run writes them.
 */
import { z } from 'zod';
import { DEFAULTS } from './defaults.js';
import { UsageError } from './errors.js';
import { evaluateFailOn, FAIL_ON_NAMES, type FailOnMatch, unknownFailOnNames } from './fail-on.js';
import { articleStateOf, openHistory, TREND_LIMIT, type TrendPoint } from './history/index.js';
import type { Logger } from './log.js';
import type { Report } from './model.js';
import { csv } from './options.js';
import { REPORT_FORMATS, writeReports } from './report/write.js';
import { mergeReports, readShardReports } from './scale/index.js';

/** The merged run's instant: its reports' latest clock (they agree after `mergeReports`). */
const runNow = (reports: readonly Report[]): string =>
  reports
    .map((r) => r.run.now)
    .sort()
    .at(-1) ?? new Date().toISOString();

/**
 * The counts of the last runs of the merged state at `path`, with this run's appended (not
 * saved yet: `rememberMergedRun` does that once the reports are written). An offline run adds
 * no point, as in `check`.
 */
function mergedTrend(path: string, reports: readonly Report[]): TrendPoint[] {
  const now = runNow(reports);
  const store = openHistory(path, { now: () => now });
  try {
    const trend = store.trend();
    const kept = reports.filter((r) => !r.run.offline);
    if (kept.length === 0) return trend;
    const sum = (pick: (r: Report) => number) => kept.reduce((n, r) => n + pick(r), 0);
    trend.push({
      at: now,
      dead: sum((r) => r.summary.links.dead),
      suspect: sum((r) => r.summary.links.suspect),
      blocked: sum((r) => r.summary.links.blocked),
    });
    return trend.slice(-TREND_LIMIT);
  } finally {
    store.close();
  }
}

/**
 * Keeps the merged run's article states in `path` (each shard's own state only knows its own
 * links). Called only after every report is written: a failed write leaves the state as it was,
 * so the night can be merged again. An offline run is not kept, as in `check`.
 */
function rememberMergedRun(path: string, reports: readonly Report[], shards: number): void {
  const now = runNow(reports);
  const store = openHistory(path, { now: () => now });
  try {
    const runId = store.beginRun({ options: { merge: true, shards } });
    for (const report of reports)
      if (!report.run.offline) store.saveArticleState(runId, articleStateOf(report));
    store.finishRun(runId);
  } finally {
    store.close();
  }
}

const MergeOptions = z.object({
  out: z.string().min(1),
  /** A state database of merged runs: keeps their counts for the trend chart. */
  state: z.string().min(1).optional(),
  format: z.preprocess(csv, z.array(z.enum(REPORT_FORMATS)).min(1)).default([...DEFAULTS.formats]),
  failOn: z.preprocess(csv, z.array(z.string().min(1))).default([]),
  confirm: z.coerce.number().int().min(1).default(DEFAULTS.confirm),
});

export interface MergeResult {
  reports: Report[];
  written: string[];
  failed: FailOnMatch[];
  out: string;
}

export async function runMerge(
  paths: readonly string[],
  flags: Record<string, unknown>,
  deps: { logger?: Logger } = {},
): Promise<MergeResult> {
  const parsed = MergeOptions.safeParse(
    Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
  const options = parsed.data;
  const unknown = unknownFailOnNames(options.failOn);
  if (unknown.length > 0)
    throw new UsageError(`--fail-on: unknown ${unknown.join(', ')}; known: ${FAIL_ON_NAMES.join(', ')}`);
  if (paths.length === 0) throw new UsageError('merge: give the report files or folders of every shard');
  const shardReports = await readShardReports([...paths]);
  const reports = mergeReports(shardReports, { confirm: options.confirm });
  const shards = new Set(shardReports.map((r) => r.run.shard)).size;
  const trend = options.state === undefined ? [] : mergedTrend(options.state, reports);
  const written = await writeReports(options.out, reports, { formats: options.format, trend });
  if (options.state !== undefined) rememberMergedRun(options.state, reports, shards);
  deps.logger?.info(
    { inputs: shardReports.length, articles: reports.length, out: options.out },
    'shard reports merged',
  );
  return { reports, written, failed: evaluateFailOn(reports, options.failOn), out: options.out };
}
