/**
 * Options of `citewatch check`, validated once at the edge. The config file (JSON) and the
 * command line share one schema; flags override the file; inside the library everything takes
 * the resolved `CheckOptions`.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DEFAULTS } from './defaults.js';
import { ConfigError, UsageError } from './errors.js';
import { InputFormat } from './model.js';
import { REPORT_FORMATS } from './report/write.js';

const csv = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : v;

/** Normalises `--now` (a date or an instant) to an ISO instant. */
const Instant = z.string().transform((v, ctx) => {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t)) {
    ctx.addIssue({ code: 'custom', message: `not an ISO date or time: ${v}` });
    return z.NEVER;
  }
  return new Date(t).toISOString();
});

/** Everything `check` accepts, from the config file or the command line. */
export const CheckOptionsInput = z
  .object({
    /** Article files and directories. */
    inputs: z.array(z.string()).default([]),
    /** Forces the input format instead of detecting it. */
    inputFormat: InputFormat.optional(),
    /** @default 'reports' */
    out: z.string().min(1).default(DEFAULTS.out),
    /** @default ['json', 'md'] */
    format: z.preprocess(csv, z.array(z.enum(REPORT_FORMATS)).min(1)).default([...DEFAULTS.formats]),
    /** Make no network request (articles named with `--wiki` are still fetched). @default false */
    offline: z.boolean().default(false),
    /** The run's clock. @default the real time at start */
    now: Instant.optional(),
    /** Finding kinds (or `dead`, `suspect`, …) that make the exit code 1. @default [] */
    failOn: z.preprocess(csv, z.array(z.string().min(1))).default([]),
    quiet: z.boolean().default(false),
    verbose: z.boolean().default(false),
  })
  .strict();

export type CheckOptions = z.output<typeof CheckOptionsInput> & { now: string };

/** Reads and validates a JSON config file. */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`${path}: cannot read the config file`, { cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${path}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(`${path}: expected a JSON object`);
  return raw as Record<string, unknown>;
}

/**
 * Merges the config file under the command-line flags and validates the result.
 * `realNow` is used when `--now` is not given.
 */
export function resolveCheckOptions(
  flags: Record<string, unknown>,
  config: Record<string, unknown> = {},
  realNow: () => Date = () => new Date(),
): CheckOptions {
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const parsed = CheckOptionsInput.safeParse({ ...config, ...defined });
  if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
  const opts = parsed.data;
  if (opts.quiet && opts.verbose) throw new UsageError('--quiet and --verbose cannot be used together');
  return { ...opts, now: opts.now ?? realNow().toISOString() };
}
