/**
 * The only place that writes report files. Each file is written to a temporary name and
 * renamed, so a crash never leaves half a report behind.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
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

/** Gives each report a unique slug (two articles with one title get `-2`, `-3`, …). */
export function assignSlugs(reports: readonly Report[]): string[] {
  const seen = new Map<string, number>();
  return reports.map((r) => {
    const base = reportSlug(r);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
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
  const slugs = assignSlugs(reports);
  const trend = options.trend ?? [];
  const renders: Array<[string, () => string]> = [];
  reports.forEach((report, i) => {
    if (options.formats.includes('json')) renders.push([`${slugs[i]}.json`, () => renderJson(report)]);
    if (options.formats.includes('md')) renders.push([`${slugs[i]}.md`, () => renderMarkdown(report)]);
  });
  renders.push([
    'summary.md',
    () => renderSummary(reports, { slugs, ...(trend.length > 0 && { trendChart: TREND_FILE }) }),
  ]);
  if (trend.length > 0) renders.push([TREND_FILE, () => renderTrendSvg(trend)]);
  await mkdir(dir, { recursive: true });
  const written: Array<{ tmp: string; path: string }> = [];
  try {
    for (const [name, render] of renders) {
      const path = join(dir, name);
      const tmp = `${path}.${process.pid}.tmp`;
      written.push({ tmp, path });
      await writeFile(tmp, render(), 'utf8');
    }
  } catch (error) {
    await Promise.all(written.map(({ tmp }) => rm(tmp, { force: true })));
    throw error;
  }
  for (const { tmp, path } of written) await rename(tmp, path);
  return written.map(({ path }) => path);
}
