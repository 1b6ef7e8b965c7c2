/**
 * The Wayback Machine's good capture of a page for a date (a citation's access date), the way
 * InternetArchiveBot asks: the availability API for the capture closest **before** the date,
 * then closest after it (`statuscodes=200,203,206`: a capture of the site's 404 page is no
 * replacement), then the CDX API, which often knows captures the availability API answers
 * empty for. Every answer is validated with zod at this boundary, and every replay URL with
 * `validReplay` (a hostile answer is never a snapshot).
 *
 * A lookup ends in one of three ways, and they mean different things downstream:
 * - `found` — a snapshot to recommend;
 * - `none` — the archive answered and has no good capture (believed for a while, may lead to
 *   `{{dead link}}`);
 * - `failed` — a service did not answer usefully (429, 5xx, timeout, a blocked site, nonsense):
 *   nothing is known, the lookup is retried next run and never leads to `{{dead link}}`.
 */
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { Snapshot } from '../model.js';
import type { Fetcher, FetchResult } from '../net/types.js';
import { validReplay, WaybackTimestamp } from './replay.js';

export interface WaybackEndpoints {
  /** Availability API. @default 'https://archive.org/wayback/available' */
  wayback: string;
  /** CDX API. @default 'https://web.archive.org/cdx/search/cdx' */
  cdx: string;
}

export interface SnapshotLookupOptions {
  /** Captures the CDX API returns, nearest first. @default 10 */
  cdxLimit?: number;
}

/** What one lookup established. */
export type SnapshotAnswer =
  | { status: 'found'; snapshot: Snapshot }
  | { status: 'none' }
  | { status: 'failed'; reason: string };

/** Capture statuses a replacement link may have. */
export const GOOD_CAPTURE_STATUSES: readonly string[] = ['200', '203', '206'];
const GOOD: ReadonlySet<string> = new Set(GOOD_CAPTURE_STATUSES);

/** Largest API answer read: a batch of 50 answers is a few tens of kilobytes. */
const MAX_API_BODY = 1024 * 1024;

const Closest = z.object({
  available: z.boolean(),
  url: z.string().min(1),
  timestamp: WaybackTimestamp,
  status: z.string(),
});

const AvailabilityAnswer = z.object({
  url: z.string().optional(),
  archived_snapshots: z.object({ closest: Closest.optional() }),
});

/** `Wayback-Api-Version: 2` answer to a POST of many queries. */
const BatchAnswer = z.object({
  results: z.array(
    z.object({
      tag: z.union([z.string(), z.number()]).transform(String),
      archived_snapshots: z.object({ closest: Closest.optional() }).optional(),
    }),
  ),
});

/** `output=json`: a header row, then one row per capture; `[]` when there is none. */
const CdxAnswer = z.array(z.array(z.string()));

/** `2024-03-05` or an instant → the Wayback timestamp `20240305000000`. */
export function toWaybackTimestamp(date: string): string {
  const digits = date.replace(/\D/g, '');
  if (digits.length < 8) throw new RangeError(`not a date: ${date}`);
  return digits.slice(0, 14).padEnd(14, '0');
}

/** `20240305123456` → `2024-03-05`. */
export const waybackTimestampDate = (timestamp: string): string =>
  `${timestamp.slice(0, 4)}-${timestamp.slice(4, 6)}-${timestamp.slice(6, 8)}`;

/** Epoch milliseconds of a 14-digit Wayback timestamp (UTC). */
function timestampMs(timestamp: string): number {
  const t = timestamp.padEnd(14, '0');
  return Date.UTC(
    +t.slice(0, 4),
    +t.slice(4, 6) - 1,
    +t.slice(6, 8),
    +t.slice(8, 10),
    +t.slice(10, 12),
    +t.slice(12, 14),
  );
}

function withQuery(base: string, params: Array<[string, string]>): string {
  const u = new URL(base);
  for (const [name] of params) u.searchParams.delete(name);
  for (const [name, value] of params) u.searchParams.append(name, value);
  return u.href;
}

/** Why an answer is no answer; `refused` marks a batch call the service does not take. */
class ServiceFailure extends ApiError {
  readonly refused: boolean;
  constructor(service: string, message: string, refused: boolean, options?: { cause?: unknown }) {
    super(service, message, options);
    this.refused = refused;
  }
}

