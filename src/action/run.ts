/**
 * The GitHub Action: reads the `INPUT_*` variables as the runner sets them (upper-cased, hyphens
 * kept: `INPUT_WIKI-LIST`), turns them into a citewatch command line — never through a shell —
 * and runs the CLI in this process. The CLI writes the annotations, the job summary and the
 * step outputs as it does in any workflow; this module adds only what the CLI cannot know: an
 * `::error` for an input that is wrong, and the `exit-code` output when the CLI stopped before
 * writing its own. The exit code is returned, for the entry point to set last.
 */
import { existsSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { commandShape, EXIT, main } from '../cli.js';
import { isCitewatchError, UsageError } from '../errors.js';
import { escapeCommandData, renderOutputs } from '../report/github.js';
import { expandGlob, isGlob } from './glob.js';
import { splitWords } from './words.js';

export type ActionEnv = Record<string, string | undefined>;

export interface ActionIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: ActionEnv;
  /** The workspace the paths are relative to. @default process.cwd() */
  cwd: string;
}

/** An input as the runner passes it: `INPUT_` + the name upper-cased, spaces as `_`, hyphens kept. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

/** The input's value, trimmed; `''` when unset. */
export const readInput = (env: ActionEnv, name: string): string => (env[inputVariable(name)] ?? '').trim();

/**
 * The `paths` input as a list of existing files and directories. Each line is one path when a
 * file of that name exists (so `my articles/a.md` needs no quotes); otherwise the line is split
 * into shell words (`a.md b.md`, `"my notes/*.md"`). A glob must match something and a plain
 * path must exist: anything else is a `UsageError`, not a silently shorter run.
 */
export function resolvePaths(text: string, cwd: string): string[] {
  const onDisk = (p: string): string => (isAbsolute(p) ? p : join(cwd, p));
  const entries: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (existsSync(onDisk(trimmed))) entries.push(trimmed);
    else entries.push(...splitWords(trimmed, 'paths'));
  }
  const paths: string[] = [];
  const missing: string[] = [];
  for (const entry of entries) {
    if (existsSync(onDisk(entry))) paths.push(entry);
    else if (isGlob(entry)) {
      const matches = expandGlob(entry, cwd);
      if (matches.length === 0) missing.push(`${entry} (matches nothing)`);
      paths.push(...matches);
    } else missing.push(entry);
  }
  if (missing.length > 0)
    throw new UsageError(
      `paths: ${missing.length === 1 ? 'not found' : `${missing.length} not found`}: ${missing.join(', ')}`,
    );
  return [...new Set(paths)];
}

export interface ActionCommand {
  argv: string[];
  /** Extra environment for the CLI (the Save Page Now keys). */
  env: ActionEnv;
  /** Values to mask in the log. */
  secrets: string[];
}

/** The citewatch command line the inputs ask for. Throws `UsageError` for inputs that are wrong. */
export function actionCommand(env: ActionEnv, cwd: string): ActionCommand {
  const command = readInput(env, 'command') || 'check';
  const extra = splitWords(env[inputVariable('args')] ?? '', 'args');
  const shape = commandShape(command);
  // An unknown command goes to the CLI as it is: it says so, with its list of commands.
  if (!shape) return { argv: [command, ...extra], env: {}, secrets: [] };
  const argv: string[] = [command];
  const flag = (input: string, option: string, value: string, always = false): void => {
    if (value === '') return;
    if (shape.options.has(option)) argv.push(option, value);
    else if (!always) throw new UsageError(`input ${input} is not an option of \`citewatch ${command}\``);
  };
  const paths = readInput(env, 'paths');
  if (shape.takesPaths && paths !== '') argv.push(...resolvePaths(paths, cwd));
  for (const title of readInput(env, 'wiki').split(/\r?\n/)) flag('wiki', '--wiki', title.trim());
  flag('wiki-list', '--wiki-list', readInput(env, 'wiki-list'));
  // out and state have defaults in action.yml: passed where the command has them, else left out.
  flag('out', '--out', readInput(env, 'out'), true);
  flag('state', '--state', readInput(env, 'state'), true);
  flag('fail-on', '--fail-on', readInput(env, 'fail-on'));
  flag('now', '--now', readInput(env, 'now'));
  const accessKey = readInput(env, 'spn-access-key');
  const secret = readInput(env, 'spn-secret');
  const cliEnv: ActionEnv = {};
  if (accessKey && secret) {
    cliEnv.CITEWATCH_SPN_ACCESS_KEY = accessKey;
    cliEnv.CITEWATCH_SPN_SECRET = secret;
    if (shape.options.has('--archive')) argv.push('--archive');
  } else if (accessKey || secret)
    throw new UsageError('spn-access-key and spn-secret must be given together');
  argv.push(...extra);
  return { argv, env: cliEnv, secrets: [accessKey, secret].filter((s) => s !== '') };
}

/** Writes `exit-code` unless the CLI already did (it does whenever it got as far as a report). */
async function ensureExitCodeOutput(env: ActionEnv, code: number): Promise<void> {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  let written = '';
  try {
    written = readFileSync(file, 'utf8');
  } catch {}
  if (!/^exit-code=/m.test(written)) await appendFile(file, renderOutputs({ 'exit-code': code }), 'utf8');
}

/** Runs the action; returns the exit code for the entry point to set, after every output is written. */
export async function runAction(io: ActionIo): Promise<number> {
  const annotateError = (message: string): void =>
    io.stdout(`::error title=citewatch::${escapeCommandData(message)}\n`);
  let command: ActionCommand;
  try {
    command = actionCommand(io.env, io.cwd);
  } catch (error) {
    // Wrong inputs are exit 2; anything else is a bug, exit 3 — either way with the output set.
    const usage = isCitewatchError(error);
    const message = usage ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
    io.stderr(`citewatch: ${usage ? message : ((error as Error)?.stack ?? message)}\n`);
    annotateError(message);
    const code = usage ? EXIT.usage : EXIT.internal;
    await ensureExitCodeOutput(io.env, code);
    return code;
  }
  for (const s of command.secrets) io.stdout(`::add-mask::${escapeCommandData(s)}\n`);
  // The CLI's own one-line errors ("citewatch: …", commander's "error: …") become annotations too.
  const errors: string[] = [];
  const code = await main(command.argv, {
    stdout: io.stdout,
    stderr: (s) => {
      for (const line of s.split('\n'))
        if (/^(citewatch: |error: )/.test(line)) errors.push(line.replace(/^citewatch: /, ''));
      io.stderr(s);
    },
    env: { ...io.env, ...command.env },
  });
  if (code >= EXIT.usage && errors.length > 0) annotateError(errors[0]!);
  await ensureExitCodeOutput(io.env, code);
  return code;
}
