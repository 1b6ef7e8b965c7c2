/**
 * The reports of a sharded run put back together. Every shard reads every article but checks
 * only the URLs of its shard (the others are `skipped`, reason `other-shard`) and reports only
 * the articles with some of them (shard 1 also those with none in any shard), so one article's
 * merged report takes each link's check and each identifier check from the shard that owns it,
 * then recomputes findings and summary exactly as an unsharded run does.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { auditArticle } from '../audit/index.js';
import { checkFindings, normalizeTargetUrl, resolverUrl } from '../check/index.js';
import { DEFAULTS } from '../defaults.js';
import { InputError, UsageError } from '../errors.js';
import {
  type ArchiveRequest,
  type Article,
  type ChangedLink,
  type Changes,
  type IdentifierCheck,
  type LinkCheck,
  REPORT_SCHEMA_VERSION,
  Report,
  type RunInfo,
} from '../model.js';
import { buildReport } from '../report/index.js';
import { formatShard, parseShard, type Shard, shardOf } from './shard.js';

/** The reason a shard gives a URL or identifier it left to another shard. */
export const OTHER_SHARD = 'other-shard';

export interface MergeOptions {
  /**
   * Dead outcomes in a row for a `dead` verdict, as the shard runs used it (`--confirm`): the
   * suspect-link findings quote it. @default 3 (DEFAULTS.confirm)
   */
  confirm?: number;
}

/**
 * How far apart the shards' clocks (`run.now`) may be and still make one run: shard jobs of one
 * night start on their own runners, minutes or hours apart (or with one `--now` from the
 * workflow, then equal). Reports more than this apart are different nights and are refused.
 */
export const SHARD_CLOCK_WINDOW_MS = 24 * 3_600_000;

/** One shard's report of one article, with its shard read. */
interface ShardReport {
  report: Report;
  shard: Shard;
}

/**
 * Merges the reports of every shard of one run into one report per article, in the order the
 * articles first appear. Takes the reports grouped by shard or flat (each report says its
 * shard in `run.shard`; a report without one counts as shard 1/1). Throws `UsageError` when
 * the reports do not make one whole run: clocks of different nights (more than
 * `SHARD_CLOCK_WINDOW_MS` apart; within it, the merged run takes the latest), different shard
 * counts, a shard missing or given twice, or an article that differs between shards.
 */
export function mergeReports(
  shardReports: ReadonlyArray<readonly Report[]> | readonly Report[],
  options: MergeOptions = {},
): Report[] {
  const reports = (shardReports as ReadonlyArray<Report | readonly Report[]>).flatMap((r) =>
    Array.isArray(r) ? (r as readonly Report[]) : [r as Report],
  );
  if (reports.length === 0) return [];
  const confirm = options.confirm ?? DEFAULTS.confirm;
  const parsed = reports.map(withShard);
  sameRun(parsed);
  // The merged run is dated by its latest shard: no check in it is later than that.
  const now = parsed.map((r) => r.report.run.now).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  const groups = groupByArticle(parsed);
  const run = mergeRunInfo(shardRuns(parsed), now);
  return [...groups.values()].map((group) => mergeArticle(group, confirm, run));
}

/** One run info per shard (every report of a shard states the same run). */
function shardRuns(reports: readonly ShardReport[]): RunInfo[] {
  const byIndex = new Map<number, RunInfo>();
  for (const { report, shard } of reports)
    if (!byIndex.has(shard.index)) byIndex.set(shard.index, report.run);
  return [...byIndex.values()];
}

function withShard(report: Report): ShardReport {
  if (report.run.shard === undefined) return { report, shard: { index: 1, count: 1 } };
  try {
    return { report, shard: parseShard(report.run.shard) };
  } catch (cause) {
    throw new UsageError(`report of "${report.article.title}": run.shard "${report.run.shard}" is not I/N`, {
      cause,
    });
  }
}

/**
 * Every report must come from one run: clocks within `SHARD_CLOCK_WINDOW_MS` of each other
 * (one night) and one shard count.
 */
function sameRun(reports: readonly ShardReport[]): void {
  const first = reports[0]!;
  const times = reports.map((r) => ({ now: r.report.run.now, ms: Date.parse(r.report.run.now) }));
  const earliest = times.reduce((a, b) => (b.ms < a.ms ? b : a));
  const latest = times.reduce((a, b) => (b.ms > a.ms ? b : a));
  if (latest.ms - earliest.ms > SHARD_CLOCK_WINDOW_MS)
    throw new UsageError(
      `the reports come from different nights: ${earliest.now} and ${latest.now} are more than ${SHARD_CLOCK_WINDOW_MS / 3_600_000} h apart (merge the shards of one run)`,
    );
  for (const { shard } of reports) {
    if (shard.count !== first.shard.count)
      throw new UsageError(
        `the reports come from runs with different shard counts: ${formatShard(first.shard)} and ${formatShard(shard)}`,
      );
  }
}

