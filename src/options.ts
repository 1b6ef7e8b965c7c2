/**
 * Options of `citewatch check`, validated once at the edge. The config file (JSON) and the
 * command line share one schema; flags override the file; inside the library everything takes
 * the resolved `CheckOptions`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { compileRules, spanToInterval } from './check/index.js';
import { DEFAULTS, ENDPOINTS, type EndpointName, type Endpoints } from './defaults.js';
import { ConfigError, UsageError } from './errors.js';
import { FAIL_ON_NAMES, unknownFailOnNames } from './fail-on.js';
import { LOG_FORMATS } from './log.js';
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

/** `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM[:SS[.sss]]` with `Z` or `±HH:MM`: strict ISO 8601. */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:(Z)|([+-])(\d{2}):(\d{2})))?$/;

/**
 * The instants `--now` may name: the run's clock goes into the history and the reports, and
 * dates are computed from it days and a year either way, all as 4-digit-year ISO strings.
 */
export const NOW_RANGE = { min: '1970-01-01T00:00:00.000Z', max: '9998-12-31T23:59:59.999Z' } as const;

/**
 * Parses a strict ISO 8601 date or time with a real calendar date (`2021-02-30`, `1`,
 * `7/3/2021` are refused, where `Date.parse` guesses) to epoch milliseconds, or `undefined`.
 */
export function parseIsoInstant(v: string): number | undefined {
  const m = ISO_INSTANT.exec(v);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', , sign, oh = '0', om = '0'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number) as number[] &
    [number, number, number, number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const lastDay = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day < 1 || day > lastDay) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || Number(oh) > 23 || Number(om) > 59) return undefined;
  const ms = Number(frac.padEnd(3, '0'));
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  return utc.getTime() - offsetMinutes * 60_000;
}

/** A single value as a list (patterns keep their commas: `/a{1,3}/`). */
const list = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? [v] : v);

/** Normalises `--now` (a date or an instant) to an ISO instant. */
const Instant = z.string().transform((v, ctx) => {
  const t = parseIsoInstant(v);
  if (t === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `not an ISO 8601 date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM[:SS[.sss]] with Z or ±HH:MM): ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  if (t < Date.parse(NOW_RANGE.min) || t > Date.parse(NOW_RANGE.max)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(v)} is out of range: between ${NOW_RANGE.min.slice(0, 10)} and ${NOW_RANGE.max.slice(0, 10)}`,
    });
    return z.NEVER;
  }
  return new Date(t).toISOString();
});

/** `perHostInterval` → `--per-host-interval`: the flag a problem is about, for one-line errors. */
const flagOf = (path: readonly PropertyKey[]): string =>
  path.length === 0
    ? ''
    : `--${String(path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${path
        .slice(1)
        .map((p) => `.${String(p)}`)
        .join('')}: `;

/** Every problem of the options in one line: `--now: …; --concurrency: …`. */
const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => `${flagOf(i.path)}${i.message}`).join('; ');

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

const DURATION_UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * A duration in milliseconds from `90m`, `2h`, `1h30m`, `45s`, `250ms` or a bare number of
 * milliseconds; `undefined` unless it is a whole, positive duration.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value) > 0 ? Number(value) : undefined;
  if (!/^(\d+\s*(ms|h|m|s)\s*)+$/.test(value)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)\s*(ms|h|m|s)/g))
    ms += Number(amount) * DURATION_UNITS[unit!]!;
  return ms > 0 ? ms : undefined;
}

/** A duration: milliseconds (a number, from the config file) or text with units (`90m`, `2h`). */
const Duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? (Number.isInteger(v) && v > 0 ? v : undefined) : parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `not a duration: ${v} (--max-run-time takes milliseconds, or units: 90m, 2h, 1h30m)`,
    });
    return z.NEVER;
  }
  return ms;
});

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
    /** Dead checks in a row for a `dead` verdict. @default 3 */
    confirm: count(1).default(DEFAULTS.confirm),
    /**
     * Days from one counted dead check to the next; a dead check sooner than that does not
     * count. @default 3 (`confirmSpan` is read when this is not given)
     */
    confirmInterval: z.coerce.number().min(0).optional(),
    /**
     * Deprecated: days between the first and the last dead check (the old rule). Read as
     * `confirmInterval = confirmSpan / (confirm - 1)`, which keeps its promise; cannot be combined
     * with `confirmInterval`.
     */
    confirmSpan: z.coerce.number().min(0).optional(),
    /**
     * URL patterns never to check (reported `skipped`, reason `excluded`): a domain, a glob
     * (`*`), or `/regex/flags`. @default []
     */
    exclude: z.preprocess(list, z.array(z.string().trim().min(1))).default([]),
    /** Patterns that win over `exclude` (exceptions, not "only these"). @default [] */
    include: z.preprocess(list, z.array(z.string().trim().min(1))).default([]),
    /**
     * File of exclude patterns, one a line, `#` comments, `!pattern` includes.
     * @default '.citewatchignore' in the working directory, when there is one
     */
    ignoreFile: z.string().min(1).optional(),
    /** Non-2xx statuses that count as alive: `403`, `200..299,403`. @default [] */
    accept: z.preprocess(list, z.array(z.union([z.string(), z.number()]))).default([]),
    /**
     * Per-URL overrides (config file only): the URL (or pattern) is alive until the date,
     * for the reason given, and is not fetched. @default []
     */
    overrides: z
      .array(
        z
          .object({
            url: z.string().trim().min(1),
            until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'),
            reason: z.string().trim().min(1),
          })
          .strict(),
      )
      .default([]),
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
    /**
     * Deadline of one link's whole check in milliseconds, from its first request: redirects,
     * retries and `Retry-After` waits included. @default 30000
     */
    timeout: count(1).default(DEFAULTS.timeoutMs),
    userAgent: z.string().trim().min(1).optional(),
    /**
     * The whole run's budget in milliseconds (text with units accepted: `90m`, `2h`); links not
     * checked by then are reported `skipped` (`run-time`). @default 18000000 (5 h)
     */
    maxRunTime: Duration.default(DEFAULTS.maxRunTimeMs),
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
    /** Log lines: `auto` = human lines on a terminal, NDJSON elsewhere. @default 'auto' */
    logFormat: z.enum(LOG_FORMATS).default('auto'),
  })
  .strict();