/** Parses a successful JSON answer, or throws a `ServiceFailure` saying what was wrong. */
function jsonOf(service: string, result: FetchResult): unknown {
  if (result.error) {
    throw new ServiceFailure(service, `request failed (${result.error.kind}: ${result.error.detail})`, false);
  }
  const status = result.status;
  if (status === undefined || status < 200 || status >= 300) {
    // 4xx other than 429 says "not like this"; 429 and 5xx say "not now".
    const refused = status !== undefined && status >= 400 && status < 500 && status !== 429;
    throw new ServiceFailure(service, `HTTP ${status ?? 'no status'} from ${result.url}`, refused);
  }
  if (result.truncated) throw new ServiceFailure(service, `answer larger than ${MAX_API_BODY} bytes`, true);
  try {
    return JSON.parse(result.body.toString('utf8'));
  } catch (cause) {
    throw new ServiceFailure(service, 'answer is not JSON', true, { cause });
  }
}

function validate<T>(service: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ServiceFailure(service, `unexpected answer: ${z.prettifyError(parsed.error)}`, true, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The availability answer's capture as a lookup answer (a hostile replay URL is a failure). */
function closestAnswer(
  closest: z.infer<typeof Closest> | undefined,
  asked: string,
  origins: readonly string[],
): SnapshotAnswer {
  if (!closest?.available || !GOOD.has(closest.status)) return { status: 'none' };
  const checked = validReplay(closest.url, closest.timestamp, { asked, origins });
  if ('problem' in checked) return { status: 'failed', reason: `wayback: ${checked.problem}` };
  return { status: 'found', snapshot: checked.snapshot };
}

type Direction = 'before' | 'after';

/** One availability query: `url=…&timestamp=…&closest=…&statuscodes=…` (also one line of a batch). */
function availabilityParams(url: string, timestamp: string, closest: Direction, tag?: string) {
  const params: Array<[string, string]> = [
    ['url', url],
    ['timestamp', timestamp],
    ['closest', closest],
    ...GOOD_CAPTURE_STATUSES.map((s): [string, string] => ['statuscodes', s]),
  ];
  if (tag !== undefined) params.push(['tag', tag]);
  return params;
}

/** The availability API's closest good capture in one direction (one GET). */
export async function availabilitySnapshot(
  fetcher: Fetcher,
  endpoint: string,
  url: string,
  timestamp: string,
  closest: Direction = 'before',
  origins: readonly string[] = [],
): Promise<SnapshotAnswer> {
  try {
    const result = await fetcher.fetch({
      url: withQuery(endpoint, availabilityParams(url, timestamp, closest)),
      headers: { accept: 'application/json' },
      maxBodyBytes: MAX_API_BODY,
    });
    const answer = validate('wayback', AvailabilityAnswer, jsonOf('wayback', result));
    return closestAnswer(answer.archived_snapshots.closest, url, origins);
  } catch (error) {
    return { status: 'failed', reason: reasonOf(error) };
  }
}

/**
 * The CDX API's good capture for `timestamp`: the nearest before it, else the nearest after
 * (among the `limit` nearest the API returns).
 */
export async function cdxSnapshot(
  fetcher: Fetcher,
  endpoint: string,
  url: string,
  timestamp: string,
  limit: number,
  origins: readonly string[] = [],
): Promise<SnapshotAnswer> {
  try {
    const result = await fetcher.fetch({
      url: withQuery(endpoint, [
        ['url', url],
        ['output', 'json'],
        ['limit', String(limit)],
        ['filter', 'statuscode:(200|203|206)'],
        ['closest', timestamp],
        ['sort', 'closest'],
      ]),
      headers: { accept: 'application/json' },
      maxBodyBytes: MAX_API_BODY,
    });
    const rows = validate('cdx', CdxAnswer, jsonOf('cdx', result));
    if (rows.length === 0) return { status: 'none' };
    const [header, ...captures] = rows;
    const column = (name: string): number => {
      const index = header!.indexOf(name);
      if (index < 0) throw new ServiceFailure('cdx', `the header row has no "${name}" column`, true);
      return index;
    };
    const tsColumn = column('timestamp');
    const originalColumn = column('original');
    const statusColumn = column('statuscode');
    const target = timestampMs(timestamp);
    let before: { timestamp: string; original: string; distance: number } | undefined;
    let after: typeof before;
    for (const row of captures) {
      const ts = row[tsColumn];
      const original = row[originalColumn];
      // The filter asks for good captures only; the check stays here so a server that ignores it cannot slip a 404 capture in.
      if (!ts || !original || !WaybackTimestamp.safeParse(ts).success || !GOOD.has(row[statusColumn] ?? ''))
        continue;
      const delta = timestampMs(ts) - target;
      const candidate = { timestamp: ts, original, distance: Math.abs(delta) };
      if (delta <= 0) {
        if (!before || candidate.distance < before.distance) before = candidate;
      } else if (!after || candidate.distance < after.distance) after = candidate;
    }
    const best = before ?? after;
    if (!best) return { status: 'none' };
    const origin = new URL(endpoint).origin;
    const replay = `${origin === 'https://web.archive.org' || origin === 'http://web.archive.org' ? 'https://web.archive.org' : origin}/web/${best.timestamp}/${best.original}`;
    const checked = validReplay(replay, best.timestamp, { asked: url, origins: [origin, ...origins] });
    if ('problem' in checked) return { status: 'failed', reason: `cdx: ${checked.problem}` };
    return { status: 'found', snapshot: checked.snapshot };
  } catch (error) {
    return { status: 'failed', reason: reasonOf(error) };
  }
}

/** Counters of one client, for logs and the bench. */
export interface WaybackStats {
  /** Lookups asked for. */
  lookups: number;
  /** Availability GETs, availability POSTs (batches) and CDX GETs sent. */
  availabilityGets: number;
  batches: number;
  cdxGets: number;
}

export interface WaybackClientOptions extends SnapshotLookupOptions {
  endpoints: WaybackEndpoints;
  /**
   * Queries per availability POST (`Wayback-Api-Version: 2`); 0 or 1 asks one GET per query.
   * @default 50
   */
  batchSize?: number;
}

interface Pending {
  url: string;
  timestamp: string;
  closest: Direction;
  resolve: (answer: SnapshotAnswer) => void;
}

/**
 * Wayback lookups for a run. Availability queries are sent in batches: a POST of
 * newline-separated queries with `Wayback-Api-Version: 2`, answered `{"results":[{"tag":…,
 * "archived_snapshots":{…}}]}`, as InternetArchiveBot asks. One batch is in flight at a time;
 * the queries that arrive meanwhile make up the next one, so a run's lookups cost a handful of
 * requests instead of one per link. When the service refuses the batch call (a 4xx other than
 * 429, or an answer that does not fit), the client falls back to one GET per query for the
 * rest of the run.
 */
export class WaybackClient {
  readonly #fetcher: Fetcher;
  readonly #endpoints: WaybackEndpoints;
  readonly #batchSize: number;
  readonly #cdxLimit: number;
  readonly #origins: string[];
  #batchRefused = false;
  #pending: Pending[] = [];
  #flushing = false;
  #scheduled = false;
  #tags = 0;
  readonly #stats: WaybackStats = { lookups: 0, availabilityGets: 0, batches: 0, cdxGets: 0 };

  constructor(fetcher: Fetcher, options: WaybackClientOptions) {
    this.#fetcher = fetcher;
    this.#endpoints = options.endpoints;
    this.#batchSize = options.batchSize ?? 50;
    this.#cdxLimit = options.cdxLimit ?? 10;
    this.#origins = [options.endpoints.wayback, options.endpoints.cdx].flatMap((e) => {
      try {
        return [new URL(e).origin];
      } catch {
        return [];
      }
    });
  }

  stats(): WaybackStats {
    return { ...this.#stats };
  }

  /**
   * The good capture of `url` for `date` (ISO date or instant): closest before, then after, then
   * CDX. `failed` when nothing was found and some service failed along the way.
   */
  async find(url: string, date: string): Promise<SnapshotAnswer> {
    this.#stats.lookups++;
    const timestamp = toWaybackTimestamp(date);
    const failures: string[] = [];
    const before = await this.#availability(url, timestamp, 'before');
    if (before.status === 'found') return before;
    if (before.status === 'failed') failures.push(before.reason);
    else {
      // The availability API answered: the capture after the date is the next best.
      const after = await this.#availability(url, timestamp, 'after');
      if (after.status === 'found') return after;
      if (after.status === 'failed') failures.push(after.reason);
    }
    this.#stats.cdxGets++;
    const cdx = await cdxSnapshot(
      this.#fetcher,
      this.#endpoints.cdx,
      url,
      timestamp,
      this.#cdxLimit,
      this.#origins,
    );
    if (cdx.status === 'found') return cdx;
    if (cdx.status === 'failed') failures.push(cdx.reason);
    return failures.length > 0 ? { status: 'failed', reason: failures.join('; ') } : { status: 'none' };
  }

  #availability(url: string, timestamp: string, closest: Direction): Promise<SnapshotAnswer> {
    if (this.#batchSize <= 1 || this.#batchRefused) return this.#single(url, timestamp, closest);
    return new Promise((resolve) => {
      this.#pending.push({ url, timestamp, closest, resolve });
      this.#schedule();
    });
  }

  #single(url: string, timestamp: string, closest: Direction): Promise<SnapshotAnswer> {
    this.#stats.availabilityGets++;
    return availabilitySnapshot(
      this.#fetcher,
      this.#endpoints.wayback,
      url,
      timestamp,
      closest,
      this.#origins,
    );
  }

  /** Flushes after the current turn, so lookups wanted together go together. */
  #schedule(): void {
    if (this.#scheduled || this.#flushing) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.#batchSize);
        if (this.#batchRefused) {
          for (const p of batch) void this.#single(p.url, p.timestamp, p.closest).then(p.resolve);
          continue;
        }
        await this.#send(batch);
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** One POST for `batch`; every entry is resolved, whatever happens. */
  async #send(batch: Pending[]): Promise<void> {
    const byTag = new Map<string, Pending>();
    const lines = batch.map((p) => {
      const tag = String(++this.#tags);
      byTag.set(tag, p);
      return new URLSearchParams(availabilityParams(p.url, p.timestamp, p.closest, tag)).toString();
    });
    this.#stats.batches++;
    let answer: z.infer<typeof BatchAnswer>;
    try {
      const result = await this.#fetcher.fetch({
        url: this.#endpoints.wayback,
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'wayback-api-version': '2',
        },
        body: lines.join('\n'),
        maxBodyBytes: MAX_API_BODY,
      });
      answer = validate('wayback', BatchAnswer, jsonOf('wayback', result));
    } catch (error) {
      if (error instanceof ServiceFailure && error.refused) {
        // The batch call is not taken here: ask one query at a time from now on.
        this.#batchRefused = true;
        for (const p of batch) void this.#single(p.url, p.timestamp, p.closest).then(p.resolve);
        return;
      }
      for (const p of batch) p.resolve({ status: 'failed', reason: reasonOf(error) });
      return;
    }
    for (const result of answer.results) {
      const p = byTag.get(result.tag);
      if (!p) continue;
      byTag.delete(result.tag);
      p.resolve(
        result.archived_snapshots
          ? closestAnswer(result.archived_snapshots.closest, p.url, this.#origins)
          : { status: 'failed', reason: 'wayback: a batch result without archived_snapshots' },
      );
    }
    for (const p of byTag.values())
      p.resolve({ status: 'failed', reason: 'wayback: missing from the batch answer' });
  }
}

/**
 * The good Wayback capture of `url` for `date`, one GET at a time (before, after, CDX):
 * the snapshot, or `undefined` when the archive has none. Throws `ApiError` when the services
 * failed, so a caller never mistakes a failure for "none found".
 */
export async function findSnapshot(
  fetcher: Fetcher,
  endpoints: WaybackEndpoints,
  url: string,
  date: string,
  options: SnapshotLookupOptions = {},
): Promise<Snapshot | undefined> {
  const answer = await new WaybackClient(fetcher, { ...options, endpoints, batchSize: 0 }).find(url, date);
  if (answer.status === 'failed') throw new ApiError('wayback', answer.reason);
  return answer.status === 'found' ? answer.snapshot : undefined;
}
