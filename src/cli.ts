/**
 * The command line: parses arguments and the config file, calls the library, prints, and sets
 * `process.exitCode`. Nothing else in citewatch ends the process.
 *
 * Exit codes: 0 done; 1 the `--fail-on` threshold was met; 2 bad usage or input;
 * 3 an unexpected internal error.
 */
import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { DEFAULTS, ENDPOINTS, VERSION } from './defaults.js';
import { InputError, isCitewatchError, USAGE_ERROR_CODES } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { runMerge } from './merge.js';
import { INPUT_FORMATS, type Report } from './model.js';
import { readConfigFile, resolveCheckOptions } from './options.js';
import { runCheck } from './pipeline.js';
import { ProgressBar, wantsProgress } from './progress.js';
import { DEFAULT_KEEP_DAYS, runPrune } from './prune.js';
import { annotationsFor, renderAnnotation } from './report/github.js';
import { renderIssue } from './report/github-issue.js';
import { runUrlOf } from './report/github-limits.js';
import { inGithubActions, writeGithubRunFiles } from './report/github-write.js';
import { reportJsonSchema } from './report/json.js';
import { renderSummary } from './report/summary.js';
import { writeFileAtomic } from './report/write.js';
import { readShardReports } from './scale/index.js';

export const EXIT = { ok: 0, failOn: 1, usage: 2, internal: 3 } as const;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Environment (GitHub Actions, CI, Save Page Now keys). @default process.env */
  env?: Record<string, string | undefined>;
  /** Where the progress bar draws. @default process.stderr */
  terminal?: { isTTY?: boolean; columns?: number; write(s: string): unknown };
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

/** A text file's content, or a one-line input error naming it. */
async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError(path, 'cannot be read', { cause });
  }
}

/** Collects a repeatable flag. */
const repeat = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Save Page Now keys from the environment override the config file's. */
function spnFromEnv(env: Record<string, string | undefined>, config: Record<string, unknown>): unknown {
  const fromConfig = (typeof config.spn === 'object' && config.spn !== null ? config.spn : {}) as Record<
    string,
    unknown
  >;
  return {
    ...fromConfig,
    ...(env.CITEWATCH_SPN_ACCESS_KEY && { accessKey: env.CITEWATCH_SPN_ACCESS_KEY }),
    ...(env.CITEWATCH_SPN_SECRET && { secret: env.CITEWATCH_SPN_SECRET }),
  };
}

