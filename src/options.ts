/**
 * Options of `citewatch check`, validated once at the edge. The config file (JSON) and the
 * command line share one schema; flags override the file; inside the library everything takes
 * the resolved `CheckOptions`.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DEFAULTS, ENDPOINTS, type EndpointName, type Endpoints } from './defaults.js';
import { ConfigError, UsageError } from './errors.js';
import { FAIL_ON_NAMES, unknownFailOnNames } from './fail-on.js';
import { InputFormat } from './model.js';
import { REPORT_FORMATS } from './report/write.js';
import { parseShard } from './scale/index.js';

/** `a,b` → `['a', 'b']` (flags); arrays (config file) pass through. */
export const csv = (v: unknown) =>
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

const ENDPOINT_NAMES = [...Object.keys(ENDPOINTS), 'handle'] as Array<EndpointName | 'handle'>;

/** `NAME=URL` pairs (repeatable flag) or an object (config file) → endpoint overrides. */
const EndpointOverrides = z.preprocess(
  (v) => {
    if (!Array.isArray(v)) return v;
    const out: Record<string, string> = {};
    for (const pair of v) {
      const at = typeof pair === 'string' ? pair.indexOf('=') : -1;
      if (at <= 0) return { [String(pair)]: '' };
      out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
    return out;
  },
  z.record(
    z.string().refine((k) => (ENDPOINT_NAMES as string[]).includes(k), {
      message: `unknown endpoint; known: ${ENDPOINT_NAMES.join(', ')}`,
    }),
    z.url({ protocol: /^https?$/, error: 'expected NAME=URL with an http(s) URL' }),
  ),
);

const count = (min: number) => z.coerce.number().int().min(min);

/** `I/N`, 1 ≤ I ≤ N, parsed by the scale stage's one rule. */
const ShardSpec = z.string().transform((v, ctx) => {
  try {
    return parseShard(v);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Everything `check` accepts, from the config file or the command line. */
export const CheckOptionsInput = z
  .object({
    /** Article files and directories. */
    inputs: z.array(z.string()).default([]),
    /** Article titles fetched from the wiki (`--wiki`, repeatable). */
    wiki: z.array(z.string().trim().min(1)).default([]),
    /** A file of titles, one per line (`#` comments). */
    wikiList: z.string().min(1).optional(),
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
    /** The state database. @default '.citewatch/state.sqlite' */
    state: z.string().min(1).default(DEFAULTS.state),
    /** Dead outcomes in a row for a `dead` verdict. @default 3 */
    confirm: count(1).default(DEFAULTS.confirm),
    /** Days between the first and the last of them. @default 3 */
    confirmSpan: z.coerce.number().min(0).default(DEFAULTS.confirmSpanDays),
    /** Fetch every link, ignoring the recheck cadence. @default false */
    full: z.boolean().default(false),
    /** CIDRs the address guard lets through although they are not public. @default [] */
    allowNetwork: z.array(z.string().min(1)).default([]),
    /** Service base URLs, `NAME=URL`. */
    endpoint: EndpointOverrides.default({}),
    /** @default 64 */
    concurrency: count(1).default(DEFAULTS.concurrency),
    /** @default 2 */
    perHostConcurrency: count(1).default(DEFAULTS.perHostConcurrency),
    /** Milliseconds between request starts at one host. @default 1000 */
    perHostInterval: count(0).default(DEFAULTS.perHostIntervalMs),
    /** Whole-request deadline in milliseconds. @default 30000 */
    timeout: count(1).default(DEFAULTS.timeoutMs),
    userAgent: z.string().trim().min(1).optional(),
    /**
     * Links that get the Wayback snapshot closest to their citation's date: `all` checked links,
     * `dead` ones (and live ones with `archive`), or `none`. @default 'all'
     */
    snapshots: z.enum(['all', 'dead', 'none']).default(DEFAULTS.snapshots),
    /** Ask Save Page Now to capture live sources without a recent snapshot. @default false */
    archive: z.boolean().default(false),
    /** Save Page Now credentials (config file or `CITEWATCH_SPN_ACCESS_KEY` / `CITEWATCH_SPN_SECRET`). */
    spn: z
      .object({
        accessKey: z.string().optional(),
        secret: z.string().optional(),
        /** Captures started per minute. @default 7 */
        maxPerMinute: count(1).optional(),
        /** A snapshot older than this many days does not count. @default 365 */
        maxSnapshotAgeDays: count(1).optional(),
      })
      .strict()
      .default({}),
    /** Write a patched copy of the (one, wikitext) input here. */
    patch: z.string().min(1).optional(),
    /** Check only the URLs of shard I of N (by registrable domain). */
    shard: ShardSpec.optional(),
    /** Progress bar: `auto` shows it on a terminal outside CI. @default 'auto' */
    progress: z.enum(['auto', 'always', 'never']).default('auto'),
    /** Finding kinds (or `dead`, `suspect`, …) that make the exit code 1. @default [] */
    failOn: z.preprocess(csv, z.array(z.string().min(1))).default([]),
    /**
     * After the run, prune the state of history older than this many days that no verdict needs
     * (as `citewatch prune --keep-days`). @default undefined (never)
     */
    pruneDays: count(1).optional(),
    quiet: z.boolean().default(false),
    verbose: z.boolean().default(false),
  })
  .strict();

export type CheckOptions = Omit<z.output<typeof CheckOptionsInput>, 'endpoint'> & {
  now: string;
  /** Every service base URL, overrides applied. */
  endpoints: Endpoints & { handle?: string };
};

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
  const unknown = unknownFailOnNames(opts.failOn);
  if (unknown.length > 0)
    throw new UsageError(`--fail-on: unknown ${unknown.join(', ')}; known: ${FAIL_ON_NAMES.join(', ')}`);
  const { endpoint, ...rest } = opts;
  return {
    ...rest,
    endpoints: { ...ENDPOINTS, ...endpoint } as Endpoints & { handle?: string },
    now: opts.now ?? realNow().toISOString(),
  };
}
