/**
 * One `check` run: read every input, audit, check the links against the history, archive,
 * report, remember. All inputs are read and extracted before anything is written, so bad input
 * leaves no half-written report and an untouched state. Observations reach the state database
 * as they arrive; the run's article states (what the next run compares with) are saved only
 * after the reports are written.
 */
import { resolve } from 'node:path';
import { requestCaptures } from './archive/spn.js';
import { auditArticle } from './audit/index.js';
import { resolveCheckEndpoints, serviceHostLimits } from './check/endpoints.js';
import {
  CHECKED_OUTCOMES,
  type CheckProgress,
  checkArticles,
  compileRules,
  fetchedAsPage,
  type LinkRules,
  normalizeTargetUrl,
} from './check/index.js';
import { DEFAULTS, defaultUserAgent } from './defaults.js';
import { UsageError } from './errors.js';
import { evaluateFailOn, type FailOnMatch } from './fail-on.js';
import { patchWikitext, type WikitextFix } from './fix/index.js';
import {
  articleKeys,
  articleStateOf,
  diffRuns,
  type HistoryStore,
  identifierObservationsOf,
  openHistory,
  planChecks,
} from './history/index.js';
import { type LoadedArticle, loadArticles } from './input/load.js';
import { type Logger, silentLogger } from './log.js';
import type { ArchiveRequest, Article, Finding, Outcome, Report, RunInfo } from './model.js';
import {
  createFetcher,
  type FetcherDeps,
  fetcherOptionsFromDefaults,
  type PoliteFetcher,
} from './net/index.js';
import { type CheckOptions, readIgnoreFile } from './options.js';
import { preflight } from './preflight.js';
import { buildReport } from './report/build.js';
import { type ReportFs, writeFileAtomic, writeReports } from './report/write.js';
import { shardFilter } from './scale/index.js';

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
}

export interface RunResult {
  reports: Report[];
  /** Report files written. */
  written: string[];
  /** What met `--fail-on`; non-empty means exit code 1. */
  failed: FailOnMatch[];
}

export { TREND_FILE } from './report/write.js';

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The fetcher of a run, from the resolved options. */
export function fetcherFor(options: CheckOptions, deps: RunDeps): PoliteFetcher {
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
  const fetcher = fetcherFor(options, deps);
  try {
    const { articles, patchText } = await readInputs(options, { fetcher, sleep, log });
    log.info({ articles: articles.length }, 'articles read');
    const store = openHistory(options.state, { now: () => options.now });
    try {
      return await checkAndReport(articles, patchText, options, { store, fetcher, sleep, log, deps, rules });
    } finally {
      store.close();
    }
  } finally {
    await fetcher.close();
  }
}

/**
 * The articles of the run, and the text `--patch` patches (the one article's). The texts of the
 * others are let go here: a run of thousands of articles does not keep them (82 MB for 3500).
 */
async function readInputs(
  options: CheckOptions,
  deps: { fetcher: PoliteFetcher; sleep: (ms: number) => Promise<void>; log: Logger },
): Promise<{ articles: Article[]; patchText?: string }> {
  const loaded = await loadArticles(
    {
      inputs: options.inputs,
      ...(options.inputFormat !== undefined && { inputFormat: options.inputFormat }),
      wiki: options.wiki,
      ...(options.wikiList !== undefined && { wikiList: options.wikiList }),
      mediawiki: options.endpoints.mediawiki,
    },
    { fetcher: deps.fetcher, sleep: deps.sleep, logger: deps.log },
  );
  if (loaded.length === 0) throw new UsageError('nothing to check: no article in the inputs');
  const articles = loaded.map((l) => l.article);
  if (options.patch === undefined) return { articles };
  return { articles, patchText: patchTarget(loaded, options.patch).text };
}

/** The outcomes whose links get a snapshot lookup (`--snapshots`; live ones too for `--archive`). */
function snapshotOutcomes(options: CheckOptions): Outcome[] {
  if (options.snapshots === 'none') return [];
  if (options.snapshots === 'dead') return options.archive ? ['dead', 'alive'] : ['dead'];
  return [...CHECKED_OUTCOMES];
}

/** `--patch` needs exactly one article, in wikitext, and never writes over it. */
function patchTarget(loaded: readonly LoadedArticle[], path: string): LoadedArticle {
  const only = loaded[0];
  if (loaded.length !== 1 || !only || only.article.source.format !== 'wikitext')
    throw new UsageError('--patch needs exactly one article, in wikitext');
  const input = only.article.source.path;
  if (input !== undefined && resolve(input) === resolve(path))
    throw new UsageError(`--patch ${path}: that is the input file; the input is never overwritten`);
  return only;
}

interface RunContext {
  store: HistoryStore;
  fetcher: PoliteFetcher;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
  deps: RunDeps;
  rules?: LinkRules;
}

