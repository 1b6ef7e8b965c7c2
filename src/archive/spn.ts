/**
 * Save Page Now 2 client: asks the Internet Archive to capture live sources that have no
 * recent snapshot. `POST {spn}` with the URL, then poll `GET {spn}/status/{job_id}` until the
 * job succeeds or fails. Captures are spaced out (at most `maxPerMinute`, never in a burst);
 * a busy session is waited out and retried a few times; what cannot finish in this run stays
 * `pending` in the history for the next one. Requests go through the injected `Fetcher`; the
 * credentials go only into the `Authorization` header, never into logs or results.
 */

import type { Logger } from 'pino';
import { z } from 'zod';
import { DEFAULTS, ENDPOINTS } from '../defaults.js';
import type { ArchiveJob } from '../history/index.js';
import type { ArchiveRequest, Link, Snapshot } from '../model.js';
import type { Fetcher, FetchResult } from '../net/types.js';
import { validReplay } from './replay.js';

/** Where captures and job states are kept between runs (the history store fits). */
export interface CaptureStore {
  latestSnapshot(url: string): Snapshot | undefined;
  archiveJob(url: string): ArchiveJob | undefined;
  saveArchiveJob(job: ArchiveJob): void;
  recordSnapshot(url: string, snapshot: Snapshot, source: 'capture'): void;
}

export interface SpnOptions {
  fetcher: Fetcher;
  /** Save Page Now base URL. @default 'https://web.archive.org/save' */
  endpoint?: string;
  /** Internet Archive S3-style access key. */
  accessKey: string;
  secret: string;
  /** Epoch milliseconds. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Capture requests started in any 60 s, spread evenly. @default 7 */
  maxPerMinute?: number;
  /** SPN's `if_not_archived_within`: a capture this recent is returned instead of a new one. @default '30d' */
  ifNotArchivedWithin?: string;
  /** @default 5000 */
  pollIntervalMs?: number;
  /** Status polls per job before leaving it `pending` for the next run. @default 24 */
  maxPolls?: number;
  /** Submissions of one URL in one run (a busy session or overload is retried). @default 3 */
  maxAttempts?: number;
  /** First wait before a retry; doubles each time (a `Retry-After` wins). @default 60000 */
  retryDelayMs?: number;
  /** Captures in progress at once. @default 3 */
  concurrency?: number;
  /** A snapshot older than this does not count: the link is captured again. @default 365 */
  maxSnapshotAgeDays?: number;
  /** A URL refused or failed in an earlier run is not sent again before this. @default 30 */
  retryRefusedAfterDays?: number;
  /** Replay prefix of the snapshot URLs. @default 'https://web.archive.org/web/' */
  replayBase?: string;
  store?: CaptureStore;
  logger?: Logger;
}

/** A link as the archive stage sees it. */
export type CaptureCandidate = Pick<Link, 'url'> & Partial<Pick<Link, 'role' | 'check'>>;

// -- SPN answers, validated --------------------------------------------------------------------

const SubmitAnswer = z.looseObject({
  job_id: z.string().min(1).optional(),
  url: z.string().optional(),
  status: z.string().optional(),
  status_ext: z.string().optional(),
  message: z.string().optional(),
});

const StatusAnswer = z.looseObject({
  status: z.enum(['pending', 'success', 'error']),
  job_id: z.string().optional(),
  original_url: z.string().optional(),
  timestamp: z
    .string()
    .regex(/^\d{14}$/)
    .optional(),
  status_ext: z.string().optional(),
  message: z.string().optional(),
});

/** Failures worth another try in the same run, after a wait. */
export const SPN_RETRY_NOW: ReadonlySet<string> = new Set([
  'error:user-session-limit',
  'error:too-many-requests',
  'error:overloaded',
  'error:no-browsers-available',
  'error:celery',
  'error:service-unavailable',
  'error:bad-gateway',
  'error:gateway-timeout',
  'error:internal-server-error',
  'error:proxy-error',
  'error:soft-time-limit-exceeded',
  'error:browsing-timeout',
  'error:read-timeout',
  'error:capture-location-error',
  'error:job-failed',
]);

