/**
 * The command line: parses arguments and the config file, calls the library, prints, and sets
 * `process.exitCode`. Nothing else in citewatch ends the process.
 *
 * Exit codes: 0 done; 1 the `--fail-on` threshold was met; 2 bad usage, input or environment
 * (an unusable `--out` or `--state`, a report that cannot be written); 3 an unexpected internal
 * error.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { DEFAULTS, ENDPOINTS, VERSION } from './defaults.js';
import { InputError, isCitewatchError, USAGE_ERROR_CODES } from './errors.js';
import { createLogger, LOG_FORMATS, type Logger, type LogSink, resolveLogFormat } from './log.js';
import { runMerge } from './merge.js';
import { INPUT_FORMATS } from './model.js';
import { readConfigFile, resolveCheckOptions } from './options.js';
import { runCheck } from './pipeline.js';
import { ProgressBar, wantsProgress } from './progress.js';
import { DEFAULT_KEEP_DAYS, runPrune } from './prune.js';
import { countLines, defuseCommandLines, escapeLogLine, renderAnnotation } from './report/github.js';
import { renderIssue } from './report/github-issue.js';
import { runUrlOf } from './report/github-limits.js';
import { inGithubActions, writeGithubRunCounts } from './report/github-write.js';
import { reportJsonSchema } from './report/json.js';
import { type ReportLine, reportLine } from './report/line.js';
import { renderSummaryLines } from './report/summary.js';
import { renderTerminalSummary } from './report/terminal.js';
import { assignSlugs, removeTemporaryFiles, writeFileAtomic } from './report/write.js';
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

/**
 * Save Page Now keys: the environment's override the config file's. Trailing whitespace (a
 * secret pasted with its newline) is trimmed; `trimmed` names each value that had some, so the
 * run can say so (a value with a bad character inside is refused by the options).
 */
export function spnCredentials(
  env: Record<string, string | undefined>,
  config: Record<string, unknown>,
): { spn: Record<string, unknown>; trimmed: string[] } {
  const fromConfig = (typeof config.spn === 'object' && config.spn !== null ? config.spn : {}) as Record<
    string,
    unknown
  >;
  const trimmed: string[] = [];
  const trim = (value: unknown, name: string): unknown => {
    if (typeof value !== 'string' || value.trimEnd() === value) return value;
    trimmed.push(name);
    return value.trimEnd();
  };
  const spn: Record<string, unknown> = { ...fromConfig };
  if (env.CITEWATCH_SPN_ACCESS_KEY)
    spn.accessKey = trim(env.CITEWATCH_SPN_ACCESS_KEY, 'CITEWATCH_SPN_ACCESS_KEY');
  else if (spn.accessKey !== undefined) spn.accessKey = trim(spn.accessKey, 'spn.accessKey');
  if (env.CITEWATCH_SPN_SECRET) spn.secret = trim(env.CITEWATCH_SPN_SECRET, 'CITEWATCH_SPN_SECRET');
  else if (spn.secret !== undefined) spn.secret = trim(spn.secret, 'spn.secret');
  return { spn, trimmed };
}

/**
 * Annotations, job summary and outputs of a run inside GitHub Actions, from the line a run
 * keeps of each article (a streaming run no longer holds the reports).
 */
