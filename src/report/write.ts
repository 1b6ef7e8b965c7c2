/**
 * The only place that writes report files. Each file is written to a temporary name and
 * renamed, so a crash never leaves half a report behind; a failed write removes its temporary
 * files, and so does SIGINT/SIGTERM (`removeTemporaryFiles`, called by the CLI's handlers).
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { lstat, mkdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describeCause, ReportError } from '../errors.js';
import type { Report } from '../model.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSummary, reportSlug, type SummaryOptions } from './summary.js';
import { renderTrendSvg, type TrendChartPoint } from './trend.js';

export const REPORT_FORMATS = ['json', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The file operations a report write needs; tests inject failures (a full disk). */
export interface ReportFs {
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
// `charCodeAt` past the end is NaN: no surrogate.
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** UTF-16 code units encoded and written at a time by `writeUtf8File`. */
const WRITE_CHUNK = 65_536;

/**
 * Writes `text` as UTF-8, the bytes `Buffer.from(text, 'utf8')` holds, a chunk at a time through
 * one small buffer. Encoding the whole text at once (`writeFile`, `writeFileSync`) takes a fresh
 * buffer as large as the file, and touching its pages cost more than the rest of the write: a
 * 3.7 MB JSON report took 18 ms of CPU through `writeFileSync` and 33 ms through `fs/promises`,
 * 2.3 ms this way. A chunk never ends between the two halves of a surrogate pair (each half
 * alone would become U+FFFD). Synchronous, as the rendering just before it.
 */
export function writeUtf8File(path: string, text: string, chunk = WRITE_CHUNK): void {
  // A UTF-16 code unit takes at most 3 bytes of UTF-8; a chunk may take one unit more.
  const buffer = Buffer.allocUnsafeSlow((chunk + 1) * 3);
  const fd = openSync(path, 'w');
  try {
    for (let start = 0; start < text.length; ) {
      let end = Math.min(start + chunk, text.length);
      if (isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end++;
      const bytes = buffer.write(text.slice(start, end), 0, 'utf8');
      for (let written = 0; written < bytes; ) written += writeSync(fd, buffer, written, bytes - written);
      start = end;
    }
  } finally {
    closeSync(fd);
  }
}

const writeUtf8 = async (path: string, text: string): Promise<void> => writeUtf8File(path, text);

const realFs: ReportFs = { writeFile: writeUtf8, rename };

/** Temporary files being written now, for `removeTemporaryFiles` on a signal. */
const pendingTemps = new Set<string>();

/**
 * Report writers with temporary files not yet renamed into place, for `removeTemporaryFiles`:
 * each knows its own (a run of 10,000 articles holds 20,000 until the end, so it keeps their
 * names, not their paths).
 */
const pendingWriters = new Set<ReportWriter>();

/** The temporary name a file is written under before it is renamed to `path`. */
const temporaryPath = (path: string): string => `${path}.${process.pid}.tmp`;

/**
 * Removes the temporary files of writes in progress, synchronously: the CLI calls it from its
 * SIGINT/SIGTERM handlers, where nothing asynchronous gets to run.
 */
export function removeTemporaryFiles(): void {
  for (const tmp of pendingTemps) rmSync(tmp, { force: true });
  pendingTemps.clear();
  for (const writer of pendingWriters)
    for (const tmp of writer.temporaryPaths()) rmSync(tmp, { force: true });
  pendingWriters.clear();
}

/** A failure of the file system (it has an errno code), as opposed to a bug. */
const isSystemError = (e: unknown): boolean =>
  typeof (e as { code?: unknown } | undefined)?.code === 'string' &&
  /^E[A-Z]+$/.test((e as { code: string }).code);

const writeFailure = (path: string, error: unknown): unknown =>
  isSystemError(error)
    ? new ReportError(path, `cannot write (${describeCause(error)})`, { cause: error })
    : error;

export async function writeFileAtomic(path: string, content: string, fs: ReportFs = realFs): Promise<void> {
  const tmp = temporaryPath(path);
  pendingTemps.add(tmp);
  try {
    await fs.writeFile(tmp, content, 'utf8');
    await fs.rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw writeFailure(path, error);
  } finally {
    pendingTemps.delete(tmp);
  }
}

/**
 * Names an article may not take: the run's own files, and names Windows reserves for devices
 * in every folder (`con.md` cannot be created there).
 */
const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'summary',
  'trend',
  'con',
  'prn',
  'aux',
  'nul',
  'conin',
  'conout',
  ...['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '¹', '²', '³'].flatMap((d) => [`com${d}`, `lpt${d}`]),
]);

/**
 * Bytes a slug may take: file names are limited to 255 bytes, and `.json.<pid>.tmp` and a
 * `-N` suffix must still fit (a long Chinese title is 3 bytes a character).
 */
const MAX_SLUG_BYTES = 200;

/** Cuts `s` to at most `max` UTF-8 bytes, on a character boundary. */
function fitBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    out += ch;
  }
  return out.replace(/-+$/, '');
}