/** Failures that only time cures: kept `pending` for the next run, not retried now. */
export const SPN_RETRY_NEXT_RUN: ReadonlySet<string> = new Set([
  'error:too-many-daily-captures',
  'error:bandwidth-limit-exceeded',
]);

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Spaces request starts: at most `max` in any 60 s window and at least 60/`max` s apart, so
 * the allowance is never spent in one burst. Waiters are served in order.
 */
export class CaptureRateLimiter {
  readonly #starts: number[] = [];
  readonly #max: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #tail: Promise<void> = Promise.resolve();

  constructor(maxPerMinute: number, now: () => number, sleep: (ms: number) => Promise<void>) {
    if (!(maxPerMinute > 0)) throw new RangeError(`maxPerMinute must be positive, got ${maxPerMinute}`);
    this.#max = maxPerMinute;
    this.#now = now;
    this.#sleep = sleep;
  }

  /** Resolves when the caller may start its request (the start is counted then). */
  acquire(): Promise<void> {
    const turn = this.#tail.then(() => this.#waitTurn());
    this.#tail = turn;
    return turn;
  }

  async #waitTurn(): Promise<void> {
    for (;;) {
      const now = this.#now();
      const last = this.#starts[this.#starts.length - 1];
      // A fractional rate (shards share one) has no whole window: its spacing is the limit.
      const inWindow = Math.floor(this.#max);
      const windowStart =
        inWindow >= 1 && this.#starts.length >= inWindow
          ? this.#starts[this.#starts.length - inWindow]
          : undefined;
      const earliest = Math.max(
        last === undefined ? now : last + MINUTE_MS / this.#max,
        windowStart === undefined ? now : windowStart + MINUTE_MS,
      );
      if (earliest <= now) break;
      // Whole milliseconds, rounded up: the spacing is never a fraction short.
      await this.#sleep(Math.ceil(earliest - now));
    }
    this.#starts.push(this.#now());
    // The window's starts, and always the last one (the spacing counts from it).
    if (this.#starts.length > Math.max(1, Math.floor(this.#max))) this.#starts.shift();
  }
}

// -- one capture ---------------------------------------------------------------------------------

/** How an attempt ended; `retry` asks for another attempt after a wait. */
type Step =
  | { kind: 'captured'; snapshot: Snapshot; jobId?: string }
  | { kind: 'retry'; reason: string; delayMs?: number; jobId?: string }
  | { kind: 'later'; reason: string; jobId?: string }
  | { kind: 'refused'; reason: string; message?: string; jobId?: string }
  | { kind: 'error'; reason: string; message?: string; jobId?: string }
  | { kind: 'unauthorized'; reason: string }
  | { kind: 'skipped'; reason: string };
/** What a submission answered: a job to poll, or already an end. */
type Submitted = { kind: 'job'; jobId: string } | Step;
/** An end that needs no more attempts. */
type Settled = Exclude<Step, { kind: 'retry' }>;
type Failure = Extract<Step, { kind: 'retry' | 'later' | 'refused' | 'error' }>;

interface Resolved {
  endpoint: string;
  authorization: string;
  ifNotArchivedWithin: string;
  pollIntervalMs: number;
  maxPolls: number;
  maxAttempts: number;
  retryDelayMs: number;
  replayBase: string;
}

const parseJson = (result: FetchResult): unknown => {
  try {
    return JSON.parse(result.body.toString('utf8'));
  } catch {
    return undefined;
  }
};

/** What an HTTP failure means for a request to SPN. */
function httpFailure(result: FetchResult): Step | undefined {
  if (result.error) return { kind: 'retry', reason: `network-${result.error.kind}` };
  const status = result.status ?? 0;
  if (status === 401 || status === 403) return { kind: 'unauthorized', reason: `http-${status}` };
  if (status === 429 || status >= 500)
    return {
      kind: 'retry',
      reason: `http-${status}`,
      ...(result.retryAfterMs !== undefined && { delayMs: result.retryAfterMs }),
    };
  if (status < 200 || status >= 300) return { kind: 'refused', reason: `http-${status}` };
  return undefined;
}

/** A failure named by SPN's `status_ext`, sorted into retry now, retry next run, or final. */
function spnFailure(
  statusExt: string | undefined,
  message: string | undefined,
  final: 'refused' | 'error',
): Failure {
  const reason = statusExt ?? 'spn-error';
  if (SPN_RETRY_NOW.has(reason)) return { kind: 'retry', reason };
  if (SPN_RETRY_NEXT_RUN.has(reason)) return { kind: 'later', reason };
  return { kind: final, reason, ...(message !== undefined && { message }) };
}

async function submit(fetcher: Fetcher, url: string, o: Resolved): Promise<Submitted> {
  const result = await fetcher.fetch({
    url: o.endpoint,
    method: 'POST',
    headers: {
      accept: 'application/json',
      authorization: o.authorization,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ url, if_not_archived_within: o.ifNotArchivedWithin }).toString(),
    followRedirects: false,
  });
  const failure = httpFailure(result);
  if (failure) return failure;
  const parsed = SubmitAnswer.safeParse(parseJson(result));
  if (!parsed.success) return { kind: 'error', reason: 'invalid-response' };
  const answer = parsed.data;
  if (answer.job_id) return { kind: 'job', jobId: answer.job_id };
  // A 200 without a job is a refusal (robots, blocked URL, quota), however it is worded.
  if (answer.status_ext) return spnFailure(answer.status_ext, answer.message, 'refused');
  return {
    kind: 'refused',
    reason: 'no-job-id',
    ...(answer.message !== undefined && { message: answer.message }),
  };
}