/** Who an article is, content included: the same file or page at the same revision. */
function articleIdentity(article: Article): string {
  return JSON.stringify([placeOf(article), article.source.sha256]);
}

/** Where an article came from, without its content: to tell "changed" from "other article". */
function placeOf(article: Article): string {
  const { format, path, wiki } = article.source;
  return JSON.stringify([format, path ?? '', wiki ? `${wiki.endpoint}#${wiki.title}` : '', article.title]);
}

/**
 * Groups the reports by article, checks no shard is there twice, orders them by shard. A shard
 * writes no report of an article with none of its links (shard 1 writes the articles with no
 * link at all), so an article's group may lack shards: `mergeArticle` checks that the shard of
 * every link and identifier is there.
 */
function groupByArticle(reports: readonly ShardReport[]): Map<string, ShardReport[]> {
  const groups = new Map<string, ShardReport[]>();
  for (const r of reports) {
    const key = articleIdentity(r.report.article);
    const group = groups.get(key) ?? [];
    group.push(r);
    groups.set(key, group);
  }
  const places = new Map<string, number>();
  for (const group of groups.values()) {
    const place = placeOf(group[0]!.report.article);
    places.set(place, (places.get(place) ?? 0) + 1);
  }
  for (const group of groups.values()) {
    const article = group[0]!.report.article;
    const byIndex = new Map<number, ShardReport>();
    for (const r of group) {
      if (byIndex.has(r.shard.index))
        throw new UsageError(`article "${article.title}": two reports of shard ${formatShard(r.shard)}`);
      byIndex.set(r.shard.index, r);
    }
    if ((places.get(placeOf(article)) ?? 0) > 1)
      throw new UsageError(
        `article "${article.title}" differs between shards (its text is not the same): the shards must read the same articles`,
      );
    group.sort((a, b) => a.shard.index - b.shard.index);
  }
  return groups;
}

/** The article without what a shard run adds to it (checks, and when the page was fetched). */
function uncheckedForm(article: Article): unknown {
  const copy = structuredClone(article);
  if (copy.source.wiki) delete (copy.source.wiki as { fetchedAt?: string }).fetchedAt;
  for (const ref of copy.references) {
    for (const link of ref.links) delete link.check;
    ref.identifierChecks = [];
  }
  return copy;
}

/**
 * A link or identifier only another shard answers after merging means that shard's report of
 * the article is missing.
 */
function missingShard(article: Article, count: number): void {
  const missing = (url: string | undefined): never => {
    const shard = url === undefined ? '?' : `${shardOf(url, count)}/${count}`;
    throw new UsageError(
      `article "${article.title}": no report from shard ${shard}, which checks some of its links; give the reports of every shard`,
    );
  };
  for (const ref of article.references) {
    for (const link of ref.links)
      if (link.check?.reason === OTHER_SHARD) missing(normalizeTargetUrl(link.url).url);
    for (const check of ref.identifierChecks)
      if (check.reason === OTHER_SHARD) missing(resolverUrl(check.kind, check.value));
  }
}

function mergeArticle(group: readonly ShardReport[], confirm: number, run: RunInfo): Report {
  const reports = group.map((g) => g.report);
  const base = reports[0]!;
  const unchecked = uncheckedForm(base.article);
  for (const r of reports.slice(1)) {
    if (!isDeepStrictEqual(uncheckedForm(r.article), unchecked))
      throw new UsageError(
        `article "${base.article.title}" differs between shards (same text, different extraction): merge reports of one citewatch version`,
      );
  }
  const article = mergeChecks(reports.map((r) => r.article));
  missingShard(article, group[0]!.shard.count);
  const { now } = run;
  const findings = [...auditArticle(article, { now }), ...checkFindings(article, { now, confirm })];
  const report = buildReport(article, findings, run);
  const changes = mergeChanges(reports, article);
  if (changes) report.changes = changes;
  const archiveRequests = mergeArchiveRequests(reports, article);
  if (archiveRequests) report.archiveRequests = archiveRequests;
  return report;
}

/** The owner's answer: the first one that is not "another shard's". */
function owned<T extends { reason: string }>(answers: ReadonlyArray<T | undefined>): T | undefined {
  return answers.find((a) => a !== undefined && a.reason !== OTHER_SHARD) ?? answers.find((a) => a);
}

/** The article with each link check and identifier check from the shard that made it. */
function mergeChecks(articles: readonly Article[]): Article {
  const article = structuredClone(articles[0]!);
  article.references.forEach((ref, r) => {
    ref.links.forEach((link, l) => {
      const check = owned<LinkCheck>(articles.map((a) => a.references[r]?.links[l]?.check));
      if (check) link.check = structuredClone(check);
      else delete link.check;
    });
    const differ = (): UsageError =>
      new UsageError(
        `article "${article.title}": reference ${ref.id} has different identifier checks in different shards`,
      );
    if (articles.some((a) => a.references[r]?.identifierChecks.length !== ref.identifierChecks.length))
      throw differ();
    ref.identifierChecks = ref.identifierChecks.map((first, i) => {
      const answers = articles.map((a) => a.references[r]?.identifierChecks[i]);
      if (answers.some((a) => a?.kind !== first.kind || a.value !== first.value)) throw differ();
      return structuredClone(owned<IdentifierCheck>(answers)!);
    });
  });
  return article;
}

