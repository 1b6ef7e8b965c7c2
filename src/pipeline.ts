/**
 * One `check` run: read every input, audit, check the links against the history, archive,
 * report, remember — one article at a time, so that the memory of a run does not grow with the
 * number of articles (a run keeps the link table and one small line per article).
 *
 * An online run reads the articles twice. The first pass extracts each one and adds its links
 * to the run's link table (every distinct URL is checked once, whichever articles cite it), and
 * finds bad input before a report or the state is touched; then every link is checked at once
 * (hosts scheduled fairly across all articles); the second pass reads each article again (or
 * takes it from the first pass when the inputs are small), audits it, applies the checks and
 * writes its reports under temporary names. An offline run checks nothing over the network, so
 * it reads each article once. The reports are renamed into place only once every one is
 * written (on error none remain); observations reach the state database as they arrive; the
 * articles' states (the baseline of the next run's changes) are staged there as each article is
 * done and count only once the reports are in place.
 */

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { requestCaptures } from './archive/spn.js';
import { auditArticle } from './audit/index.js';
import { resolveCheckEndpoints, serviceHostLimits } from './check/endpoints.js';
import {
  CHECKED_OUTCOMES,
  type CheckDeps,
  type CheckObservation,
  type CheckProgress,
  checkLinks,
  compileRules,
  type CheckOptions as LinkCheckOptions,
  type LinkResults,
  type LinkRules,
  LinkTable,
  type LinkTableOptions,
  normalizeTargetUrl,
} from './check/index.js';
import { DEFAULTS, defaultUserAgent } from './defaults.js';
import { InputError, isCitewatchError, UsageError } from './errors.js';
import { evaluateFailOn, type FailOnMatch } from './fail-on.js';
import { patchWikitext, type WikitextFix } from './fix/index.js';
import {
  articleKey,
  articleStateOf,
  type CheckPlan,
  diffRuns,
  type HistoryStore,
  type HistoryView,
  identifierObservationsOf,
  noChanges,
  openHistory,
  planChecks,
  type StoredObservation,
} from './history/index.js';
import { type ArticleInput, type LoadedArticle, listArticles } from './input/load.js';
import { type Logger, silentLogger } from './log.js';
import type { ArchiveRequest, Outcome, Report, RunInfo } from './model.js';
import type { FetcherDeps, PoliteFetcher } from './net/index.js';
import { type CheckOptions, readIgnoreFile } from './options.js';
import { preflight } from './preflight.js';
import { buildReport } from './report/build.js';
import { type ReportLine, reportLine } from './report/line.js';
import { renderSummaryLines } from './report/summary.js';
import { type ReportFs, ReportWriter, writeFileAtomic } from './report/write.js';
import { shardFilter } from './scale/index.js';

/**
 * Input text an online run keeps extracted between its two passes: below it (one article, a
 * few dozen) nothing is extracted twice; above it each article is let go after the first pass
 * and read again (an extracted article weighs about 10 times its text). @default 4 MiB
 */
export const KEEP_EXTRACTED_CHARS = 4 * 1024 * 1024;

export interface RunDeps {
  logger?: Logger;
  /** Dispatcher, resolver, clock and sleep of the fetcher (tests). */
  fetcherDeps?: FetcherDeps;
  /** Waits of the wiki client and Save Page Now. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Called after each distinct link is settled (progress bar). */
  onProgress?: (p: CheckProgress) => void;
  /** File operations of the report writer (tests inject a full disk). @default node:fs/promises */
  reportFs?: ReportFs;
  /** Input text kept extracted between an online run's two passes. @default KEEP_EXTRACTED_CHARS */
  keepExtractedChars?: number;
  /** Keep each article's GitHub annotations in `RunResult.articles` (inside Actions). @default true */
  annotations?: boolean;
}

export interface RunResult {
  /**
   * One line per article reported, in input order: what `summary.md`, the annotations and the
   * action's outputs need. The reports themselves are in the files (`written`), not kept.
   */
  articles: ReportLine[];
  /** The run, as every report states it. */
  run: RunInfo;
  /** Report files written. */
  written: string[];
  /** What met `--fail-on`; non-empty means exit code 1. */
  failed: FailOnMatch[];
}