export type CheckOptions = Omit<z.output<typeof CheckOptionsInput>, 'endpoint' | 'confirmInterval'> & {
  now: string;
  /** Days from one counted dead check to the next, `confirmSpan` converted when only it was given. */
  confirmInterval: number;
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
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error));
  const opts = parsed.data;
  if (opts.quiet && opts.verbose) throw new UsageError('--quiet and --verbose cannot be used together');
  checkHeaderValues(opts);
  const unknown = unknownFailOnNames(opts.failOn);
  if (unknown.length > 0)
    throw new UsageError(`--fail-on: unknown ${unknown.join(', ')}; known: ${FAIL_ON_NAMES.join(', ')}`);
  if (opts.confirmSpan !== undefined && opts.confirmInterval !== undefined)
    throw new UsageError('--confirm-span is the deprecated form of --confirm-interval: give only one');
  // Patterns, statuses and override dates are checked here, once, for a one-line error.
  compileRules({
    exclude: opts.exclude,
    include: opts.include,
    accept: opts.accept,
    overrides: opts.overrides,
  });
  const { endpoint, ...rest } = opts;
  return {
    ...rest,
    confirmInterval:
      opts.confirmInterval ??
      (opts.confirmSpan !== undefined
        ? spanToInterval(opts.confirmSpan, opts.confirm)
        : DEFAULTS.confirmIntervalDays),
    endpoints: { ...ENDPOINTS, ...endpoint } as Endpoints & { handle?: string },
    now: opts.now ?? realNow().toISOString(),
  };
}

/**
 * What undici refuses in a header value: control characters other than tab, DEL, and anything
 * past Latin-1. Such a value failed every request of the run (each link `skipped`, or a Save
 * Page Now capture retried for minutes); checked here, it is one line and exit 2 instead.
 */
const BAD_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Refuses option values that go into request headers and could not be sent: `--user-agent`
 * and the Save Page Now credentials (never shown: only where the bad character is).
 */
export function checkHeaderValues(opts: {
  userAgent?: string | undefined;
  spn: { accessKey?: string | undefined; secret?: string | undefined };
}): void {
  const rule = 'a header value may hold only tabs and printable characters';
  const bad = (value: string | undefined): { char: string; at: number } | undefined => {
    const found = value === undefined ? null : BAD_HEADER_CHAR.exec(value);
    return found ? { char: codePoint(found[0]), at: found.index } : undefined;
  };
  const ua = bad(opts.userAgent);
  if (ua)
    throw new UsageError(
      `--user-agent (userAgent in the config file): contains ${ua.char} at position ${ua.at + 1}; ${rule}`,
    );
  const credentials = [
    ['CITEWATCH_SPN_ACCESS_KEY', 'spn.accessKey', opts.spn.accessKey],
    ['CITEWATCH_SPN_SECRET', 'spn.secret', opts.spn.secret],
  ] as const;
  for (const [variable, key, value] of credentials) {
    const found = bad(value);
    if (found)
      throw new UsageError(`${variable} (${key} in the config file): contains ${found.char}; ${rule}`);
  }
}

const codePoint = (char: string): string =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The ignore file read when `--ignore-file` is not given, from the working directory. */
export const DEFAULT_IGNORE_FILE = '.citewatchignore';

/**
 * The lines of the ignore file: `path` when given (it must exist), else `.citewatchignore` in
 * `cwd` when there is one, else `undefined`.
 */
export async function readIgnoreFile(
  path: string | undefined,
  cwd: string = process.cwd(),
): Promise<{ name: string; lines: string[] } | undefined> {
  const name = path ?? DEFAULT_IGNORE_FILE;
  let text: string;
  try {
    text = await readFile(resolve(cwd, name), 'utf8');
  } catch (cause) {
    if (path === undefined && (cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(
      `${name}: cannot read the ignore file (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        cause,
      },
    );
  }
  return { name, lines: text.split(/\r?\n/) };
}