/** Names that one case-insensitive file system (macOS, Windows) takes for the same file. */
const folded = (slug: string): string => slug.normalize('NFC').toLowerCase();

/**
 * Gives reports unique slugs one at a time, as a streaming run writes them: two articles with
 * one title get `-2`, `-3`, …, compared case-insensitively as macOS and Windows compare file
 * names; reserved names (`summary`, `trend`, `con`, …) get `-article`.
 */
export class SlugAssigner {
  readonly #taken = new Set<string>();

  next(report: Report): string {
    let base = fitBytes(reportSlug(report), MAX_SLUG_BYTES) || 'article';
    if (RESERVED_SLUGS.has(folded(base)) || base.startsWith('.')) base = `${base}-article`;
    let slug = base;
    for (let n = 2; this.#taken.has(folded(slug)); n++) slug = `${base}-${n}`;
    this.#taken.add(folded(slug));
    return slug;
  }
}

/** Gives each report a unique slug (as `SlugAssigner`, for a whole run at once). */
export function assignSlugs(reports: readonly Report[]): string[] {
  const slugs = new SlugAssigner();
  return reports.map((r) => slugs.next(r));
}

/** File name of the trend chart, next to `summary.md`. */
export const TREND_FILE = 'trend.svg';

export interface WriteReportsOptions extends Omit<SummaryOptions, 'trendChart'> {
  formats: readonly ReportFormat[];
  /** Counts of the last runs: when there are any, `trend.svg` is written and `summary.md` shows it. */
  trend?: readonly TrendChartPoint[];
  /** The file operations (tests inject failures). @default node:fs/promises */
  fs?: ReportFs;
}

/**
 * The list of files citewatch wrote into an out folder, kept in it: the next run removes the
 * ones it no longer writes (reports of renamed or dropped articles), and nothing else.
 */
export const MANIFEST_FILE = '.citewatch-manifest.json';

/** Fields that change with every run without saying anything new about the article. */
const RUN_TIME_KEYS = new Set([
  'generatedAt',
  'checkedAt',
  'cached',
  'streak',
  'requestedAt',
  'fetchedAt',
  'lookedUpAt',
  'previousRunAt',
]);

/**
 * The report without what changes every run by itself: the run's clock, request counts, check
 * times, streak lengths (also as findings quote them), the previous run's time, and when an
 * alive link was last alive. Two reports with equal stable
 * forms say the same about the article.
 */
export function stableForm(report: unknown): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    // `for…in` over parsed JSON (no inherited keys): `Object.entries` made an array per object.
    for (const k in o) {
      const x = o[k];
      if (RUN_TIME_KEYS.has(k)) continue;
      if (k === 'lastAliveAt' && o.verdict === 'alive') continue;
      // Findings quote the streak's length ("4 checks since …"): a count, not news.
      out[k] =
        k === 'message' && typeof x === 'string'
          ? x.replace(/\b\d+( of \d+)? checks?\b/g, 'N checks')
          : strip(x);
    }
    return out;
  };
  const r = strip(report) as Record<string, unknown>;
  const run = r.run as Record<string, unknown> | undefined;
  if (run) r.run = { offline: run.offline, offlineReason: run.offlineReason, shard: run.shard };
  return r;
}

