/**
 * The Wayback Machine's copy of a page closest to a date (a citation's access date): the
 * availability API first, and the CDX API when that answers empty (it often does for pages
 * that are archived). Only captures that were 200, 203 or 206 count — a capture of the
 * site's 404 page is no replacement for the source. Every answer is validated with zod at
 * this boundary; an answer that does not fit is an `ApiError`.
 */
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { Snapshot } from '../model.js';
import type { Fetcher, FetchResult } from '../net/types.js';

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

/** Capture statuses a replacement link may have. */
const GOOD_CAPTURE_STATUSES: ReadonlySet<string> = new Set(['200', '203', '206']);

/** Largest API answer read; both APIs answer in a few kilobytes. */
const MAX_API_BODY = 256 * 1024;

const WAYBACK_TIMESTAMP = /^\d{14}$/;

const AvailabilityAnswer = z.object({
  url: z.string().optional(),
  archived_snapshots: z.object({
    closest: z
      .object({
        available: z.boolean(),
        url: z.string().min(1),
        timestamp: z.string().regex(WAYBACK_TIMESTAMP),
        status: z.string(),
      })
      .optional(),
  }),
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

/** Replay URLs over https: the availability API still answers with `http://web.archive.org/…`. */
function secureReplayUrl(url: string): string {
  return url.replace(/^http:\/\/web\.archive\.org\//i, 'https://web.archive.org/');
}

function withQuery(base: string, params: Record<string, string>): string {
  const u = new URL(base);
  for (const [name, value] of Object.entries(params)) u.searchParams.set(name, value);
  return u.href;
}

/** Parses a successful JSON answer, or throws an `ApiError` saying what was wrong. */
function jsonOf(service: string, result: FetchResult): unknown {
  if (result.error) {
    throw new ApiError(service, `request failed (${result.error.kind}: ${result.error.detail})`);
  }
  if (result.status === undefined || result.status < 200 || result.status >= 300) {
    throw new ApiError(service, `HTTP ${result.status ?? 'no status'} from ${result.url}`);
  }
  if (result.truncated) throw new ApiError(service, `answer larger than ${MAX_API_BODY} bytes`);
  try {
    return JSON.parse(result.body.toString('utf8'));
  } catch (cause) {
    throw new ApiError(service, 'answer is not JSON', { cause });
  }
}

function validate<T>(service: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError(service, `unexpected answer: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** The availability API's closest good capture, if it names one. */
export async function availabilitySnapshot(
  fetcher: Fetcher,
  endpoint: string,
  url: string,
  timestamp: string,
): Promise<Snapshot | undefined> {
  const result = await fetcher.fetch({
    url: withQuery(endpoint, { url, timestamp: timestamp.slice(0, 8) }),
    headers: { accept: 'application/json' },
    maxBodyBytes: MAX_API_BODY,
  });
  const answer = validate('wayback', AvailabilityAnswer, jsonOf('wayback', result));
  const closest = answer.archived_snapshots.closest;
  if (!closest?.available || !GOOD_CAPTURE_STATUSES.has(closest.status)) return undefined;
  return { url: secureReplayUrl(closest.url), timestamp: closest.timestamp };
}

/** The CDX API's good capture nearest to `timestamp`, if there is one. */
export async function cdxSnapshot(
  fetcher: Fetcher,
  endpoint: string,
  url: string,
  timestamp: string,
  limit: number,
): Promise<Snapshot | undefined> {
  const result = await fetcher.fetch({
    url: withQuery(endpoint, {
      url,
      output: 'json',
      limit: String(limit),
      filter: 'statuscode:(200|203|206)',
      closest: timestamp,
      sort: 'closest',
    }),
    headers: { accept: 'application/json' },
    maxBodyBytes: MAX_API_BODY,
  });
  const rows = validate('cdx', CdxAnswer, jsonOf('cdx', result));
  if (rows.length === 0) return undefined;
  const [header, ...captures] = rows;
  const column = (name: string): number => {
    const index = header!.indexOf(name);
    if (index < 0) throw new ApiError('cdx', `the header row has no "${name}" column`);
    return index;
  };
  const tsColumn = column('timestamp');
  const originalColumn = column('original');
  const statusColumn = column('statuscode');
  const target = timestampMs(timestamp);
  let best: { timestamp: string; original: string; distance: number } | undefined;
  for (const row of captures) {
    const ts = row[tsColumn];
    const original = row[originalColumn];
    // The filter asks for good captures only; the check stays here so a server that ignores it cannot slip a 404 capture in.
    if (
      !ts ||
      !original ||
      !WAYBACK_TIMESTAMP.test(ts) ||
      !GOOD_CAPTURE_STATUSES.has(row[statusColumn] ?? '')
    ) {
      continue;
    }
    const distance = Math.abs(timestampMs(ts) - target);
    if (!best || distance < best.distance) best = { timestamp: ts, original, distance };
  }
  if (!best) return undefined;
  const replay = new URL(`/web/${best.timestamp}/${best.original}`, new URL(endpoint).origin);
  return { url: secureReplayUrl(replay.href), timestamp: best.timestamp };
}

/**
 * The good Wayback capture of `url` closest to `date` (ISO date or instant): the availability
 * API, then the CDX API when the first answers empty. `undefined` when neither knows one.
 * Throws `ApiError` when a service fails or answers nonsense.
 */
export async function findSnapshot(
  fetcher: Fetcher,
  endpoints: WaybackEndpoints,
  url: string,
  date: string,
  options: SnapshotLookupOptions = {},
): Promise<Snapshot | undefined> {
  const timestamp = toWaybackTimestamp(date);
  const available = await availabilitySnapshot(fetcher, endpoints.wayback, url, timestamp);
  if (available) return available;
  return cdxSnapshot(fetcher, endpoints.cdx, url, timestamp, options.cdxLimit ?? 10);
}
