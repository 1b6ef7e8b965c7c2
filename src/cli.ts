/**
 * The command line: parses arguments and the config file, calls the library, prints, and sets
 * `process.exitCode`. Nothing else in citewatch ends the process.
 *
 * Exit codes: 0 done; 1 the `--fail-on` threshold was met; 2 bad usage or input;
 * 3 an unexpected internal error.
 */
import { Command, CommanderError, Option } from 'commander';
import { DEFAULTS, ENDPOINTS, VERSION } from './defaults.js';
import { isCitewatchError, USAGE_ERROR_CODES } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { runMerge } from './merge.js';
import { INPUT_FORMATS } from './model.js';
import { readConfigFile, resolveCheckOptions } from './options.js';
import { runCheck } from './pipeline.js';
import { ProgressBar, wantsProgress } from './progress.js';
import { countLines, renderAnnotation } from './report/github.js';
import { inGithubActions, writeGithubRunCounts } from './report/github-write.js';
import { reportJsonSchema } from './report/json.js';
import { type ReportLine, reportLine } from './report/line.js';
import { renderSummaryLines } from './report/summary.js';
import { assignSlugs } from './report/write.js';

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
      setExit(code);
    });

  program
    .command('merge')
    .description('combine the reports of shard runs (--shard I/N) into the reports of one whole run')
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
