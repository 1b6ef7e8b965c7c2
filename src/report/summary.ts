/**
 * `summary.md`: every article of the run on one page, worst first, and dead links by host.
 */

import { slugify } from '../core/text.js';
import type { Report } from '../model.js';
import { escapeCell, linkUrl } from './escape.js';
import { type ReportLine, reportLine } from './line.js';

/** What the order of `summary.md` looks at: an article's title and its counts. */
interface Ranked {
  title: string;
  summary: Report['summary'];
}

/** Orders articles so the ones needing most attention come first. */
function byAttention(a: Ranked, b: Ranked): number {
  const score = (r: Ranked) => [
    r.summary.links.dead,
    r.summary.unsourcedClaims,
    r.summary.links.suspect,
    r.summary.findings.error,
  ];
  const sa = score(a);
  const sb = score(b);
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sb[i]! - sa[i]!;
  return a.title.localeCompare(b.title);
}

/** Orders reports so the ones needing most attention come first. */
export const worstFirst = (a: Report, b: Report): number =>
  byAttention({ title: a.article.title, summary: a.summary }, { title: b.article.title, summary: b.summary });

/** The file name (without extension) a report is written under. */
export const reportSlug = (report: Report): string => slugify(report.article.title);

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '(invalid URL)';
  }
}

export interface SummaryOptions {
  /** File name of the trend chart to embed, when there is one. */
  trendChart?: string;
  /** File names (without extension) of the reports, same order; default `reportSlug`. */
  slugs?: readonly string[];
}

export function renderSummary(reports: readonly Report[], options: SummaryOptions = {}): string {
  const slugs = options.slugs;
  return renderSummaryLines(
    reports.map((r, i) => reportLine(r, slugs?.[i] ?? reportSlug(r))),
    options.trendChart === undefined ? {} : { trendChart: options.trendChart },
  );
}

/** `summary.md` from the lines a streaming run keeps of each article (`reportLine`). */
export function renderSummaryLines(
  reports: readonly ReportLine[],
  options: Pick<SummaryOptions, 'trendChart'> = {},
): string {
  const out: string[] = ['# citewatch summary', ''];
  const first = reports[0];
  if (first)
    out.push(
      `Run of ${first.run.now.slice(0, 16).replace('T', ' ')} UTC · ${reports.length} article${reports.length === 1 ? '' : 's'}`,
      '',
    );
  if (reports.some((r) => r.run.offline))
    out.push('> **Offline run:** links were not checked; nothing is reported dead.', '');
  if (options.trendChart)
    out.push(`![Dead, suspect and blocked links over the last runs](${options.trendChart})`, '');

  // The news first: a long summary is cut from the bottom (GitHub's size limits), never the news.
  const news = reports.filter(
    (r) =>
      r.changes &&
      (r.changes.newlyDead.length > 0 || r.changes.recovered.length > 0 || r.changes.newUnsourcedClaims > 0),
  );
  if (news.length) {
    out.push('## New since the last run', '');
    for (const r of news) {
      const c = r.changes!;
      out.push(
        `- [${escapeCell(r.title)}](${r.slug}.md): ${c.newlyDead.length} newly dead, ${c.recovered.length} recovered, ${c.newUnsourcedClaims} new unsourced claim${c.newUnsourcedClaims === 1 ? '' : 's'}`,
      );
      for (const l of c.newlyDead) out.push(`  - dead: ${linkUrl(l.url)}`);
    }
    out.push('');
  }

  const total = (pick: (r: ReportLine) => number) => reports.reduce((n, r) => n + pick(r), 0);
  out.push(
    '| Article | Refs | Unsourced claims | Dead | Suspect | Blocked | Identifier problems | Errors / warnings |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of [...reports].sort(byAttention)) {
    const s = r.summary;
    out.push(
      `| [${escapeCell(r.title)}](${r.slug}.md) | ${s.references} | ${s.unsourcedClaims} | ${s.links.dead} | ${s.links.suspect} | ${s.links.blocked} | ${s.identifiers.invalid + s.identifiers.unresolved} | ${s.findings.error} / ${s.findings.warning} |`,
    );
  }
  out.push(
    `| **All ${reports.length}** | ${total((r) => r.summary.references)} | ${total((r) => r.summary.unsourcedClaims)} | ${total((r) => r.summary.links.dead)} | ${total((r) => r.summary.links.suspect)} | ${total((r) => r.summary.links.blocked)} | ${total((r) => r.summary.identifiers.invalid + r.summary.identifiers.unresolved)} | ${total((r) => r.summary.findings.error)} / ${total((r) => r.summary.findings.warning)} |`,
    '',
  );

  const deadByHost = new Map<string, number>();
  for (const r of reports) {
    for (const url of r.deadUrls) deadByHost.set(hostOf(url), (deadByHost.get(hostOf(url)) ?? 0) + 1);
  }
  if (deadByHost.size) {
    out.push('## Dead links by host', '', '| Host | Dead links |', '| --- | ---: |');
    for (const [host, n] of [...deadByHost].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      out.push(`| ${escapeCell(host)} | ${n} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
