/**
 * The user's corrections of false positives: exclude and include patterns (flags, config file
 * and an ignore file like `.lycheeignore`), statuses accepted as alive, and per-URL overrides
 * ("treat as alive until DATE, because …"). Compiled once at the edge; matching is pure.
 *
 * A pattern is one of:
 * - `/regex/flags`: a JavaScript regular expression, searched in the whole URL;
 * - a glob when it has `*`, `?` or `/` in it: matched against the whole URL, `*` any run of
 *   characters (slashes included), `?` one character; a glob without a scheme also matches
 *   after `http://` or `https://` (`example.com/private/*`);
 * - otherwise a domain: that host and every subdomain (`example.com` matches
 *   `https://www.example.com/x`).
 *
 * Include patterns win over exclude patterns: they carve exceptions out of broad excludes (they
 * do not mean "only these"). In an ignore file, `!pattern` is an include.
 */
import { UsageError } from '../errors.js';

/** One compiled pattern and where it came from, for reports and errors. */
export interface UrlPattern {
  /** The pattern as written, with where it came from: `--exclude example.com`, `.citewatchignore:3: …`. */
  label: string;
  test(url: string): boolean;
}

/** A URL the user says is alive until a date, whatever the network answers. */
export interface Override {
  pattern: UrlPattern;
  /** ISO date, inclusive: from the next day on, the link is checked again. */
  until: string;
  reason: string;
}

/** What a rule decided for a URL before any request. */
export type RuleDecision =
  | { kind: 'excluded'; rule: string }
  | { kind: 'override'; rule: string; until: string; reason: string };

/** Compiled rules; `decide` and `accepts` are the hot path and check nothing more. */
export interface LinkRules {
  /** What a rule says about `url` (a normalised http(s) URL), or `undefined` to check it. */
  decide(url: string, now: string): RuleDecision | undefined;
  /** The rule accepting this status as alive, e.g. `accept 403`; `undefined` when none does. */
  accepts(status: number): string | undefined;
  /** Overrides whose date has passed (the links are checked again), for a warning. */
  expired(now: string): Override[];
}

/** The sources of the rules, as the options hold them. */
export interface LinkRuleSources {
  exclude?: readonly string[];
  include?: readonly string[];
  /** Lines of the ignore file and its name (for labels and errors). */
  ignoreFile?: { name: string; lines: readonly string[] };
  /** Accepted statuses, e.g. `['200..299', '403']` or `[403]`. */
  accept?: readonly (string | number)[];
  overrides?: readonly { url: string; until: string; reason: string }[];
}

const escapeRegex = (s: string): string => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** A glob as an anchored regular expression: `*` any characters, `?` one. */
function globToRegex(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegex(c))).join('');
  const schemeless = !/^[a-z][a-z0-9+.-]*:\/\//i.test(glob);
  return new RegExp(`^${schemeless ? 'https?://' : ''}${body}$`);
}

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};

/**
 * Compiles one pattern. `where` names its origin for the label and for the one-line error a
 * bad pattern gives (`--exclude`, `.citewatchignore:3`).
 */
export function compilePattern(raw: string, where: string): UrlPattern {
  const pattern = raw.trim();
  const label = `${where}: ${pattern}`;
  if (pattern === '') throw new UsageError(`${where}: empty pattern`);
  const regex = pattern.match(/^\/(.+)\/([a-z]*)$/);
  if (regex) {
    let re: RegExp;
    try {
      re = new RegExp(regex[1]!, regex[2]!.replace(/[gy]/g, ''));
    } catch (cause) {
      throw new UsageError(
        `${where}: not a valid regular expression: ${pattern} (${(cause as Error).message})`,
        {
          cause,
        },
      );
    }
    return { label, test: (url) => re.test(url) };
  }
  if (/[*?/]/.test(pattern)) {
    const re = globToRegex(pattern);
    return { label, test: (url) => re.test(url) };
  }
  if (!/^[\w.-]+(?::\d+)?$/.test(pattern) || !pattern.includes('.'))
    throw new UsageError(
      `${where}: ${pattern} is neither a domain, a glob (with * or /) nor a /regular expression/`,
    );
  const domain = pattern
    .toLowerCase()
    .replace(/^\*?\./, '')
    .replace(/:\d+$/, '');
  return {
    label,
    test: (url) => {
      const host = hostOf(url);
      return host !== undefined && (host === domain || host.endsWith(`.${domain}`));
    },
  };
}