export { TREND_FILE } from './report/write.js';

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Whether the run sends any request: an online check, or articles read from a wiki. An offline
 * run of files never loads the network stage (undici alone is about 150 ms of CPU to load).
 */
export const reachesNetwork = (options: CheckOptions): boolean =>
  !options.offline || options.wiki.length > 0 || options.wikiList !== undefined;

/** The fetcher of a run, from the resolved options; the network stage is loaded here. */
export async function fetcherFor(options: CheckOptions, deps: RunDeps): Promise<PoliteFetcher> {
  const { createFetcher, fetcherOptionsFromDefaults } = await import('./net/index.js');
  const endpoints = resolveCheckEndpoints(options.endpoints);
  return createFetcher(
    fetcherOptionsFromDefaults({
      userAgent: options.userAgent ?? defaultUserAgent(),
      concurrency: options.concurrency,
      perHostConcurrency: options.perHostConcurrency,
      perHostIntervalMs: options.perHostInterval,
      timeoutMs: options.timeout,
      maxRunTimeMs: options.maxRunTime,
      allowNetwork: options.allowNetwork,
      hostLimits: serviceHostLimits(endpoints, {
        shards: options.shard?.count ?? 1,
        perHostConcurrency: options.perHostConcurrency,
        perHostIntervalMs: options.perHostInterval,
      }),
    }),
    { ...deps.fetcherDeps, ...(deps.logger && { logger: deps.logger }) },
  );
}

/** The options worth keeping with the run in the state database (never credentials). */
function recordedOptions(options: CheckOptions): Record<string, unknown> {
  return {
    offline: options.offline,
    full: options.full,
    confirm: options.confirm,
    confirmInterval: options.confirmInterval,
    archive: options.archive,
    ...(options.shard && { shard: `${options.shard.index}/${options.shard.count}` }),
  };
}

export async function runCheck(options: CheckOptions, deps: RunDeps = {}): Promise<RunResult> {
  const log = deps.logger ?? silentLogger();
  if (options.inputs.length === 0 && options.wiki.length === 0 && options.wikiList === undefined)
    throw new UsageError('nothing to check: give article files or directories, --wiki or --wiki-list');
  // A bad --out, --state or --patch is refused before any input is read or request made.
  await preflight(options);
  const sleep = deps.sleep ?? realSleep;
  // The user's rules (flags, config, ignore file), read before anything is fetched or written.
  const rules = compileRules({ ...options, ignoreFile: await readIgnoreFile(options.ignoreFile) });
  for (const o of rules.expired(options.now))
    log.warn({ url: o.pattern.label, until: o.until }, 'override expired: the link is checked again');
  const fetcher = reachesNetwork(options) ? await fetcherFor(options, deps) : noRequestFetcher();
  try {
    const inputs = await listArticles(
      {
        inputs: options.inputs,
        ...(options.inputFormat !== undefined && { inputFormat: options.inputFormat }),
        wiki: options.wiki,
        ...(options.wikiList !== undefined && { wikiList: options.wikiList }),
        mediawiki: options.endpoints.mediawiki,
      },
      { fetcher, sleep, logger: log },
    );
    if (inputs.length === 0) throw new UsageError('nothing to check: no article in the inputs');
    if (options.patch !== undefined && inputs.length !== 1)
      throw new UsageError('--patch needs exactly one article, in wikitext');
    log.info({ articles: inputs.length }, 'articles found');
    const run = new CheckRun(inputs, options, { fetcher, sleep, log, deps, rules });
    return await run.execute();
  } finally {
    await fetcher.close();
  }
}

/**
 * The fetcher of a run that sends nothing (offline, articles from files). The check stage
 * still takes one; a request through it would be a bug, so it fails loudly.
 */
export function noRequestFetcher(): PoliteFetcher {
  const refuse = (): never => {
    throw new Error('internal error: this run sends no request (offline), yet a fetch was made');
  };
  return {
    fetch: async () => refuse(),
    fetchEach: async (requests) => {
      for (const _ of requests) refuse();
    },
    stats: () => ({ requests: 0, bytes: 0, maxInFlightPerHost: 0, responses: 0, networkFailures: 0 }),
    isOffline: () => false,
    runTimeOver: () => false,
    close: async () => {},
  };
}