/** One run's info from its shards': requests summed, offline only if every shard was. */
function mergeRunInfo(runs: readonly RunInfo[], now: string): RunInfo {
  const offline = runs.every((r) => r.offline);
  const run: RunInfo = {
    now,
    offline,
    requests: runs.reduce((n, r) => n + r.requests, 0),
    savedByCadence: runs.reduce((n, r) => n + r.savedByCadence, 0),
  };
  if (offline)
    run.offlineReason = runs.every((r) => r.offlineReason === 'requested') ? 'requested' : 'unreachable';
  return run;
}

/** Order of first appearance of each web link's URL in the article, as the history lists them. */
function linkOrder(article: Article): Map<string, number> {
  const order = new Map<string, number>();
  for (const ref of article.references)
    for (const link of ref.links)
      if (link.role !== 'identifier' && !order.has(link.url)) order.set(link.url, order.size);
  return order;
}

const LINK_CHANGE_LISTS = ['newlyDead', 'newlySuspect', 'recovered', 'newlyBlocked'] as const;

/**
 * Link changes happen in the shard that checked the link, so they are unioned (in the
 * article's link order); reference, tag and claim changes are the same in every shard.
 */
function mergeChanges(reports: readonly Report[], article: Article): Changes | undefined {
  const all = reports.flatMap((r) => (r.changes ? [r.changes] : []));
  const first = all[0];
  if (!first) return undefined;
  const order = linkOrder(article);
  const position = (c: ChangedLink): number => order.get(c.url) ?? order.size;
  const changes: Changes = structuredClone(first);
  for (const list of LINK_CHANGE_LISTS) {
    const byUrl = new Map<string, ChangedLink>();
    for (const c of all.flatMap((ch) => ch[list]))
      if (!byUrl.has(c.url)) byUrl.set(c.url, structuredClone(c));
    changes[list] = [...byUrl.values()].sort((a, b) => position(a) - position(b));
  }
  return changes;
}

/** Each shard asked Save Page Now for the live links it checked: their requests, unioned. */
function mergeArchiveRequests(reports: readonly Report[], article: Article): ArchiveRequest[] | undefined {
  const lists = reports.flatMap((r) => (r.archiveRequests ? [r.archiveRequests] : []));
  if (lists.length === 0) return undefined;
  const order = new Map<string, number>();
  for (const ref of article.references) {
    if (ref.archive.present) continue;
    for (const link of ref.links) {
      const url = normalizeTargetUrl(link.url).url;
      if (!order.has(url)) order.set(url, order.size);
    }
  }
  const byUrl = new Map<string, ArchiveRequest>();
  for (const a of lists.flat()) if (!byUrl.has(a.url)) byUrl.set(a.url, structuredClone(a));
  const position = (a: ArchiveRequest): number => order.get(a.url) ?? order.size;
  return [...byUrl.values()].sort((a, b) => position(a) - position(b));
}

// ---------------------------------------------------------------------------------------------
// Reading shard reports

/** Reads one report file's text: JSON, of this schema version, fitting the report schema. */
export function parseShardReport(text: string, file: string): Report {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new InputError(file, 'not JSON', { cause });
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof raw === 'object' && raw !== null && version !== undefined && version !== REPORT_SCHEMA_VERSION)
    throw new InputError(
      file,
      `a report of schema version ${JSON.stringify(version)}; this citewatch reads version ${REPORT_SCHEMA_VERSION}`,
    );
  const parsed = Report.safeParse(raw);
  if (!parsed.success) throw new InputError(file, `not a citewatch report: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Reads the reports of shard runs from report JSON files and directories of them (their
 * `*.json` files, in name order; `summary.md`, Markdown reports, charts and dotfiles such as
 * the manifest are passed over).
 * Unreadable files, bad JSON and reports of another schema version are `InputError`s naming
 * the file.
 */
export async function readShardReports(paths: readonly string[]): Promise<Report[]> {
  const reports: Report[] = [];
  for (const path of paths) {
    for (const file of await reportFiles(path)) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (cause) {
        throw new InputError(file, 'cannot be read', { cause });
      }
      reports.push(parseShardReport(text, file));
    }
  }
  return reports;
}

async function reportFiles(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new InputError(path, 'no such file or directory', { cause });
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.json') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  // A shard whose articles had none of its links wrote only its summary.
  if (names.length === 0 && !existsSync(join(path, 'summary.md')))
    throw new InputError(path, 'no report JSON file in this directory');
  return names.map((name) => join(path, name));
}
