/**
 * What a run keeps of each article once its report is written: a streaming run lets the
 * report go and keeps this line for `summary.md`, the GitHub annotations, the job summary and
 * the action's outputs. A few hundred bytes, against the 100 KB–1 MB of a whole report.
 */
import type { Changes, Report, RunInfo, Summary } from '../model.js';
import { type Annotation, annotationsFor } from './github.js';

export interface ReportLine {
  title: string;
  /** File name of the article's reports, without extension. */
  slug: string;
  run: RunInfo;
  summary: Summary;
  changes?: Changes;
  /** URLs of the article's dead links, one per cited link (`summary.md` counts them by host). */
  deadUrls: string[];
  /** Save Page Now captures made for the article's links. */
  archived: number;
  /** The GitHub annotations of its findings (empty when it came from no file). */
  annotations: Annotation[];
}

/**
 * The line of one report. Its strings are copied: a string cut from the article's text (a
 * title, a URL, a quoted message) keeps the whole text alive in V8, and a run keeps the lines
 * of every article (10,000 articles held 200 MB that way). `annotations: false` leaves the
 * annotations out (they are needed inside GitHub Actions only).
 */
export function reportLine(report: Report, slug: string, { annotations = true } = {}): ReportLine {
  const deadUrls: string[] = [];
  for (const ref of report.article.references)
    for (const link of ref.links) if (link.check?.verdict === 'dead') deadUrls.push(link.url);
  const own: Omit<ReportLine, 'run'> = JSON.parse(
    JSON.stringify({
      title: report.article.title,
      slug,
      summary: report.summary,
      ...(report.changes && { changes: report.changes }),
      deadUrls,
      archived: (report.archiveRequests ?? []).filter((a) => a.status === 'captured').length,
      annotations: annotations ? annotationsFor(report) : [],
    }),
  );
  return { ...own, run: report.run };
}
