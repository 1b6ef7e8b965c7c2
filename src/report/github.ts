/**
 * GitHub Actions output: workflow-command annotations, step outputs and the job summary.
 * Pure renderers; `github-write.ts` appends them to the files the runner names.
 */
import type { Report } from '../model.js';

/** Escapes the message part of a workflow command (`%`, CR, LF). */
export const escapeCommandData = (s: string): string =>
  s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** Escapes a property value of a workflow command (`%`, CR, LF, `:`, `,`). */
export const escapeCommandProperty = (s: string): string =>
  escapeCommandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * Makes a message safe as one line of a log, where GitHub's runner reads any line that starts
 * with `::` as a workflow command (a file named `x\n::error::…` would raise one): `%`, CR and
 * LF are escaped as in workflow commands, other control characters dropped.
 */
export const escapeLogLine = (s: string): string =>
  escapeCommandData(s).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');

/**
 * Defuses workflow commands in text of several lines that may quote user input (commander's
 * usage errors): a line starting with `::` gets `%3A%3A`.
 */
export const defuseCommandLines = (text: string): string => text.replace(/^(\s*)::/gm, '$1%3A%3A');

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  file: string;
  line: number;
  title: string;
  message: string;
}

/** `::warning file=…,line=…,title=…::message` */
export function renderAnnotation(a: Annotation): string {
  const props = [
    `file=${escapeCommandProperty(a.file)}`,
    `line=${a.line}`,
    `title=${escapeCommandProperty(a.title)}`,
  ].join(',');
  return `::${a.level} ${props}::${escapeCommandData(a.message)}`;
}

/** Annotations for the findings that have a file and a line; `info` findings are left out. */
export function annotationsFor(report: Report): Annotation[] {
  const file = report.article.source.path;
  if (!file) return [];
  const out: Annotation[] = [];
  for (const f of report.findings) {
    const line =
      f.location.line ??
      (f.location.block !== undefined ? report.article.blocks[f.location.block]?.line : undefined) ??
      report.article.references.find((r) => f.referenceIds.includes(r.id))?.line;
    if (line === undefined || f.severity === 'info') continue;
    out.push({
      level: f.severity === 'error' ? 'error' : 'warning',
      file,
      line,
      title: `citewatch: ${f.kind}`,
      message: f.message,
    });
  }
  return out;
}

/** Counts the action exposes as outputs. */
export interface RunCounts {
  dead: number;
  suspect: number;
  blocked: number;
  unsourced: number;
  archived: number;
  newDead: number;
  newUnsourced: number;
}

export function countRun(reports: readonly Report[]): RunCounts {
  return countLines(
    reports.map((r) => ({
      summary: r.summary,
      ...(r.changes && { changes: r.changes }),
      archived: (r.archiveRequests ?? []).filter((a) => a.status === 'captured').length,
    })),
  );
}

/** What `countRun` needs of each article: a streaming run keeps this much (`ReportLine`). */
export interface CountedArticle {
  summary: Report['summary'];
  /** Of its changes, the news counted (a line keeps no more: `LineChanges`). */
  changes?: { readonly newlyDead: readonly unknown[]; readonly newUnsourcedClaims: number };
  /** Save Page Now captures made. */
  archived: number;
}

export function countLines(lines: readonly CountedArticle[]): RunCounts {
  const sum = (pick: (r: CountedArticle) => number) => lines.reduce((n, r) => n + pick(r), 0);
  return {
    dead: sum((r) => r.summary.links.dead),
    suspect: sum((r) => r.summary.links.suspect),
    blocked: sum((r) => r.summary.links.blocked),
    unsourced: sum((r) => r.summary.unsourcedClaims),
    archived: sum((r) => r.archived),
    newDead: sum((r) => r.changes?.newlyDead.length ?? 0),
    newUnsourced: sum((r) => r.changes?.newUnsourcedClaims ?? 0),
  };
}

/**
 * Lines for `$GITHUB_OUTPUT`: `name=value`, or the heredoc form for values with newlines,
 * with a delimiter that cannot occur in the value.
 */
export function renderOutputs(
  outputs: Record<string, string | number>,
  delimiterSeed = 'CITEWATCH_EOF',
): string {
  let text = '';
  for (const [name, raw] of Object.entries(outputs)) {
    const value = String(raw);
    if (!/[\r\n]/.test(value)) {
      text += `${name}=${value}\n`;
      continue;
    }
    let delimiter = delimiterSeed;
    while (value.includes(delimiter)) delimiter += '_';
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return text;
}
