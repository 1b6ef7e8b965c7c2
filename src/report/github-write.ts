/**
 * Appends the run's job summary and outputs to the files GitHub Actions names in
 * `GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT`.
 */
import { appendFile } from 'node:fs/promises';
import type { Report } from '../model.js';
import { countRun, type RunCounts, renderOutputs } from './github.js';
import { byteLength, cutLines, runUrlOf, STEP_SUMMARY_LIMIT_BYTES } from './github-limits.js';
import { renderSummary } from './summary.js';

export interface GithubEnv {
  GITHUB_ACTIONS?: string;
  GITHUB_STEP_SUMMARY?: string;
  GITHUB_OUTPUT?: string;
  /** With the two below: the run's page, linked from a cut summary. */
  GITHUB_SERVER_URL?: string;
  GITHUB_REPOSITORY?: string;
  GITHUB_RUN_ID?: string;
}

/**
 * The job summary within GitHub's 1 MiB a step (past it GitHub drops the whole summary): whole
 * lines from the top (the news comes first), a too-long line cut on a character boundary, and a
 * line saying where the rest is.
 */
export function boundedStepSummary(markdown: string, env: GithubEnv): string {
  const where = runUrlOf(env as Record<string, string | undefined>);
  const tail = `\n…cut to GitHub's 1 MiB job-summary limit: the whole summary is \`summary.md\` in the reports${where ? ` ([this run](${where}), its \`citewatch-reports\` artifact)` : " (the run's artifact)"}.\n`;
  // 1 KiB of margin: the runner appends a newline, and an editor's view of "1 MiB" may differ.
  return cutLines(markdown, tail, (s) => byteLength(s) <= STEP_SUMMARY_LIMIT_BYTES - 1024);
}

/** The outputs the CLI writes to `$GITHUB_OUTPUT` (and `action.yml` exposes). */
export const ACTION_OUTPUT_NAMES = [
  'report-dir',
  'dead',
  'suspect',
  'blocked',
  'unsourced',
  'archived',
  'new-dead',
  'new-unsourced',
  'exit-code',
] as const;

export const inGithubActions = (env: GithubEnv): boolean => env.GITHUB_ACTIONS === 'true';

export async function writeGithubRunFiles(
  env: GithubEnv,
  reports: readonly Report[],
  run: { outDir: string; exitCode: number; summaryMarkdown?: string },
): Promise<void> {
  await writeGithubRunCounts(env, () => countRun(reports), {
    ...run,
    summaryMarkdown: () => run.summaryMarkdown ?? renderSummary(reports),
  });
}

/** The same from what a streaming run keeps: the run's counts and its `summary.md`. */
export async function writeGithubRunCounts(
  env: GithubEnv,
  counts: () => RunCounts,
  run: { outDir: string; exitCode: number; summaryMarkdown: () => string },
): Promise<void> {
  if (env.GITHUB_STEP_SUMMARY) {
    const summary = boundedStepSummary(run.summaryMarkdown(), env);
    await appendFile(env.GITHUB_STEP_SUMMARY, `${summary}\n`, 'utf8');
  }
  if (env.GITHUB_OUTPUT) {
    const c = counts();
    await appendFile(
      env.GITHUB_OUTPUT,
      renderOutputs({
        'report-dir': run.outDir,
        dead: c.dead,
        suspect: c.suspect,
        blocked: c.blocked,
        unsourced: c.unsourced,
        archived: c.archived,
        'new-dead': c.newDead,
        'new-unsourced': c.newUnsourced,
        'exit-code': run.exitCode,
      }),
      'utf8',
    );
  }
}