async function readIfFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The names the out folder's manifest lists (none when there is no readable manifest). */
async function readManifest(dir: string): Promise<string[]> {
  const text = await readIfFile(join(dir, MANIFEST_FILE));
  if (text === undefined) return [];
  try {
    const files = (JSON.parse(text) as { files?: unknown }).files;
    // Only plain names: a tampered manifest cannot reach outside the folder.
    return Array.isArray(files)
      ? files.filter(
          (f): f is string => typeof f === 'string' && /^[^/\\]+$/.test(f) && f !== '..' && f !== '.',
        )
      : [];
  } catch {
    return [];
  }
}

/** True when `path` holds a report that says the same as the report `json` renders (its stable form). */
async function sameReport(path: string, json: () => string): Promise<boolean> {
  const text = await readIfFile(path);
  if (text === undefined) return false;
  try {
    return isDeepStrictEqual(stableForm(JSON.parse(text)), stableForm(JSON.parse(json())));
  } catch {
    return false;
  }
}

const exists = async (path: string): Promise<boolean> => {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
};

/**
 * Writes the per-article reports, `summary.md` and the trend chart (see `ReportWriter`).
 * Returns the paths of the run's files (written or left as they were).
 */
export async function writeReports(
  dir: string,
  reports: readonly Report[],
  options: WriteReportsOptions,
): Promise<string[]> {
  const writer = new ReportWriter(dir, options);
  try {
    const slugs: string[] = [];
    for (const report of reports) slugs.push(await writer.add(report));
    return await writer.finish(
      (trendChart) => renderSummary(reports, { slugs, ...(trendChart && { trendChart }) }),
      options.trend,
    );
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * The report files of a streaming run, all or nothing: `add` renders one article's reports to
 * temporary names as soon as it is checked (so the run lets the article go; a run of thousands
 * of articles never holds the rendered reports), `finish` writes `summary.md` and the trend
 * chart and renames every file into place; `abort` (on any error) removes the temporary files,
 * and the folder when this run created it and it is empty. A rendering or write error leaves
 * nothing half-done under a report's name.
 *
 * The folder is often committed every night, so: a report whose JSON in the folder says the
 * same apart from run times (`stableForm`) is left as it is, and when every report is, so are
 * the summary and the chart; files an earlier run listed in `MANIFEST_FILE` and this run does
 * not write are removed. A folder in the way of one file is refused before any file is renamed,
 * so the run's reports are all new or all as they were.
 */
export class ReportWriter {
  readonly #dir: string;
  readonly #options: Pick<WriteReportsOptions, 'formats' | 'fs'>;
  readonly #fs: ReportFs;
  readonly #slugs = new SlugAssigner();
  /**
   * Names of the files written under temporary names, not yet renamed into place. Names, not
   * paths: a run keeps them until its end (the paths are `join(dir, name)` and `temporaryPath`).
   */
  readonly #written: string[] = [];
  /** Every file name of the run, written or kept. */
  readonly #names: string[] = [];
  #previous: string[] | undefined;
  #changed = false;
  #created: 'unknown' | 'yes' | 'no' = 'unknown';

  constructor(dir: string, options: Pick<WriteReportsOptions, 'formats' | 'fs'>) {
    this.#dir = dir;
    this.#options = options;
    this.#fs = options.fs ?? realFs;
  }

  /** Renders `report` (its JSON and Markdown) to temporary files, unless unchanged; returns its slug. */
  async add(report: Report): Promise<string> {
    const slug = this.#slugs.next(report);
    const previous = await this.#open();
    // Rendered once: the comparison with the folder's report and the file written share it.
    let json: string | undefined;
    const renderedJson = (): string => {
      json ??= renderJson(report);
      return json;
    };
    const same = previous.length > 0 && (await sameReport(join(this.#dir, `${slug}.json`), renderedJson));
    const names: Array<[string, () => string]> = [];
    if (this.#options.formats.includes('json')) names.push([`${slug}.json`, renderedJson]);
    if (this.#options.formats.includes('md')) names.push([`${slug}.md`, () => renderMarkdown(report)]);
    for (const [name, render] of names) {
      const keep = same && (await exists(join(this.#dir, name)));
      this.#names.push(name);
      if (keep) continue;
      this.#changed = true;
      await this.#write(name, render);
    }
    return slug;
  }

  /**
   * Writes `summary.md` (given the trend chart's file name when there is one) and the trend
   * chart of `trend` (counts of the last runs, when there are any), unless nothing changed;
   * then renames every file into place, removes the stale files of the manifest and updates it.
   */
  async finish(
    summary: (trendChart: string | undefined) => string,
    trend: readonly TrendChartPoint[] = [],
  ): Promise<string[]> {
    const dir = this.#dir;
    const previous = await this.#open();
    const names = [...this.#names, 'summary.md', ...(trend.length > 0 ? [TREND_FILE] : [])];
    const sameSet = isDeepStrictEqual([...previous].sort(), [...names].sort());
    const keepSummary = !this.#changed && sameSet && (await exists(join(dir, 'summary.md')));
    if (!keepSummary)
      await this.#write('summary.md', () => summary(trend.length > 0 ? TREND_FILE : undefined));
    if (trend.length > 0 && !(keepSummary && (await exists(join(dir, TREND_FILE)))))
      await this.#write(TREND_FILE, () => renderTrendSvg(trend));
    let current = dir;
    let renamed = 0;
    try {
      for (const name of this.#written) {
        current = join(dir, name);
        await this.#fs.rename(temporaryPath(current), current);
        renamed++;
      }
    } catch (error) {
      throw writeFailure(current, error);
    } finally {
      // What is renamed is no longer temporary: a signal or `abort` removes only the rest.
      this.#written.splice(0, renamed);
    }
    pendingWriters.delete(this);
    try {
      const wanted = new Set(names);
      for (const stale of previous)
        if (!wanted.has(stale) && (await exists(join(dir, stale)))) await rm(join(dir, stale));
      if (!sameSet)
        await writeFileAtomic(
          join(dir, MANIFEST_FILE),
          `${JSON.stringify({ generator: 'citewatch', files: [...names].sort() }, null, 2)}\n`,
          this.#fs,
        );
    } catch (error) {
      throw writeFailure(dir, error);
    }
    return names.map((name) => join(dir, name));
  }

  /** Removes what this writer wrote (nothing is under a report's name before `finish`). */
  async abort(): Promise<void> {
    await Promise.all(this.temporaryPaths().map((tmp) => rm(tmp, { force: true })));
    this.#written.length = 0;
    pendingWriters.delete(this);
    // Only when empty: the state database may live in the report folder.
    if (this.#created === 'yes') await rmdir(this.#dir).catch(() => {});
  }

  /** The temporary files written and not yet renamed into place. */
  temporaryPaths(): string[] {
    return this.#written.map((name) => temporaryPath(join(this.#dir, name)));
  }

  /** Creates the folder (once) and reads the manifest an earlier run left in it. */
  async #open(): Promise<string[]> {
    if (this.#previous) return this.#previous;
    if (this.#created === 'unknown') {
      try {
        // `mkdir` answers the first folder it made: none when the folder was there already.
        this.#created = (await mkdir(this.#dir, { recursive: true })) === undefined ? 'no' : 'yes';
      } catch (error) {
        throw writeFailure(this.#dir, error);
      }
    }
    this.#previous = await readManifest(this.#dir);
    return this.#previous;
  }

  async #write(name: string, render: () => string): Promise<void> {
    const path = join(this.#dir, name);
    // A folder in the way of one file would fail its rename after others are renamed: refuse
    // before it is written (nothing is renamed before `finish`).
    const found = await lstat(path).catch(() => undefined);
    if (found?.isDirectory()) throw new ReportError(path, 'a folder is in the way of this report file');
    const tmp = temporaryPath(path);
    this.#written.push(name);
    pendingWriters.add(this);
    try {
      await this.#fs.writeFile(tmp, render(), 'utf8');
    } catch (error) {
      throw writeFailure(path, error);
    }
  }
}
