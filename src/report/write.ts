/**
 * The only place that writes report files. Each file is written to a temporary name and
 * renamed, so a crash never leaves half a report behind.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
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
    for (const [k, x] of Object.entries(o)) {
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

/** True when `path` holds a report that says the same as `report` (its stable form). */
async function sameReport(path: string, report: Report): Promise<boolean> {
  const text = await readIfFile(path);
  if (text === undefined) return false;
  try {
    return isDeepStrictEqual(stableForm(JSON.parse(text)), stableForm(JSON.parse(renderJson(report))));
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
 * Writes the per-article reports, `summary.md` and the trend chart. Each file is rendered and
 * written to a temporary name one at a time (a run of thousands of articles never holds all the
 * rendered reports at once: 600 MB for 3500), then all are renamed once every one is written;
 * a rendering or write error removes the temporary files, so nothing half-done is left under a
 * report's name.
 *
 * The folder is often committed every night, so: a report whose JSON in the folder says the
 * same apart from run times (`stableForm`) is left as it is, and when every report is, so are
 * the summary and the chart; files an earlier run listed in `MANIFEST_FILE` and this run does
 * not write are removed. Returns the paths of the run's files (written or left as they were).
 */
export async function writeReports(
  dir: string,
  reports: readonly Report[],
  options: WriteReportsOptions,
): Promise<string[]> {
  const slugs = assignSlugs(reports);
  const trend = options.trend ?? [];
  await mkdir(dir, { recursive: true });
  const previous = await readManifest(dir);
  const renders: Array<[string, (() => string) | undefined]> = [];
  let changed = false;
  for (const [i, report] of reports.entries()) {
    const same = previous.length > 0 && (await sameReport(join(dir, `${slugs[i]}.json`), report));
    const names: Array<[string, () => string]> = [];
    if (options.formats.includes('json')) names.push([`${slugs[i]}.json`, () => renderJson(report)]);
    if (options.formats.includes('md')) names.push([`${slugs[i]}.md`, () => renderMarkdown(report)]);
    for (const [name, render] of names) {
      const keep = same && (await exists(join(dir, name)));
      if (!keep) changed = true;
      renders.push([name, keep ? undefined : render]);
    }
  }
  const names = [...renders.map(([n]) => n), 'summary.md', ...(trend.length > 0 ? [TREND_FILE] : [])];
  const sameSet = isDeepStrictEqual([...previous].sort(), [...names].sort());
  const keepSummary = !changed && sameSet && (await exists(join(dir, 'summary.md')));
  renders.push([
    'summary.md',
    keepSummary
      ? undefined
      : () => renderSummary(reports, { slugs, ...(trend.length > 0 && { trendChart: TREND_FILE }) }),
  ]);
  if (trend.length > 0)
    renders.push([
      TREND_FILE,
      keepSummary && (await exists(join(dir, TREND_FILE))) ? undefined : () => renderTrendSvg(trend),
    ]);
  const written: Array<{ tmp: string; path: string }> = [];
  try {
    for (const [name, render] of renders) {
      if (!render) continue;
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
  const current = new Set(names);
  for (const stale of previous)
    if (!current.has(stale) && (await exists(join(dir, stale)))) await rm(join(dir, stale));
  if (!sameSet)
    await writeFileAtomic(
      join(dir, MANIFEST_FILE),
      `${JSON.stringify({ generator: 'citewatch', files: [...names].sort() }, null, 2)}\n`,
    );
  return renders.map(([name]) => join(dir, name));
}