async function pollOnce(
  fetcher: Fetcher,
  jobId: string,
  url: string,
  o: Resolved,
): Promise<Step | 'pending'> {
  const result = await fetcher.fetch({
    url: `${o.endpoint}/status/${encodeURIComponent(jobId)}`,
    headers: { accept: 'application/json', authorization: o.authorization },
    followRedirects: false,
  });
  const failure = httpFailure(result);
  if (failure?.kind === 'unauthorized') return failure;
  // A status request that failed says nothing about the job: ask again at the next poll.
  if (failure) return 'pending';
  const parsed = StatusAnswer.safeParse(parseJson(result));
  if (!parsed.success) return { kind: 'error', reason: 'invalid-response', jobId };
  const answer = parsed.data;
  if (answer.status === 'pending') return 'pending';
  if (answer.status === 'error') return { ...spnFailure(answer.status_ext, answer.message, 'error'), jobId };
  if (answer.timestamp === undefined) return { kind: 'error', reason: 'invalid-response', jobId };
  const original = answer.original_url ?? url;
  // The replay URL is written into reports and articles: only the exact replay shape is taken.
  const checked = validReplay(`${o.replayBase}${answer.timestamp}/${original}`, answer.timestamp, {
    asked: url,
    origins: [o.replayBase, o.endpoint],
  });
  if ('problem' in checked) return { kind: 'error', reason: 'invalid-response', jobId };
  return { kind: 'captured', jobId, snapshot: checked.snapshot };
}

async function poll(
  fetcher: Fetcher,
  jobId: string,
  url: string,
  o: Resolved,
  sleep: (ms: number) => Promise<void>,
): Promise<Step> {
  for (let i = 0; i < o.maxPolls; i++) {
    await sleep(o.pollIntervalMs);
    const step = await pollOnce(fetcher, jobId, url, o);
    if (step !== 'pending') return step;
  }
  return { kind: 'later', reason: 'poll-timeout', jobId };
}

