/**
 * The command line: parses arguments and the config file, calls the library, prints, and sets
 * `process.exitCode`. Nothing else in citewatch ends the process.
 *
 * Exit codes: 0 done; 1 the `--fail-on` threshold was met; 2 bad usage or input;
 * 3 an unexpected internal error.
 */
import { Command, CommanderError, Option } from 'commander';
import { DEFAULTS, VERSION } from './defaults.js';
import { isCitewatchError, USAGE_ERROR_CODES } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { INPUT_FORMATS } from './model.js';
import { readConfigFile, resolveCheckOptions } from './options.js';
import { runCheck } from './pipeline.js';
import { reportJsonSchema } from './report/json.js';

export const EXIT = { ok: 0, failOn: 1, usage: 2, internal: 3 } as const;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

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
    .addOption(
      new Option('--input-format <format>', 'force the input format instead of detecting it').choices(
        INPUT_FORMATS,
      ),
    )
    .option('-o, --out <dir>', 'directory for the reports', DEFAULTS.out)
    .option('--format <list>', 'report formats, comma-separated: json,md', DEFAULTS.formats.join(','))
    .option('--offline', 'make no network request; nothing is reported dead')
    .option('--config <file>', 'JSON config file; command-line flags override it')
    .option('--now <iso>', "the run's clock (ISO date or time), for replays and tests")
    .option(
      '--fail-on <kinds>',
      'exit 1 when findings of these kinds exist (e.g. dead,citation-needed,error)',
    )
    .option('-q, --quiet', 'log errors only')
    .option('-v, --verbose', 'log debug detail')
    .addHelpText(
      'after',
      `
Exit codes: 0 done, 1 --fail-on threshold met, 2 bad usage or input, 3 internal error.
Logs are NDJSON on stderr; stdout stays clean.

Example:
  citewatch check references/ --out reports/`,
    )
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      const config = typeof flags.config === 'string' ? await readConfigFile(flags.config) : {};
      const { config: _ignored, ...rest } = flags;
      const options = resolveCheckOptions({ ...rest, inputs: paths.length ? paths : undefined }, config);
      const logger: Logger = createLogger(options);
      const result = await runCheck(options, { logger });
      for (const m of result.failed)
        logger.warn({ article: m.article, kind: m.kind, count: m.count }, 'fail-on threshold met');
      setExit(result.failed.length > 0 ? EXIT.failOn : EXIT.ok);
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
