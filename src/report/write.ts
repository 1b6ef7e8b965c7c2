/**
 * The only place that writes report files. Each file is written to a temporary name and
 * renamed, so a crash never leaves half a report behind.
 */
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../model.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSummary, reportSlug, type SummaryOptions } from './summary.js';
import { renderTrendSvg, type TrendChartPoint } from './trend.js';

export const REPORT_FORMATS = ['json', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content, 'utf8');
  await rename(tmp, path);
}

/**
 * Gives reports unique slugs one at a time, as a streaming run writes them (two articles with
 * one title get `-2`, `-3`, …): the same rule as `assignSlugs`.
 */
export class SlugAssigner {
  readonly #seen = new Map<string, number>();

  next(report: Report): string {
    const base = reportSlug(report);
    const n = (this.#seen.get(base) ?? 0) + 1;
    this.#seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  }
}

/** Gives each report a unique slug (two articles with one title get `-2`, `-3`, …). */
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
}

/**
 * Writes the per-article reports, `summary.md` and the trend chart. Each file is rendered and
 * written to a temporary name one at a time (a run of thousands of articles never holds all the
 * rendered reports at once: 600 MB for 3500), then all are renamed once every one is written;
 * a rendering or write error removes the temporary files, so nothing half-done is left under a
 * report's name. Returns the paths written.
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
 * temporary names as soon as it is checked (so the run lets the article go), `finish` writes
 * `summary.md` and the trend chart and renames every file into place; `abort` (on any error)
 * removes the temporary files, and the folder when this run created it and it is empty.
 */
export class ReportWriter {
  readonly #dir: string;
  readonly #options: Pick<WriteReportsOptions, 'formats'>;
  readonly #slugs = new SlugAssigner();
  readonly #written: Array<{ tmp: string; path: string }> = [];
  #created: 'unknown' | 'yes' | 'no' = 'unknown';

  constructor(dir: string, options: Pick<WriteReportsOptions, 'formats'>) {
    this.#dir = dir;
    this.#options = options;
  }

  /** Renders `report` (its JSON and Markdown) to temporary files; returns its slug. */
  async add(report: Report): Promise<string> {
    const slug = this.#slugs.next(report);
    if (this.#options.formats.includes('json')) await this.#write(`${slug}.json`, renderJson(report));
    if (this.#options.formats.includes('md')) await this.#write(`${slug}.md`, renderMarkdown(report));
    return slug;
  }

  /**
   * Writes `summary.md` (given the trend chart's file name when there is one) and the trend
   * chart of `trend` (counts of the last runs, when there are any), then renames every file
   * into place.
   */
  async finish(
    summary: (trendChart: string | undefined) => string,
    trend: readonly TrendChartPoint[] = [],
  ): Promise<string[]> {
    await this.#write('summary.md', summary(trend.length > 0 ? TREND_FILE : undefined));
    if (trend.length > 0) await this.#write(TREND_FILE, renderTrendSvg(trend));
    for (const { tmp, path } of this.#written) await rename(tmp, path);
    return this.#written.map(({ path }) => path);
  }

  /** Removes what this writer wrote (nothing is under a report's name before `finish`). */
  async abort(): Promise<void> {
    await Promise.all(this.#written.map(({ tmp }) => rm(tmp, { force: true })));
    this.#written.length = 0;
    // Only when empty: the state database may live in the report folder.
    if (this.#created === 'yes') await rmdir(this.#dir).catch(() => {});
  }

  async #write(name: string, content: string): Promise<void> {
    if (this.#created === 'unknown') {
      // `mkdir` answers the first folder it made: none when the folder was there already.
      this.#created = (await mkdir(this.#dir, { recursive: true })) === undefined ? 'no' : 'yes';
    }
    const path = join(this.#dir, name);
    const tmp = `${path}.${process.pid}.tmp`;
    this.#written.push({ tmp, path });
    await writeFile(tmp, content, 'utf8');
  }
}