// -- the run ----------------------------------------------------------------------------------

/** Whether a link should be captured: a live source with no snapshot, or only an old one. */
export function needsCapture(link: CaptureCandidate, nowMs: number, maxSnapshotAgeDays: number): boolean {
  if (link.role === 'archive' || link.role === 'identifier') return false;
  if (link.check?.verdict !== 'alive') return false;
  const snapshot = link.check.snapshot;
  return snapshot === undefined || snapshotAgeDays(snapshot, nowMs) > maxSnapshotAgeDays;
}

/** Days since a snapshot's Wayback timestamp (a shorter one, `2020` or `202003`, means its start). */
export function snapshotAgeDays(snapshot: Snapshot, nowMs: number): number {
  const t = snapshot.timestamp;
  const part = (from: number, length: number, missing: number): number =>
    t.length >= from + length ? Number(t.slice(from, from + length)) : missing;
  const ms = Date.UTC(
    part(0, 4, 1970),
    part(4, 2, 1) - 1,
    part(6, 2, 1),
    part(8, 2, 0),
    part(10, 2, 0),
    part(12, 2, 0),
  );
  return (nowMs - ms) / DAY_MS;
}

/**
 * Requests captures of the live links that need one and waits for them (within the poll
 * budget). One `ArchiveRequest` per URL sent or skipped on purpose; links that need no
 * capture (dead, suspect, blocked, skipped, or recently archived) are not listed.
 */