/** One article read in the first pass: kept whole while the inputs are small, else its digest. */
interface FirstRead {
  sha256: string;
  /** Its run-unique key in the history (`articleKey`, `#2` for a second article of one title). */
  key: string;
  /** The run has something to report about it (false: another shard's article). */
  reported: boolean;
  kept?: LoadedArticle;
}

interface RunContext {
  fetcher: PoliteFetcher;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
  deps: RunDeps;
  /** The user's rules (excluded, overridden links, accepted statuses). */
  rules?: LinkRules;
}

/** The state of one run, from the first read of the inputs to the last report. */
class CheckRun {
  readonly #inputs: readonly ArticleInput[];
  readonly #options: CheckOptions;
  readonly #ctx: RunContext;
  readonly #include: ((url: string) => boolean) | undefined;
  readonly #shard: string | undefined;
  /**
   * Article keys taken so far, in input order, every article counted (a shard's skipped ones
   * too, so that every shard gives an article the same key).
   */
  readonly #takenKeys = new Set<string>();

  constructor(inputs: readonly ArticleInput[], options: CheckOptions, ctx: RunContext) {
    this.#inputs = inputs;
    this.#options = options;
    this.#ctx = ctx;
    this.#include = options.shard ? shardFilter(options.shard) : undefined;
    this.#shard = options.shard ? `${options.shard.index}/${options.shard.count}` : undefined;
  }

  async execute(): Promise<RunResult> {
    const { options } = this;
    // An online run reads every article before it opens the state: bad input changes nothing.
    const table = options.offline ? undefined : new LinkTable({ offline: false, ...this.#tableOptions() });
    const firstReads = table ? await this.#firstPass(table) : undefined;
    const stateExisted = options.state === ':memory:' || existsSync(options.state);
    const store = openHistory(options.state, { now: () => options.now });
    try {
      return await this.#checkAndReport(store, table, firstReads);
    } catch (error) {
      store.close();
      // An offline run finds bad input as it goes: a state it created for nothing goes too.
      if (!stateExisted && isInputProblem(error))
        await Promise.all(['', '-wal', '-shm'].map((end) => rm(`${options.state}${end}`, { force: true })));
      throw error;
    } finally {
      store.close();
    }
  }

  get options(): CheckOptions {
    return this.#options;
  }

  #includeOption(): { include?: (url: string) => boolean } {
    return this.#include ? { include: this.#include } : {};
  }

  /**
   * What a link table needs besides `offline`: the clock, the user's rules, the shard, and
   * whether the run wants the citations' snapshot dates (lookups, or captures with `--archive`).
   */
  #tableOptions(): Omit<LinkTableOptions, 'offline'> {
    const { rules } = this.#ctx;
    const { options } = this;
    return {
      now: options.now,
      ...(rules && { rules }),
      ...this.#includeOption(),
      snapshotDates: snapshotOutcomes(options).length > 0 || options.archive,
    };
  }

  /** Pass 1 of an online run: every article's links into the table. */
  async #firstPass(table: LinkTable): Promise<FirstRead[]> {
    const reads: FirstRead[] = [];
    let keptChars = 0;
    for (const input of this.#inputs) {
      const loaded = await input.read();
      if (this.options.patch !== undefined) patchTarget(loaded, this.options.patch);
      const owns = table.add(loaded.article);
      const read: FirstRead = {
        sha256: loaded.article.source.sha256,
        key: uniqueKey(articleKey(loaded.article), this.#takenKeys),
        reported: this.#reports(owns, loaded),
      };
      if (keptChars + loaded.text.length <= (this.#ctx.deps.keepExtractedChars ?? KEEP_EXTRACTED_CHARS)) {
        keptChars += loaded.text.length;
        read.kept = loaded;
      }
      reads.push(read);
    }
    this.#ctx.log.info({ articles: reads.length }, 'articles read');
    return reads;
  }

  /**
   * Whether this run reports an article: every run does, but a shard skips the articles with
   * none of its links; shard 1 also reports the articles with nothing to check at all (so that
   * `merge` has every article once).
   */
  #reports(owns: boolean, loaded: LoadedArticle): boolean {
    const shard = this.options.shard;
    if (!shard || shard.count === 1 || owns) return true;
    const { rules } = this.#ctx;
    return (
      shard.index === 1 &&
      !new LinkTable({ offline: false, now: this.options.now, ...(rules && { rules }) }).add(loaded.article)
    );
  }

