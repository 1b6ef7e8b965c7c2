/**
 * Appends the run's job summary and outputs to the files GitHub Actions names in
 * `GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT`.
 */
import { appendFile } from 'node:fs/promises';
import type { Report } from '../model.js';
import { countRun, type RunCounts, renderOutputs } from './github.js';
import { renderSummary } from './summary.js';

export interface GithubEnv {
  GITHUB_ACTIONS?: string;
  GITHUB_STEP_SUMMARY?: string;
  GITHUB_OUTPUT?: string;
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
    await appendFile(env.GITHUB_STEP_SUMMARY, `${run.summaryMarkdown()}\n`, 'utf8');
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