export async function requestCaptures(
  links: readonly CaptureCandidate[],
  options: SpnOptions,
): Promise<ArchiveRequest[]> {
  const o: Resolved = {
    endpoint: (options.endpoint ?? ENDPOINTS.spn).replace(/\/+$/, ''),
    authorization: `LOW ${options.accessKey}:${options.secret}`,
    ifNotArchivedWithin: options.ifNotArchivedWithin ?? '30d',
    pollIntervalMs: options.pollIntervalMs ?? 5000,
    maxPolls: options.maxPolls ?? 24,
    maxAttempts: Math.max(1, options.maxAttempts ?? 3),
    retryDelayMs: options.retryDelayMs ?? MINUTE_MS,
    replayBase: options.replayBase ?? 'https://web.archive.org/web/',
  };
  const { fetcher, now, sleep, store, logger } = options;
  const maxSnapshotAgeDays = options.maxSnapshotAgeDays ?? 365;
  const retryRefusedAfterDays = options.retryRefusedAfterDays ?? 30;
  const iso = (): string => new Date(now()).toISOString();

  const queue: string[] = [];
  const seen = new Set<string>();
  for (const link of links) {
    if (seen.has(link.url) || !needsCapture(link, now(), maxSnapshotAgeDays)) continue;
    seen.add(link.url);
    const known = store?.latestSnapshot(link.url);
    if (known && snapshotAgeDays(known, now()) <= maxSnapshotAgeDays) continue;
    queue.push(link.url);
  }

  const results = new Map<string, ArchiveRequest>();
  if (!options.accessKey || !options.secret) {
    for (const url of queue)
      results.set(url, { url, status: 'skipped', reason: 'no-credentials', requestedAt: iso() });
    logger?.warn({ urls: queue.length }, 'Save Page Now: no credentials, nothing captured');
    return queue.map((url) => results.get(url)!);
  }

  const limiter = new CaptureRateLimiter(options.maxPerMinute ?? DEFAULTS.spnMaxPerMinute, now, sleep);
  let unauthorized = false;

  const capture = async (url: string): Promise<ArchiveRequest> => {
    const previous = store?.archiveJob(url);
    if (
      previous &&
      (previous.status === 'refused' || previous.status === 'error') &&
      (now() - Date.parse(previous.updatedAt)) / DAY_MS < retryRefusedAfterDays
    )
      return { url, status: 'skipped', reason: `previously-${previous.status}`, requestedAt: iso() };

    // When the capture was asked for: the latest submission (or the earlier run's, for its job).
    let requestedAt = iso();

    let attempts = previous?.attempts ?? 0;
    const save = (status: ArchiveJob['status'], step: { jobId?: string; reason?: string }): void =>
      store?.saveArchiveJob({
        url,
        ...(step.jobId !== undefined && { jobId: step.jobId }),
        status,
        requestedAt,
        updatedAt: iso(),
        attempts,
        ...(step.reason !== undefined && { lastError: step.reason }),
      });

    // A job the previous run left running is asked about first, instead of capturing again.
    let step: Step | undefined;
    if (previous?.status === 'pending' && previous.jobId !== undefined) {
      requestedAt = previous.requestedAt;
      const resumed = await poll(
        fetcher,
        previous.jobId,
        url,
        { ...o, maxPolls: 1, pollIntervalMs: 0 },
        sleep,
      );
      // A job that failed or that SPN no longer knows gets a new capture; one still running stays pending.
      step = resumed.kind === 'error' || resumed.kind === 'refused' ? undefined : resumed;
    }

    const attempt = async (): Promise<Settled> => {
      for (let tries = 1; ; tries++) {
        if (step !== undefined && step.kind !== 'retry') return step;
        if (step?.kind === 'retry') {
          if (tries > o.maxAttempts)
            return {
              kind: 'later',
              reason: step.reason,
              ...(step.jobId !== undefined && { jobId: step.jobId }),
            };
          const wait = step.delayMs ?? o.retryDelayMs * 2 ** Math.max(0, tries - 2);
          logger?.info(
            { url, reason: step.reason, waitMs: wait },
            'Save Page Now: retrying later in this run',
          );
          await sleep(wait);
        }
        await limiter.acquire();
        if (unauthorized) return { kind: 'skipped', reason: 'unauthorized' };
        attempts++;
        requestedAt = iso();
        const submitted = await submit(fetcher, url, o);
        if (submitted.kind === 'job') {
          save('pending', { jobId: submitted.jobId });
          logger?.debug({ url, jobId: submitted.jobId }, 'Save Page Now: capture started');
          step = await poll(fetcher, submitted.jobId, url, o, sleep);
        } else step = submitted;
      }
    };
    const settled = unauthorized ? ({ kind: 'skipped', reason: 'unauthorized' } as const) : await attempt();

    switch (settled.kind) {
      case 'captured':
        store?.recordSnapshot(url, settled.snapshot, 'capture');
        save('captured', settled);
        logger?.info({ url, snapshot: settled.snapshot.url }, 'Save Page Now: captured');
        return {
          url,
          status: 'captured',
          reason: 'captured',
          ...(settled.jobId !== undefined && { jobId: settled.jobId }),
          snapshot: settled.snapshot,
          requestedAt,
        };
      case 'later':
        save('pending', settled);
        logger?.info({ url, reason: settled.reason }, 'Save Page Now: left pending for the next run');
        return {
          url,
          status: 'pending',
          reason: settled.reason,
          ...(settled.jobId !== undefined && { jobId: settled.jobId }),
          requestedAt,
        };
      case 'skipped':
        return { url, status: 'skipped', reason: settled.reason, requestedAt };
      case 'unauthorized':
        unauthorized = true;
        logger?.error(
          { reason: settled.reason },
          'Save Page Now refused the credentials; no more captures this run',
        );
        return { url, status: 'refused', reason: settled.reason, requestedAt };
      case 'refused':
      case 'error':
        save(settled.kind, settled);
        logger?.warn(
          { url, reason: settled.reason, message: settled.message },
          `Save Page Now: ${settled.kind}`,
        );
        return {
          url,
          status: settled.kind,
          reason: settled.reason,
          ...(settled.jobId !== undefined && { jobId: settled.jobId }),
          requestedAt,
        };
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const url = queue[next++]!;
      results.set(url, await capture(url));
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 3, queue.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return queue.map((url) => results.get(url)!);
}