/** `200..299`, `200-299` or `403` → the statuses, validated (100–999). */
export function parseAccept(items: readonly (string | number)[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const item of items) {
    for (const part of String(item)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const m = part.match(/^(\d{3})(?:\s*(?:\.\.=?|-)\s*(\d{3}))?$/);
      const from = m ? Number(m[1]) : Number.NaN;
      const to = m?.[2] !== undefined ? Number(m[2]) : from;
      if (!m || from < 100 || to > 999 || to < from)
        throw new UsageError(`--accept: ${part} is not a status or a range like 200..299`);
      ranges.push([from, to]);
    }
  }
  return ranges;
}

/** The ignore file's patterns: one a line, `#` comments and blank lines skipped, `!` includes. */
function ignoreFilePatterns(file: { name: string; lines: readonly string[] }): {
  exclude: UrlPattern[];
  include: UrlPattern[];
} {
  const exclude: UrlPattern[] = [];
  const include: UrlPattern[] = [];
  file.lines.forEach((line, i) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return;
    const where = `${file.name}:${i + 1}`;
    if (text.startsWith('!')) include.push(compilePattern(text.slice(1), where));
    else exclude.push(compilePattern(text, where));
  });
  return { exclude, include };
}

/** Compiles every rule; a bad pattern, range or date is a `UsageError` naming it. */
export function compileRules(sources: LinkRuleSources): LinkRules {
  const exclude = (sources.exclude ?? []).map((p) => compilePattern(p, 'exclude'));
  const include = (sources.include ?? []).map((p) => compilePattern(p, 'include'));
  if (sources.ignoreFile) {
    const fromFile = ignoreFilePatterns(sources.ignoreFile);
    exclude.push(...fromFile.exclude);
    include.push(...fromFile.include);
  }
  const accepted = parseAccept(sources.accept ?? []);
  const overrides: Override[] = (sources.overrides ?? []).map((o, i) => {
    const where = `overrides[${i}]`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(o.until) || Number.isNaN(Date.parse(o.until)))
      throw new UsageError(`${where}: until must be a date YYYY-MM-DD, got ${o.until}`);
    return { pattern: compilePattern(o.url, where), until: o.until, reason: o.reason };
  });
  // An override lasts through its whole `until` day (UTC).
  const active = (o: Override, now: string): boolean => now.slice(0, 10) <= o.until;
  return {
    decide(url, now) {
      // Most runs have no rule at all: every link of theirs comes through here.
      if (overrides.length === 0 && exclude.length === 0) return undefined;
      const override = overrides.find((o) => active(o, now) && o.pattern.test(url));
      if (override)
        return {
          kind: 'override',
          rule: `${override.pattern.label} (until ${override.until}: ${override.reason})`,
          until: override.until,
          reason: override.reason,
        };
      const excluded = exclude.find((p) => p.test(url));
      if (!excluded || include.some((p) => p.test(url))) return undefined;
      return { kind: 'excluded', rule: excluded.label };
    },
    accepts(status) {
      // 2xx answers are judged by their page (soft 404, parked domain), never by the list.
      if (status >= 200 && status < 300) return undefined;
      const range = accepted.find(([from, to]) => status >= from && status <= to);
      return range ? `accept ${range[0] === range[1] ? range[0] : `${range[0]}..${range[1]}`}` : undefined;
    },
    expired(now) {
      return overrides.filter((o) => !active(o, now));
    },
  };
}

/** No rules at all: everything is checked. */
export const NO_RULES: LinkRules = compileRules({});