async function reportToGithub(
  io: Io,
  env: Record<string, string | undefined>,
  lines: readonly ReportLine[],
  outDir: string,
  exitCode: number,
): Promise<void> {
  for (const line of lines) for (const a of line.annotations) io.stdout(`${renderAnnotation(a)}\n`);
  await writeGithubRunCounts(env, () => countLines(lines), {
    outDir,
    exitCode,
    summaryMarkdown: () => renderSummaryLines(lines),
  });
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
    .option(
      '--now <iso>',
      "the run's clock, for replays and tests: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.sss]] with Z or ±HH:MM",
    )
    .option(
      '--confirm <n>',
      `dead checks in a row before a link is called dead (default ${DEFAULTS.confirm})`,
    )
    .option(
      '--confirm-interval <days>',
      `days from one counted dead check to the next; sooner ones do not count (default ${DEFAULTS.confirmIntervalDays})`,
    )
    .option(
      '--confirm-span <days>',
      'deprecated: days from the first to the last dead check; read as --confirm-interval DAYS/(N-1)',
    )
    .option(
      '--exclude <pattern>',
      'never check URLs matching this (repeatable): a domain (and its subdomains), a glob with * over the whole URL, or /regex/flags; reported as excluded',
      repeat,
    )
    .option(
      '--include <pattern>',
      'check URLs matching this even when an exclude matches (repeatable)',
      repeat,
    )
    .option(
      '--ignore-file <file>',
      'exclude patterns, one a line, # comments, !pattern re-includes (default: .citewatchignore in the working directory, when present)',
    )
    .option(
      '--accept <statuses>',
      'statuses that count as alive besides 2xx, e.g. 403 or 401..403,429 (repeatable)',
      repeat,
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
    .option(
      '--timeout <ms>',
      `deadline of one link's whole check, from its first request: redirects, retries and Retry-After waits included (default ${DEFAULTS.timeoutMs})`,
    )
    .option(
      '--max-run-time <duration>',
      `budget of the whole run, in ms or with units (90m, 2h); links not checked by then are reported skipped (run-time), never dead, and the reports are still written (default ${DEFAULTS.maxRunTimeMs / 3_600_000}h: a GitHub Actions job is killed at 6 h, this leaves time to write the reports and save the state)`,
    )
    .option('--user-agent <ua>', 'User-Agent sent with every request (default names citewatch and a contact)')
    .addOption(
      new Option(
        '--snapshots <which>',
        `links that get the good Wayback snapshot closest before their citation's date (else after it), to add as an archive copy: all checked links, dead ones, or none (default ${DEFAULTS.snapshots}; a snapshot found is kept in --state, none found is asked again after ${DEFAULTS.snapshotMissRecheckDays} days, a failed lookup next run and never leads to {{dead link}})`,
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
    .addOption(
      new Option('--log-format <format>', 'log lines: auto = human lines on a terminal, NDJSON elsewhere')
        .choices(LOG_FORMATS)
        .default('auto'),
    )
    .addHelpText(
      'after',
      `
Exit codes: 0 done, 1 --fail-on threshold met, 2 bad usage, input or environment (--out or --state
not usable, checked before any request), 3 internal error.
Logs go to stderr: human lines and a closing summary on a terminal, NDJSON elsewhere
(--log-format); stdout stays clean (annotations only, inside GitHub Actions).
A link is dead only after ${DEFAULTS.confirm} dead checks, each ${DEFAULTS.confirmIntervalDays}+ days after the previous (${(DEFAULTS.confirm - 1) * DEFAULTS.confirmIntervalDays}+ days from first to last); before that it is "suspect".

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
      const credentials = spnCredentials(env, config);
      const options = resolveCheckOptions(
        { ...rest, inputs: paths.length ? paths : undefined, spn: credentials.spn },
        config,
      );
      const terminal = io.terminal ?? process.stderr;
      const bar = wantsProgress(options.progress, terminal, env) ? new ProgressBar(terminal) : undefined;
      // Log lines go through the bar (clear, print, redraw) so none lands inside it.
      const logFormat = resolveLogFormat(options.logFormat, terminal);
      const color = logFormat === 'pretty' && terminal.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
      const sink: LogSink | undefined = bar ? bar.sink() : io.terminal;
      const logger: Logger = createLogger({ ...options, logFormat, color }, sink);
      for (const name of credentials.trimmed)
        logger.warn({ credential: name }, 'Save Page Now credential had trailing whitespace: trimmed');
      if (options.confirmSpan !== undefined)
        logger.warn(
          { confirmSpan: options.confirmSpan, confirmInterval: options.confirmInterval },
          '--confirm-span is deprecated: read as --confirm-interval (days from one counted dead check to the next)',
        );
      let result: Awaited<ReturnType<typeof runCheck>>;
      try {
        result = await runCheck(options, {
          logger,
          // The annotations are kept for GitHub Actions only: a long run keeps one line per article.
          annotations: inGithubActions(env),
          ...(bar && { onProgress: (p) => bar.update(p) }),
        });
      } finally {
        bar?.finish();
      }
      for (const m of result.failed)
        logger.warn({ article: m.article, kind: m.kind, count: m.count }, 'fail-on threshold met');
      const code = result.failed.length > 0 ? EXIT.failOn : EXIT.ok;
      if (inGithubActions(env)) await reportToGithub(io, env, result.articles, options.out, code);
      // A person at a terminal gets the gist and where to read more; logs elsewhere stay NDJSON.
      if (logFormat === 'pretty' && !options.quiet) {
        const summaryPath =
          result.written.find((p) => basename(p) === 'summary.md') ?? join(options.out, 'summary.md');
        terminal.write(
          renderTerminalSummary(
            result.articles.map((r) => r.summary),
            { summaryPath, offline: result.articles.some((r) => r.run.offline), color },
          ),
        );
      }
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
      if (inGithubActions(env)) {
        const slugs = assignSlugs(result.reports);
        const lines = result.reports.map((r, i) => reportLine(r, slugs[i]!));
        await reportToGithub(io, env, lines, result.out, code);
      }
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

/**
 * On SIGINT or SIGTERM, removes the temporary files of report writes in progress, then lets
 * the signal end the process as it would have (exit status 130 or 143). The launcher installs
 * it; `main` does not, so a host program keeps its own signal handling.
 */
export function installSignalCleanup(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      removeTemporaryFiles();
      process.kill(process.pid, signal);
    });
}

/** What a subcommand accepts, for the GitHub Action's inputs; `undefined` when there is none. */
export function commandShape(
  name: string,
): { options: ReadonlySet<string>; takesPaths: boolean } | undefined {
  const command = buildProgram(defaultIo, () => {}).commands.find((c) => c.name() === name);
  if (!command) return undefined;
  return {
    options: new Set(command.options.flatMap((o) => (o.long ? [o.long] : []))),
    takesPaths: command.registeredArguments.length > 0,
  };
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], rawIo: Io = defaultIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  // Errors quote paths and titles: nothing of theirs may start a workflow command on stderr.
  const io: Io = { ...rawIo, stderr: (s) => rawIo.stderr(defuseCommandLines(s)) };
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
      io.stderr(`citewatch: ${escapeLogLine(error.message)}\n`);
      return USAGE_ERROR_CODES.has(error.code) ? EXIT.usage : EXIT.internal;
    }
    io.stderr(`citewatch: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.internal;
  }
}