  #checkOptions(): LinkCheckOptions {
    const { options } = this;
    return {
      now: options.now,
      offline: options.offline,
      confirm: options.confirm,
      confirmIntervalDays: options.confirmInterval,
      endpoints: options.endpoints,
      snapshotsFor: snapshotOutcomes(options),
      ...this.#includeOption(),
      ...(this.#ctx.rules && { rules: this.#ctx.rules }),
    };
  }

  async #checkAndReport(
    store: HistoryStore,
    table: LinkTable | undefined,
    firstReads: FirstRead[] | undefined,
  ): Promise<RunResult> {
    const { options } = this;
    const { log, fetcher, deps } = this.#ctx;
    const { now } = options;
    const runId = store.beginRun({
      options: recordedOptions(options),
      ...(this.#shard && { shard: this.#shard }),
    });
    const view = store.view({ excludeRun: runId });
    const observations = new ObservationBatches((batch) => store.recordObservations(runId, batch));
    const checkDeps: CheckDeps = {
      fetcher,
      history: view,
      logger: log,
      // Offline observations say nothing about the links: the history does not keep them.
      onObservation: (o) => {
        if (o.reason !== 'offline') observations.add(o);
      },
      onSnapshotLookup: (lookup) => {
        store.recordSnapshotLookup(lookup);
        if (lookup.snapshot) store.recordSnapshot(lookup.url, lookup.snapshot, 'lookup');
      },
      ...(deps.onProgress && { onProgress: deps.onProgress }),
    };

    let results: LinkResults | undefined;
    let archiveRequests: ArchiveRequest[] | undefined;
    if (table) {
      const plan = planInBatches(table.fetchableUrls(), view, {
        now,
        full: options.full,
        confirm: options.confirm,
        confirmIntervalDays: options.confirmInterval,
      });
      table.reuse(plan.reuse);
      try {
        results = await checkLinks(table, this.#checkOptions(), checkDeps);
      } finally {
        observations.flush();
      }
      log.info(
        { requests: results.requests, offline: results.offline, reused: plan.reuse.size },
        results.offline ? 'links not checked: offline' : 'links checked',
      );
      if (options.archive && !results.offline && !fetcher.runTimeOver())
        archiveRequests = await archiveLiveLinks(results.captureCandidates(), options, {
          store,
          ...this.#ctx,
        });
    }
    const run: RunInfo = {
      now,
      offline: results?.offline ?? true,
      ...(results
        ? results.offlineReason && { offlineReason: results.offlineReason }
        : { offlineReason: 'requested' }),
      ...(this.#shard && { shard: this.#shard }),
      requests: results?.requests ?? 0,
      savedByCadence: results?.reused ?? 0,
    };
    // An offline run learnt nothing about the links: it neither moves the trend nor the baseline.
    const remembered = !run.offline;

    const writer = new ReportWriter(options.out, {
      formats: options.format,
      ...(deps.reportFs && { fs: deps.reportFs }),
    });
    const lines: ReportLine[] = [];
    const failed: FailOnMatch[] = [];
    let patch: { text: string; report: Report } | undefined;
    try {
      for (let i = 0; i < this.#inputs.length; i++) {
        const input = this.#inputs[i]!;
        const first = firstReads?.[i];
        if (first && !first.reported) continue;
        const loaded = first?.kept ?? (await input.read());
        if (first && loaded.article.source.sha256 !== first.sha256)
          throw new InputError(input.name, 'changed while the run was reading it: run again');
        if (first) first.kept = undefined;
        if (!first && options.patch !== undefined) patchTarget(loaded, options.patch);
        const { article } = loaded;
        // Run-unique article keys: a second article of one title is `#2` (in input order).
        const key = first?.key ?? uniqueKey(articleKey(article), this.#takenKeys);
        // An offline run checks each article alone: nothing is fetched, nothing is shared.
        const checks = results ?? (await this.#checkOffline(article, checkDeps));
        if (!checks) continue;
        const applied = checks.apply(article);
        store.recordIdentifierObservations(runId, identifierObservationsOf(applied.article));
        const findings = [...auditArticle(article, { now }), ...applied.findings];
        const report = buildReport(applied.article, findings, run);
        const previous = store.lastArticleState(key, { excludeRun: runId });
        // Staged in the database, not held until the end; it counts once the run completes.
        // Not an article whose links the time limit left unchecked (`run-time`): as its baseline
        // it would make a link still dead look newly dead next time.
        const staged = remembered && !cutShort(report);
        // The state is made only when something reads it: the changes since an earlier run, or
        // the next run's baseline (an offline run of a new article needs neither).
        const state = previous !== undefined || staged ? articleStateOf(report, key) : undefined;
        report.changes = previous !== undefined && state ? diffRuns(previous, state) : noChanges();
        if (archiveRequests) {
          const urls = new Set(
            article.references.flatMap((r) => r.links.map((l) => normalizeTargetUrl(l.url).url)),
          );
          report.archiveRequests = archiveRequests.filter((a) => urls.has(a.url));
        }
        log.info(
          {
            article: article.title,
            references: article.references.length,
            citations: article.citations.length,
            findings: findings.length,
            dead: report.summary.links.dead,
          },
          'article checked',
        );
        const slug = await writer.add(report);
        lines.push(reportLine(report, slug, { annotations: deps.annotations ?? true }));
        failed.push(...evaluateFailOn([report], options.failOn));
        if (staged && state) store.stageArticleState(runId, state);
        if (options.patch !== undefined) patch = { text: loaded.text, report };
      }
      const written = await writer.finish(
        (trendChart) => renderSummaryLines(lines, trendChart === undefined ? {} : { trendChart }),
        store.trendWithStaged(runId),
      );
      if (options.patch !== undefined && patch)
        await writePatch(options.patch, patch.text, patch.report, log);
      // Only now, with every report and the patch in place, does this run become the next
      // one's baseline: its staged states are moved into place with the run's end, in one
      // transaction (a run that fails before that is no baseline, and the next run reports the
      // same news).
      store.completeRun(runId);
      log.info({ files: written.length, out: options.out }, 'reports written');
      if (options.pruneDays !== undefined) {
        const counts = store.pruneOlderThan(options.now, options.pruneDays);
        log.info(counts, 'state pruned');
      }
      return { articles: lines, run, written, failed };
    } catch (error) {
      await writer.abort();
      throw error;
    }
  }

  /** The offline check of one article (no request); undefined when a shard does not report it. */
  async #checkOffline(article: LoadedArticle['article'], deps: CheckDeps): Promise<LinkResults | undefined> {
    const table = new LinkTable({ offline: true, ...this.#tableOptions() });
    const owns = table.add(article);
    if (!this.#reports(owns, { article, text: '' })) return undefined;
    return checkLinks(table, this.#checkOptions(), deps);
  }
}

/**
 * Observations on their way to the state database, in small batches: one transaction per
 * observation cost about a millisecond of CPU a link (a third of a fast run's). A batch is
 * written when it is full or a moment after its first observation, so a run that is killed
 * loses at most that moment's observations.
 */
class ObservationBatches {
  static readonly SIZE = 100;
  static readonly DELAY_MS = 200;
  readonly #write: (batch: CheckObservation[]) => void;
  #batch: CheckObservation[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(write: (batch: CheckObservation[]) => void) {
    this.#write = write;
  }

  add(observation: CheckObservation): void {
    this.#batch.push(observation);
    if (this.#batch.length >= ObservationBatches.SIZE) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), ObservationBatches.DELAY_MS).unref();
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#batch;
    this.#batch = [];
    if (batch.length > 0) this.#write(batch);
  }
}

/** URLs whose latest observations the cadence reads at once: one statement each batch. */
const PLAN_BATCH = 500;

/**
 * `planChecks` a batch of URLs at a time, each batch's latest observations read in one
 * statement (one SELECT per URL cost about 50 µs each); only the reused observations are kept.
 */
function planInBatches(
  urls: Iterable<string>,
  view: HistoryView,
  options: Parameters<typeof planChecks>[2],
): Pick<CheckPlan, 'reuse'> {
  const reuse = new Map<string, StoredObservation>();
  const plan = (batch: string[]): void => {
    // A full run fetches every link: it never asks for the latest observations.
    const lasts = options.full ? new Map<string, StoredObservation>() : view.lastOfMany(batch);
    const batchView = { ...view, last: (url: string) => lasts.get(url) };
    for (const [url, last] of planChecks(batch, batchView, options).reuse) reuse.set(url, last);
  };
  let batch: string[] = [];
  for (const url of urls) {
    batch.push(url);
    if (batch.length === PLAN_BATCH) {
      plan(batch);
      batch = [];
    }
  }
  if (batch.length > 0) plan(batch);
  return { reuse };
}

/** `key`, or `key#2`, `#3`, … when an earlier article of the run took it (as `articleKeys`). */
function uniqueKey(key: string, taken: Set<string>): string {
  let unique = key;
  for (let n = 2; taken.has(unique); n++) unique = `${key}#${n}`;
  taken.add(unique);
  return unique;
}

/** Bad input, found while the run reads its articles. */
const isInputProblem = (error: unknown): boolean =>
  error instanceof InputError ||
  error instanceof UsageError ||
  (isCitewatchError(error) && error.code === 'CW_ERR_INPUT');

/** The outcomes whose links get a snapshot lookup (`--snapshots`; live ones too for `--archive`). */
function snapshotOutcomes(options: CheckOptions): Outcome[] {
  if (options.snapshots === 'none') return [];
  if (options.snapshots === 'dead') return options.archive ? ['dead', 'alive'] : ['dead'];
  return [...CHECKED_OUTCOMES];
}

/** `--patch` needs exactly one article, in wikitext, and never writes over it. */
function patchTarget(loaded: LoadedArticle, path: string): LoadedArticle {
  if (loaded.article.source.format !== 'wikitext')
    throw new UsageError('--patch needs exactly one article, in wikitext');
  const input = loaded.article.source.path;
  if (input !== undefined && resolve(input) === resolve(path))
    throw new UsageError(`--patch ${path}: that is the input file; the input is never overwritten`);
  return loaded;
}

/** Whether `--max-run-time` left some of the report's links unchecked. */
const cutShort = (report: Report): boolean =>
  report.article.references.some((r) => r.links.some((l) => l.check?.reason === 'run-time'));

/** Save Page Now for live sources of references that have no archive copy. */
async function archiveLiveLinks(
  candidates: ReturnType<LinkResults['captureCandidates']>,
  options: CheckOptions,
  { store, fetcher, sleep, log }: Pick<RunContext, 'fetcher' | 'sleep' | 'log'> & { store: HistoryStore },
): Promise<ArchiveRequest[]> {
  const nowMs = Date.parse(options.now);
  const started = Date.now();
  const requests = await requestCaptures(candidates, {
    fetcher,
    endpoint: options.endpoints.spn,
    accessKey: options.spn.accessKey ?? '',
    secret: options.spn.secret ?? '',
    // The run's clock moves with real time from `--now`, so replays keep their dates.
    now: () => nowMs + (Date.now() - started),
    sleep,
    store,
    logger: log,
    // Every shard captures its own live links: together they keep to one run's rate.
    maxPerMinute: (options.spn.maxPerMinute ?? DEFAULTS.spnMaxPerMinute) / (options.shard?.count ?? 1),
    ...(options.spn.maxSnapshotAgeDays !== undefined && {
      maxSnapshotAgeDays: options.spn.maxSnapshotAgeDays,
    }),
  });
  const counts: Record<string, number> = {};
  for (const r of requests) counts[r.status] = (counts[r.status] ?? 0) + 1;
  log.info(counts, 'Save Page Now requests');
  return requests;
}

/** Writes the patched copy of the one wikitext input: dead links get their archive or a tag. */
async function writePatch(path: string, text: string, report: Report, log: Logger): Promise<void> {
  const fixes: WikitextFix[] = [];
  const seen = new Set<string>();
  for (const ref of report.article.references)
    for (const link of ref.links) {
      if (link.role !== 'source' || link.check?.verdict !== 'dead' || seen.has(link.url)) continue;
      // No snapshot and no answer from the archive (failed or not asked): a good capture may
      // exist, so no {{dead link}}; the next run asks again.
      if (!link.check.snapshot && link.check.snapshotLookup !== 'none' && !ref.archive.url) continue;
      seen.add(link.url);
      fixes.push({
        url: link.url,
        date: report.run.now,
        ...(link.check.snapshot && { snapshot: link.check.snapshot }),
      });
    }
  const patched = patchWikitext(text, fixes);
  await writeFileAtomic(path, patched.text);
  log.info(
    { path, applied: patched.applied.length, skipped: patched.skipped.length },
    'patched copy written',
  );
}
