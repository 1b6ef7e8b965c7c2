/**
 * What a run keeps of each article once its report is written: a streaming run lets the
 * report go and keeps this line for `summary.md`, the GitHub annotations, the job summary and
 * the action's outputs. A few hundred bytes, against the 100 KB–1 MB of a whole report.
 */
import type { ChangedLink, Changes, Report, RunInfo, Summary } from '../model.js';
import { type Annotation, annotationsFor } from './github.js';

/**
 * What the run's summaries need of an article's changes: the news (newly dead links, recovered
 * ones, new unsourced claims). The rest of `Changes` is in the article's reports.
 */
export interface LineChanges {
  readonly newlyDead: readonly ChangedLink[];
  readonly recovered: readonly ChangedLink[];
  readonly newUnsourcedClaims: Changes['newUnsourcedClaims'];
}

export interface ReportLine {
  title: string;
  /** File name of the article's reports, without extension. */
  slug: string;
  run: RunInfo;
  summary: Summary;
  changes?: LineChanges;
  /** URLs of the article's dead links, one per cited link (`summary.md` counts them by host). */
  deadUrls: readonly string[];
  /** Save Page Now captures made for the article's links. */
  archived: number;
  /** The GitHub annotations of its findings (empty when it came from no file). */
  annotations: readonly Annotation[];
}

/**
 * Every empty list of every line: a run keeps one line per article, and most lists are empty
 * (an array costs 16 bytes and its own empty store; 10,000 lines held about 3 arrays each).
 */
const NONE: readonly never[] = Object.freeze([]);

const listOrNone = <T>(list: readonly T[]): readonly T[] => (list.length === 0 ? NONE : list);

/**
 * The line of one report. Its strings are copied: a string cut from the article's text (a
 * title, a URL, a quoted message) keeps the whole text alive in V8, and a run keeps the lines
 * of every article (10,000 articles held 200 MB that way). `annotations: false` leaves the
 * annotations out (they are needed inside GitHub Actions only). Of the changes only the news
 * is kept, and empty lists are one shared frozen list.
 */
export function reportLine(report: Report, slug: string, { annotations = true } = {}): ReportLine {
  const deadUrls: string[] = [];
  for (const ref of report.article.references)
    for (const link of ref.links) if (link.check?.verdict === 'dead') deadUrls.push(link.url);
  const changes = report.changes && {
    newlyDead: report.changes.newlyDead,
    recovered: report.changes.recovered,
    newUnsourcedClaims: report.changes.newUnsourcedClaims,
  };
  const own: Omit<ReportLine, 'run'> = JSON.parse(
    JSON.stringify({
      title: report.article.title,
      slug,
      summary: report.summary,
      ...(changes && { changes }),
      deadUrls,
      archived: (report.archiveRequests ?? []).filter((a) => a.status === 'captured').length,
      annotations: annotations ? annotationsFor(report) : [],
    }),
  );
  // One object literal, its fields always in one order: the lines share one hidden class (a
  // spread over the parsed copy left each line a dictionary with a map of its own, 300 bytes).
  const line: ReportLine = {
    title: own.title,
    slug: own.slug,
    run: report.run,
    summary: own.summary,
    deadUrls: listOrNone(own.deadUrls),
    archived: own.archived,
    annotations: listOrNone(own.annotations),
  };
  if (own.changes)
    line.changes = {
      newlyDead: listOrNone(own.changes.newlyDead),
      recovered: listOrNone(own.changes.recovered),
      newUnsourcedClaims: own.changes.newUnsourcedClaims,
    };
  return line;
}
