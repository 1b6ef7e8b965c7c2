/**
 * One `check` run: read every input, extract, audit, report. All inputs are read and
 * extracted before anything is written, so bad input leaves no half-written reports.
 */
import { auditArticle } from './audit/index.js';
import { UsageError } from './errors.js';
import { extractArticle } from './extract/index.js';
import { evaluateFailOn, type FailOnMatch } from './fail-on.js';
import { readArticleFiles } from './input/files.js';
import { type Logger, silentLogger } from './log.js';
import type { Article, Finding, Report, RunInfo } from './model.js';
import type { CheckOptions } from './options.js';
import { buildReport } from './report/build.js';
import { writeReports } from './report/write.js';

export interface RunDeps {
  logger?: Logger;
}

export interface RunResult {
  reports: Report[];
  /** Report files written. */
  written: string[];
  /** What met `--fail-on`; non-empty means exit code 1. */
  failed: FailOnMatch[];
}

/** Reads and extracts every input named in the options. */
export async function loadArticles(
  options: Pick<CheckOptions, 'inputs' | 'inputFormat'>,
): Promise<Article[]> {
  const files = await readArticleFiles(options.inputs);
  return files.map((f) =>
    extractArticle({
      text: f.text,
      path: f.path,
      ...(options.inputFormat !== undefined && { format: options.inputFormat }),
    }),
  );
}

export async function runCheck(options: CheckOptions, deps: RunDeps = {}): Promise<RunResult> {
  const log = deps.logger ?? silentLogger();
  if (options.inputs.length === 0)
    throw new UsageError('nothing to check: give article files or directories');
  const articles = await loadArticles(options);
  log.info({ articles: articles.length }, 'articles read');

  const run: RunInfo = {
    now: options.now,
    offline: true,
    offlineReason: 'requested',
    requests: 0,
    savedByCadence: 0,
  };
  const reports = articles.map((article) => {
    const findings: Finding[] = auditArticle(article, { now: options.now });
    log.info(
      {
        article: article.title,
        references: article.references.length,
        citations: article.citations.length,
        findings: findings.length,
      },
      'article audited',
    );
    return buildReport(article, findings, run);
  });

  const written = await writeReports(options.out, reports, { formats: options.format });
  log.info({ files: written.length, out: options.out }, 'reports written');
  return { reports, written, failed: evaluateFailOn(reports, options.failOn) };
}
