/**
 * Defaults shared by the library, the CLI and the documentation. Each is the value an option
 * takes when neither the command line nor the config file sets it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The package version, read once from package.json. */
export const VERSION: string = (require('../package.json') as { version: string }).version;
export const HOMEPAGE = 'https://github.com/citewatch/citewatch';

export const DEFAULTS = {
  /** Requests in flight across all hosts. */
  concurrency: 64,
  /** Requests in flight at one host. */
  perHostConcurrency: 2,
  /** Minimum milliseconds between two request starts at one host. */
  perHostIntervalMs: 1000,
  /** Whole-request deadline, every hop and the body included. */
  timeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 20_000,
  maxRedirects: 10,
  /** Body bytes read per response: enough for soft-404 analysis. */
  maxBodyBytes: 512 * 1024,
  /** Decompressed bytes read per response (a gzip bomb stops here). */
  maxDecompressedBytes: 2 * 1024 * 1024,
  /** Retries after the first attempt for 408/425/429/5xx, timeouts and resets. */
  retries: 2,
  retryBaseDelayMs: 500,
  /** A `Retry-After` longer than this is not waited out: the link is `blocked`. */
  retryAfterCapMs: 60_000,
  /**
   * The whole run's budget: after it, links not yet checked are reported `skipped` (`run-time`).
   * 5 h lets a GitHub Actions job, killed at 6 h, still write its reports and save its state.
   */
  maxRunTimeMs: 5 * 60 * 60 * 1000,
  /** Dead checks in a row needed for a `dead` verdict. */
  confirm: 3,
  /**
   * Days from one counted dead check to the next (InternetArchiveBot's rule): with `confirm`
   * 3, a link is dead at the earliest 6 days after it was first found dead.
   */
  confirmIntervalDays: 3,
  /** Alive links observed less than this many days ago are not fetched again (without `--full`). */
  recheckAliveDays: 7,
  /** Suspect links are rechecked at most once in this many hours. */
  recheckSuspectHours: 24,
  /** Which links get a Wayback snapshot lookup: `all` checked links, `dead` ones, or `none`. */
  snapshots: 'all' as 'all' | 'dead' | 'none',
  /**
   * A snapshot lookup that found nothing is asked again after this many days (one that found a
   * snapshot is kept: a capture does not move).
   */
  snapshotMissRecheckDays: 30,
  /** Save Page Now captures started per minute (shared by the shards of a sharded run). */
  spnMaxPerMinute: 7,
  out: 'reports',
  formats: ['json', 'md'] as const,
  state: '.citewatch/state.sqlite',
  /** Largest article file read, in bytes. */
  maxInputBytes: 20 * 1024 * 1024,
} as const;

export const ENDPOINTS = {
  doi: 'https://doi.org',
  wayback: 'https://archive.org/wayback/available',
  cdx: 'https://web.archive.org/cdx/search/cdx',
  spn: 'https://web.archive.org/save',
  mediawiki: 'https://en.wikipedia.org/w/api.php',
  eutils: 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils',
  arxiv: 'https://export.arxiv.org/api/query',
} as const;
export type EndpointName = keyof typeof ENDPOINTS;
export type Endpoints = Record<EndpointName, string>;

/** The honest User-Agent the design asks for. */
export const defaultUserAgent = (contact = 'citewatch@users.noreply.github.com'): string =>
  `citewatch/${VERSION} (+${HOMEPAGE}; ${contact})`;