/** Annotations, job summary and outputs of a run inside GitHub Actions. */
async function reportToGithub(
  io: Io,
  env: Record<string, string | undefined>,
  reports: readonly Report[],
  outDir: string,
  exitCode: number,
): Promise<void> {
  for (const report of reports) for (const a of annotationsFor(report)) io.stdout(`${renderAnnotation(a)}\n`);
  await writeGithubRunFiles(env, reports, { outDir, exitCode, summaryMarkdown: renderSummary(reports) });
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('citewatch')
    .description(
      "Check an article's citations: dead links with archive replacements, missing archives, broken identifiers and unsourced claims.",
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  program
    .command('check')
    .description('check articles and write reports (JSON and Markdown) into --out')
    .argument('[paths...]', 'article files, or directories whose .md/.txt/.html/.wiki files are read')
    .option('--wiki <title>', 'an article to fetch by title from the wiki (repeatable)', repeat)
    .option('--wiki-list <file>', 'a file of article titles, one per line (# starts a comment)')
    .addOption(
      new Option('--input-format <format>', 'force the input format instead of detecting it').choices(
        INPUT_FORMATS,
      ),
    )
    .option('-o, --out <dir>', 'directory for the reports', DEFAULTS.out)
    .option('--format <list>', 'report formats, comma-separated: json,md', DEFAULTS.formats.join(','))
    .option(
      '--offline',
      'check nothing over the network (--wiki articles are still fetched); nothing is reported dead',
    )
    .option('--config <file>', 'JSON config file; command-line flags override it')
    .option('--state <file>', 'the state database that remembers every check', DEFAULTS.state)
    .option('--now <iso>', "the run's clock (ISO date or time), for replays and tests")
    .option(
      '--confirm <n>',
      `dead outcomes in a row before a link is called dead (default ${DEFAULTS.confirm})`,
    )
    .option(
      '--confirm-span <days>',
      `days between the first and last of them (default ${DEFAULTS.confirmSpanDays})`,
    )
    .option(
      '--full',
      `fetch every link, even alive ones checked in the last ${DEFAULTS.recheckAliveDays} days`,
    )
    .option(
      '--allow-network <cidr>',
      'let the checker reach a non-public range, e.g. 10.0.0.0/8 (repeatable)',
      repeat,
    )
    .option(
      '--endpoint <name=url>',
      `point a service elsewhere (repeatable); names: ${[...Object.keys(ENDPOINTS), 'handle'].join(', ')}`,
      repeat,
    )
    .option('--concurrency <n>', `requests in flight across all hosts (default ${DEFAULTS.concurrency})`)
    .option(
      '--per-host-concurrency <n>',
      `requests in flight at one host (default ${DEFAULTS.perHostConcurrency})`,
    )
    .option(
      '--per-host-interval <ms>',
      `milliseconds between request starts at one host (default ${DEFAULTS.perHostIntervalMs})`,
    )
    .option('--timeout <ms>', `whole-request deadline (default ${DEFAULTS.timeoutMs})`)
    .option('--user-agent <ua>', 'User-Agent sent with every request (default names citewatch and a contact)')
    .addOption(
      new Option(
        '--snapshots <which>',
        `links that get the closest Wayback snapshot to their citation's date, to add as an archive copy: all checked links, dead ones, or none (default ${DEFAULTS.snapshots}; a snapshot found is kept in --state, none found is asked again after ${DEFAULTS.snapshotMissRecheckDays} days)`,
      ).choices(['all', 'dead', 'none']),
    )
    .option(
      '--archive',
      'ask Save Page Now to capture live sources without a recent snapshot (keys: CITEWATCH_SPN_ACCESS_KEY, CITEWATCH_SPN_SECRET)',
    )
    .option('--patch <file>', 'write a copy of the (one, wikitext) article with dead links fixed')
    .option('--shard <i/n>', 'check only shard I of N of the links (split by registrable domain)')
    .addOption(
      new Option('--progress <when>', 'progress bar on stderr: auto = on a terminal outside CI')
        .choices(['auto', 'always', 'never'])
        .default('auto'),
    )
    .option(
      '--fail-on <kinds>',
      'exit 1 when findings of these kinds exist: finding kinds or dead, suspect, blocked, unsourced, identifiers, error, warning; new-dead, new-suspect, new-unsourced count only what this run found new',
    )
    .option(
      '--prune-days <n>',
      'after the run, prune the state of history older than N days that no verdict needs (as citewatch prune)',
    )
    .option('-q, --quiet', 'log errors only')
    .option('-v, --verbose', 'log debug detail')
    .addHelpText(
      'after',
      `
Exit codes: 0 done, 1 --fail-on threshold met, 2 bad usage or input, 3 internal error.
Logs are NDJSON on stderr; stdout stays clean (annotations only, inside GitHub Actions).
Links fail only after ${DEFAULTS.confirm} dead checks ${DEFAULTS.confirmSpanDays}+ days apart; before that they are "suspect".

Examples:
  citewatch check references/ --out reports/
  citewatch check --wiki "Link rot" --offline
  citewatch check article.wiki --patch article.fixed.wiki
  citewatch check references/ --shard 2/4 --out reports/shard-2`,
    )
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      const env = io.env ?? process.env;
      const config = typeof flags.config === 'string' ? await readConfigFile(flags.config) : {};
      const { config: _ignored, ...rest } = flags;
      const options = resolveCheckOptions(
        { ...rest, inputs: paths.length ? paths : undefined, spn: spnFromEnv(env, config) },
        config,
      );
      const logger: Logger = createLogger(options);
      const terminal = io.terminal ?? process.stderr;
      const bar = wantsProgress(options.progress, terminal, env) ? new ProgressBar(terminal) : undefined;
      let result: Awaited<ReturnType<typeof runCheck>>;
      try {
        result = await runCheck(options, { logger, ...(bar && { onProgress: (p) => bar.update(p) }) });
      } finally {
        bar?.finish();
      }
      for (const m of result.failed)
        logger.warn({ article: m.article, kind: m.kind, count: m.count }, 'fail-on threshold met');
      const code = result.failed.length > 0 ? EXIT.failOn : EXIT.ok;
      if (inGithubActions(env)) await reportToGithub(io, env, result.reports, options.out, code);
      setExit(code);
    });

  program
    .command('merge')
    .description(
      'combine the reports of shard runs (--shard I/N) into the reports of one whole run (one night: clocks up to 24 h apart, dated by the latest)',
    )
    .argument('<reports...>', 'report JSON files or directories of them, from every shard')
    .requiredOption('-o, --out <dir>', 'directory for the merged reports')
    .option('--format <list>', 'report formats, comma-separated: json,md', DEFAULTS.formats.join(','))
    .option('--confirm <n>', `the --confirm the shard runs used (default ${DEFAULTS.confirm})`)
    .option(
      '--state <file>',
      "a state database for the merged runs (the shards' own states know only their links): keeps the counts, so the merged summary gets its trend chart",
    )
    .option('--fail-on <kinds>', 'as for check')
    .option('-q, --quiet', 'log errors only')
    .option('-v, --verbose', 'log debug detail')
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      const env = io.env ?? process.env;
      const logger: Logger = createLogger({ quiet: flags.quiet === true, verbose: flags.verbose === true });
      const result = await runMerge(paths, flags, { logger });
      const code = result.failed.length > 0 ? EXIT.failOn : EXIT.ok;
      if (inGithubActions(env)) await reportToGithub(io, env, result.reports, result.out, code);
      setExit(code);
    });

  program
    .command('prune')
    .description(
      'shrink the state database: delete observations older than --keep-days that no verdict needs (the current streak of every link is kept), then VACUUM',
    )
    .option('--state <file>', 'the state database', DEFAULTS.state)
    .option('--keep-days <n>', `days of history to keep whole (default ${DEFAULT_KEEP_DAYS})`)
    .option('--now <iso>', 'the clock the days count back from (default: now)')
    .option('-q, --quiet', 'log errors only')
    .option('-v, --verbose', 'log debug detail')
    .action((flags: Record<string, unknown>) => {
      const logger: Logger = createLogger({ quiet: flags.quiet === true, verbose: flags.verbose === true });
      const r = runPrune(flags, { logger });
      const mb = (n: number) => (n / 1_048_576).toFixed(1);
      io.stdout(
        `pruned ${r.state} to ${r.before.slice(0, 10)}: ${r.observations} link and ${r.identifierObservations} identifier observations, ${r.articleStates} article states, ${r.runs} runs, ${r.urls} URLs deleted; ${mb(r.bytesBefore)} MB -> ${mb(r.bytesAfter)} MB\n`,
      );
      setExit(EXIT.ok);
    });

  program
    .command('issue')
    .description(
      "write the body of the link-rot issue from reports: dead links not announced yet first (the previous body says which were), then every dead link; within GitHub's limits",
    )
    .argument('<reports...>', 'report JSON files or directories of them')
    .requiredOption('--body-out <file>', 'where to write the new issue body')
    .option('--previous <file>', 'the current body of the open citewatch issue, if there is one')
    .option('--comment-out <file>', 'where to write a short comment naming the newly announced links')
    .option('--run-url <url>', 'the workflow run, linked for everything the body has no room for')
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      const env = io.env ?? process.env;
      const previous = typeof flags.previous === 'string' ? await readTextFile(flags.previous) : undefined;
      const runUrl = typeof flags.runUrl === 'string' && flags.runUrl !== '' ? flags.runUrl : runUrlOf(env);
      const reports = await readShardReports(paths);
      const issue = renderIssue(reports, {
        ...(previous !== undefined && { previousBody: previous }),
        ...(runUrl !== undefined && { runUrl }),
      });
      await writeFileAtomic(String(flags.bodyOut), issue.body);
      if (typeof flags.commentOut === 'string') await writeFileAtomic(flags.commentOut, issue.comment);
      io.stdout(`fresh=${issue.fresh.length}\ndead=${issue.dead}\nnew-unsourced=${issue.newUnsourced}\n`);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the JSON report')
    .action(() => {
      io.stdout(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
    });

  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    if (isCitewatchError(error)) {
      io.stderr(`citewatch: ${error.message}\n`);
      return USAGE_ERROR_CODES.has(error.code) ? EXIT.usage : EXIT.internal;
    }
    io.stderr(`citewatch: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.internal;
  }
}