async function checkAndReport(
  articles: Article[],
  patchText: string | undefined,
  options: CheckOptions,
  { store, fetcher, sleep, log, deps, rules }: RunContext,
): Promise<RunResult> {
  const { now } = options;
  const auditFindings = articles.map((article) => auditArticle(article, { now }));
  const shard = options.shard ? `${options.shard.index}/${options.shard.count}` : undefined;
  const runId = store.beginRun({ options: recordedOptions(options), ...(shard && { shard }) });
  const view = store.view({ excludeRun: runId });
  const include = options.shard ? shardFilter(options.shard) : undefined;

  const plan = options.offline
    ? { reuse: new Map() }
    : planChecks(distinctUrls(articles, include), view, {
        now,
        full: options.full,
        confirm: options.confirm,
        confirmIntervalDays: options.confirmInterval,
      });
  const checked = await checkArticles(
    articles,
    {
      now,
      offline: options.offline,
      confirm: options.confirm,
      confirmIntervalDays: options.confirmInterval,
      endpoints: options.endpoints,
      snapshotsFor: snapshotOutcomes(options),
      ...(include && { include }),
      ...(rules && { rules }),
    },
    {
      fetcher,
      history: view,
      reuse: plan.reuse,
      logger: log,
      // Offline observations say nothing about the links: the history does not keep them.
      onObservation: (o) => {
        if (o.reason !== 'offline') store.recordObservation(runId, o);
      },
      onSnapshotLookup: (lookup) => {
        store.recordSnapshotLookup(lookup);
        if (lookup.snapshot) store.recordSnapshot(lookup.url, lookup.snapshot, 'lookup');
      },
      ...(deps.onProgress && { onProgress: deps.onProgress }),
    },
  );
  for (const article of checked.articles)
    store.recordIdentifierObservations(runId, identifierObservationsOf(article));
  log.info(
    { requests: checked.requests, offline: checked.offline, reused: plan.reuse.size },
    checked.offline ? 'links not checked: offline' : 'links checked',
  );

  const archiveRequests =
    options.archive && !checked.offline && !fetcher.runTimeOver()
      ? await archiveLiveLinks(checked.articles, options, { store, fetcher, sleep, log })
      : undefined;

  const run: RunInfo = {
    now,
    offline: checked.offline,
    ...(checked.offlineReason && { offlineReason: checked.offlineReason }),
    ...(shard && { shard }),
    requests: checked.requests,
    savedByCadence: countReused(checked.articles),
  };
  const keys = articleKeys(checked.articles);
  const reports = checked.articles.map((article, i) => {
    const findings: Finding[] = [...auditFindings[i]!, ...checked.findings[i]!];
    const report = buildReport(article, findings, run);
    report.changes = diffRuns(
      store.lastArticleState(keys[i]!, { excludeRun: runId }),
      articleStateOf(report, keys[i]),
    );
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
    return report;
  });

  // An offline run learnt nothing about the links: it neither moves the trend nor the baseline.
  // The states are saved (and the run finished) only once every file is written: a run that
  // fails before that is no baseline, and the next run reports the same news.
  // Nor does an article whose links the time limit left unchecked (`run-time`): as its baseline
  // it would make a link still dead look newly dead next time.
  const states = checked.offline
    ? []
    : reports.flatMap((report, i) => (cutShort(report) ? [] : [articleStateOf(report, keys[i])]));
  const written = await writeReports(options.out, reports, {
    formats: options.format,
    trend: store.trendWith(states),
    ...(deps.reportFs && { fs: deps.reportFs }),
  });
  if (options.patch !== undefined && patchText !== undefined)
    await writePatch(options.patch, patchText, reports[0]!, log);
  store.completeRun(runId, states);
  log.info({ files: written.length, out: options.out }, 'reports written');
  if (options.pruneDays !== undefined) {
    const counts = store.pruneOlderThan(options.now, options.pruneDays);
    log.info(counts, 'state pruned');
  }
  return { reports, written, failed: evaluateFailOn(reports, options.failOn) };
}

/** Whether `--max-run-time` left some of the report's links unchecked. */
const cutShort = (report: Report): boolean =>
  report.article.references.some((r) => r.links.some((l) => l.check?.reason === 'run-time'));

/** The distinct fetchable URLs of the articles' links (the cadence's input). */
function distinctUrls(articles: readonly Article[], include?: (url: string) => boolean): Set<string> {
  const urls = new Set<string>();
  for (const article of articles)
    for (const ref of article.references)
      for (const link of ref.links) {
        if (!fetchedAsPage(link)) continue;
        const { url, problem } = normalizeTargetUrl(link.url);
        if (!problem && (!include || include(url))) urls.add(url);
      }
  return urls;
}

/** Distinct links answered from the history instead of fetched. */
function countReused(articles: readonly Article[]): number {
  const urls = new Set<string>();
  for (const article of articles)
    for (const ref of article.references)
      for (const link of ref.links) if (link.check?.cached) urls.add(normalizeTargetUrl(link.url).url);
  return urls.size;
}

/** Save Page Now for live sources of references that have no archive copy. */
async function archiveLiveLinks(
  articles: readonly Article[],
  options: CheckOptions,
  { store, fetcher, sleep, log }: Pick<RunContext, 'store' | 'fetcher' | 'sleep' | 'log'>,
): Promise<ArchiveRequest[]> {
  const candidates = articles.flatMap((a) =>
    a.references
      .filter((r) => !r.archive.present)
      .flatMap((r) => r.links.map((l) => ({ ...l, url: normalizeTargetUrl(l.url).url }))),
  );
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
