/**
 * The polite fetcher: undici exchanges (`exchange.ts`) behind the per-host admission, the host
 * scheduler, the address guard, the retry policy, body caps and the offline detector. Redirects
 * are followed here, hop by hop, so every hop waits its turn at its own host and has its
 * address checked.
 */
import type { Logger } from 'pino';
import { Agent, type Dispatcher } from 'undici';
import { DEFAULTS, defaultUserAgent } from '../defaults.js';
import {
  type AddressGuard,
  AddressNotAllowedError,
  canonicalAddress,
  createAddressGuard,
} from './address-guard.js';
import { HostAdmission } from './admission.js';
import { decodeBody, decodedAsIs } from './body.js';
import { classifyError } from './errors.js';
import { Exchange, type ResponseHead } from './exchange.js';
import { NetworkHealth } from './health.js';
import { DeadlineError, type HostLimit, HostScheduler } from './host-scheduler.js';
import { checkLiteralHost, createGuardedLookup, type LookupFunction } from './lookup.js';
import { backoffDelay, parseRetryAfter, planRetry, SLOW_DOWN_STATUSES } from './retry.js';
import type { FetchError, Fetcher, FetcherStats, FetchRequest, FetchResult, Hop } from './types.js';

export interface FetcherOptions {
  /** Sent on every request. @default defaultUserAgent() */
  userAgent: string;
  /** Requests in flight across all hosts. @default 64 */
  concurrency: number;
  /** Requests in flight at one host. @default 2 */
  perHostConcurrency: number;
  /** Minimum milliseconds between request starts at one host. @default 1000 */
  perHostIntervalMs: number;
  /**
   * Deadline of one fetch, from its first request on: every hop, retry and body, and every wait
   * in between (backoff, `Retry-After`, a slowed or paused host) included. Waiting for the
   * first request's turn is not counted. @default 30000
   */
  timeoutMs: number;
  /** @default 10000 */
  connectTimeoutMs: number;
  /** Time to the response headers; also the longest pause between body chunks. @default 20000 */
  headersTimeoutMs: number;
  /** @default 10 */
  maxRedirects: number;
  /** Body bytes read from the wire per response. @default 524288 */
  maxBodyBytes: number;
  /**
   * Decompressed bytes kept per response. A request that raises `maxBodyBytes` above this
   * raises this cap to match. @default 2097152
   */
  maxDecompressedBytes: number;
  /** Retries after the first attempt. @default 2 */
  retries: number;
  /** First backoff delay; doubles each retry, with jitter. @default 500 */
  retryBaseDelayMs: number;
  /**
   * A `Retry-After` longer than this ends the fetch with `retry-after-too-long` and closes the
   * host for the fetcher's life: its other fetches end with `host-unavailable`, unsent.
   * @default 60000
   */
  retryAfterCapMs: number;
  /** CIDRs the address guard lets through although they are not public. @default [] */
  allowNetwork: string[];
  /** Per-hostname overrides of concurrency and interval (external services). @default {} */
  hostLimits?: Record<string, HostLimit>;
  /** Distinct failing hosts, with nothing reached, that make the run offline. @default 3 */
  offlineAfterHosts?: number;
  /**
   * The budget of the fetcher's life (the run), from its creation: once spent, nothing more is
   * sent and every fetch not done ends with `run-time`. @default none
   */
  maxRunTimeMs?: number;
}

export interface FetcherDeps {
  /**
   * Where requests go. Default: an undici `Agent` built from the options (keep-alive,
   * connections per origin capped, connect/headers/body timeouts, guarded lookup). An
   * injected dispatcher is used as is and not closed by `close()`.
   */
  dispatcher?: Dispatcher;
  /** `dns.lookup`-compatible resolver under the guard. @default node:dns lookup */
  lookup?: LookupFunction;
  /** @default Date.now */
  now?: () => number;
  /** @default setTimeout-based sleep */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  logger?: Logger;
}

/** A `Fetcher` that can also say whether the run went offline or out of time. */
export interface PoliteFetcher extends Fetcher {
  isOffline(): boolean;
  /** True once `maxRunTimeMs` is spent: the fetcher sends nothing more. */
  runTimeOver(): boolean;
  fetchEach<R extends FetchRequest>(
    requests: Iterable<R>,
    onResult: (request: R, result: FetchResult) => void,
  ): Promise<void>;
}

/** The fetcher options from `DEFAULTS`, with `overrides` applied. */
export function fetcherOptionsFromDefaults(overrides: Partial<FetcherOptions> = {}): FetcherOptions {
  return {
    userAgent: defaultUserAgent(),
    concurrency: DEFAULTS.concurrency,
    perHostConcurrency: DEFAULTS.perHostConcurrency,
    perHostIntervalMs: DEFAULTS.perHostIntervalMs,
    timeoutMs: DEFAULTS.timeoutMs,
    connectTimeoutMs: DEFAULTS.connectTimeoutMs,
    headersTimeoutMs: DEFAULTS.headersTimeoutMs,
    maxRedirects: DEFAULTS.maxRedirects,
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    maxDecompressedBytes: DEFAULTS.maxDecompressedBytes,
    retries: DEFAULTS.retries,
    retryBaseDelayMs: DEFAULTS.retryBaseDelayMs,
    retryAfterCapMs: DEFAULTS.retryAfterCapMs,
    allowNetwork: [],
    ...overrides,
  };
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Body bytes read from a redirect or a response about to be retried, to reuse the connection. */
const DISCARD_LIMIT = 64 * 1024;
/** Headers that must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

const DEFAULT_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const DEFAULT_ACCEPT_LANGUAGE = 'en;q=1.0, *;q=0.5';
const ACCEPT_ENCODING = 'gzip, deflate, br';

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Method = NonNullable<FetchRequest['method']>;

/** One attempt at one hop, as seen from the scheduler's task. */
type AttemptOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: Buffer; truncated: boolean }
  | { kind: 'error'; error: FetchError }
  | { kind: 'offline'; sent: boolean }
  /** The fetcher stopped (the run is out of time) before or while the attempt was out. */
  | { kind: 'stopped'; error: FetchError };

/** Why a wait in the scheduler ended early. */
class OfflineReason extends Error {}
class ClosedReason extends Error {}
/** A host closed for the run (a `Retry-After` above the cap); the message is the detail. */
class HostUnavailableReason extends Error {}
/** The run's budget (`maxRunTimeMs`) is spent. */
class RunTimeReason extends Error {}

/** Takes a fetch once it runs: its own promise's resolve, or one shared by a `fetchEach` batch. */
type Settle = (fetched: Promise<FetchResult>, request: FetchRequest) => void;

interface FetchState {
  result: FetchResult;
  started: number;
  /** The fetch's deadline (fetcher clock), set when its first request starts. */
  deadlineAt: number | undefined;
}

export function createFetcher(options: FetcherOptions, deps: FetcherDeps = {}): PoliteFetcher {
  return new PoliteFetcherImpl(options, deps);
}

class PoliteFetcherImpl implements PoliteFetcher {
  readonly #options: FetcherOptions;
  readonly #guard: AddressGuard;
  readonly #scheduler: HostScheduler;
  readonly #admission: HostAdmission<FetchRequest, Settle>;
  readonly #health: NetworkHealth;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #addresses = new Map<string, string>();
  /** Hosts closed for the run (a `Retry-After` above the cap), with the detail their fetches get. */
  readonly #closedHosts = new Map<string, string>();
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #logger: Logger | undefined;
  /** Set when the run goes offline or the fetcher closes: every wait in the queues has ended. */
  #stopped = false;
  /**
   * Aborted when the run's budget is spent: ends the attempts in flight too (closing the
   * fetcher lets them finish).
   */
  readonly #runOver = new AbortController();
  /**
   * The attempts in flight, each ended with the run's budget. A list rather than a listener on
   * `#runOver`'s signal per attempt: adding and removing an EventTarget listener cost an attempt
   * more than its deadline's timer (100 ms of CPU over 2000 links), and a removed listener still
   * links to the next. An array whose slots are cleared as attempts end, not a `Set`: a `Set`
   * that churns replaces its hash table, and the table it leaves keeps its entries and a link
   * to the next one; once one such table was old, every later table and every attempt in it
   * outlived the scavenges until a full GC.
   */
  readonly #attemptsInFlight: AttemptDeadline[] = [];
  /** When the run's budget ends (fetcher clock); infinite without one. */
  readonly #runEndsAt: number;
  readonly #runTimer: NodeJS.Timeout | undefined;
  #requests = 0;
  #bytes = 0;
  #responses = 0;
  #built = 0;
  #mostBuilt = 0;

  constructor(options: FetcherOptions, deps: FetcherDeps) {
    validate(options);
    this.#options = options;
    this.#guard = createAddressGuard(options.allowNetwork);
    this.#now = deps.now ?? Date.now;
    this.#sleep = deps.sleep ?? realSleep;
    this.#random = deps.random ?? Math.random;
    this.#logger = deps.logger;
    this.#scheduler = new HostScheduler(
      {
        concurrency: options.concurrency,
        perHostConcurrency: options.perHostConcurrency,
        perHostIntervalMs: options.perHostIntervalMs,
        hostLimits: options.hostLimits,
      },
      {
        now: this.#now,
        sleep: this.#sleep,
        // What a host still has to do includes the fetches waiting in its admission line.
        backlogOf: (host) => this.#admission.waitingAt(host),
        // The host has a slot and nothing queued: its next fetch is built now, and its first
        // request takes the slot. Built any earlier, fetches wait for a slot long enough to
        // outlive two scavenges, and their garbage piles up in old space.
        pull: (host) => this.#admission.insideAt(host) < limitOf(host) && this.#admission.admitNext(host),
      },
    );
    const limitOf = admissionLimit(options);
    // Fetches go in when the scheduler pulls them; those of a host closed for the run go in at
    // once (each ends unsent, host-unavailable).
    this.#admission = new HostAdmission<FetchRequest, Settle>(
      (host) => this.#closedHosts.has(host),
      (request, settle, host) => this.#admitted(request, settle, host),
      (host) => this.#scheduler.wake(host),
    );
    this.#health = new NetworkHealth({ offlineAfterHosts: options.offlineAfterHosts });
    this.#health.onOffline(() => {
      this.#logger?.warn('no host could be reached: the network is offline, remaining requests are skipped');
      this.#stopAll(new OfflineReason('offline'));
    });
    const budget = options.maxRunTimeMs;
    this.#runEndsAt = budget === undefined ? Number.POSITIVE_INFINITY : this.#now() + budget;
    // The clock is checked before every request (an injected clock moves only with its sleeps);
    // this real timer also ends what is waiting or in flight when the time comes. Unref'd: it
    // must not hold a finished run's process open.
    this.#runTimer =
      budget === undefined || budget > 2 ** 31 - 1
        ? undefined
        : setTimeout(() => this.#stopForRunTime(), budget).unref();
    this.#ownsDispatcher = deps.dispatcher === undefined;
    this.#dispatcher = deps.dispatcher ?? this.#buildAgent(deps.lookup);
  }

  #buildAgent(lookup: LookupFunction | undefined): Dispatcher {
    const perOrigin = Math.max(
      this.#options.perHostConcurrency,
      ...Object.values(this.#options.hostLimits ?? {}).map((l) => l.concurrency ?? 0),
    );
    return new Agent({
      // One connection per request the scheduler lets in flight at a host: no more.
      connections: perOrigin,
      pipelining: 1,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: this.#options.headersTimeoutMs,
      bodyTimeout: this.#options.headersTimeoutMs,
      connect: {
        timeout: this.#options.connectTimeoutMs,
        lookup: createGuardedLookup({
          guard: this.#guard,
          lookup,
          onResolved: (hostname, address) => this.#addresses.set(hostname, address),
        }),
      },
    });
  }

  isOffline(): boolean {
    return this.#health.isOffline();
  }

  runTimeOver(): boolean {
    return this.#runOver.signal.aborted;
  }

  /** Whether the run's budget is spent; the first to see it stops everything. */
  #checkRunTime(): boolean {
    if (this.runTimeOver()) return true;
    if (this.#now() < this.#runEndsAt) return false;
    this.#stopForRunTime();
    return true;
  }

  #stopForRunTime(): void {
    if (this.#runOver.signal.aborted || this.#stopped) return;
    this.#runOver.abort(new RunTimeReason('run time over'));
    for (const attempt of [...this.#attemptsInFlight]) attempt.abortExchange(this.#runOver.signal.reason);
    this.#logger?.warn(
      { maxRunTimeMs: this.#options.maxRunTimeMs },
      'the run reached its time limit: nothing more is fetched, links not checked are skipped (run-time)',
    );
    this.#stopAll(new RunTimeReason('run time over'));
  }

  stats(): FetcherStats {
    return {
      requests: this.#requests,
      bytes: this.#bytes,
      maxInFlightPerHost: this.#scheduler.maxInFlightPerHost,
      responses: this.#responses,
      networkFailures: this.#health.networkFailures,
      mostFetchesBuilt: this.#mostBuilt,
    };
  }

  async close(): Promise<void> {
    clearTimeout(this.#runTimer);
    this.#stopAll(new ClosedReason('fetcher closed'));
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /** Ends every wait: in the scheduler's queues and in the admission lines. */
  #stopAll(reason: Error): void {
    if (!this.#stopped) {
      this.#stopped = true;
      this.#scheduler.stop(reason);
    }
    this.#admission.openAll();
  }

  fetch(request: FetchRequest): Promise<FetchResult> {
    // Until its host lets it in, a fetch is only its promise and a line entry (see HostAdmission).
    let settle!: Settle;
    const promise = new Promise<FetchResult>((resolve) => {
      settle = resolve;
    });
    this.#admission.enter(admissionKey(request.url), request, settle, request.signal);
    return promise;
  }

  fetchEach<R extends FetchRequest>(
    requests: Iterable<R>,
    onResult: (request: R, result: FetchResult) => void,
  ): Promise<void> {
    // One callback for the whole batch: a request waiting for its host costs its line entry
    // only, not a promise and a frame of its own (100 000 links are handed over at once).
    return new Promise<void>((resolve, reject) => {
      let pending = 1;
      let failure: { error: unknown } | undefined;
      const finish = (): void => {
        if (--pending > 0) return;
        if (failure) reject(failure.error);
        else resolve();
      };
      const fail = (error: unknown): void => {
        failure ??= { error };
      };
      const settle: Settle = (fetched, request) => {
        fetched.then(
          (result) => {
            try {
              onResult(request as R, result);
            } catch (error) {
              fail(error);
            }
            // The result is this fetch's, made when it was let in (old by now) and still held
            // by its promise: without its body it keeps no page bytes from the next scavenge.
            result.body = EMPTY_BODY;
            finish();
          },
          (error: unknown) => {
            fail(error);
            finish();
          },
        );
      };
      for (const request of requests) {
        pending++;
        this.#admission.enter(admissionKey(request.url), request, settle, request.signal);
      }
      finish();
    });
  }

  /** Called by the admission when a fetch goes in. */
  #admitted(request: FetchRequest, settle: Settle, host: string): void {
    this.#built++;
    if (this.#built > this.#mostBuilt) this.#mostBuilt = this.#built;
    const fetched = this.#fetchAdmitted(request);
    const leave = (): void => {
      this.#built--;
      this.#admission.leave(host);
    };
    fetched.then(leave, leave);
    settle(fetched, request);
  }

  async #fetchAdmitted(request: FetchRequest): Promise<FetchResult> {
    const state: FetchState = {
      started: this.#now(),
      deadlineAt: undefined,
      result: {
        url: request.url,
        finalUrl: request.url,
        headers: {},
        body: EMPTY_BODY,
        truncated: false,
        hops: [],
        requests: 0,
        bytes: 0,
        durationMs: 0,
      },
    };
    const error = await this.#run(request, state);
    if (error) state.result.error = error;
    state.result.durationMs = Math.max(0, this.#now() - state.started);
    this.#logger?.debug(
      {
        url: request.url,
        status: state.result.status,
        error: state.result.error,
        requests: state.result.requests,
      },
      'fetched',
    );
    return state.result;
  }

  /** Walks the hops; returns the error that ended the fetch, if any. */
  async #run(request: FetchRequest, state: FetchState): Promise<FetchError | undefined> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { kind: 'invalid-url', detail: `not a URL: ${request.url}` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { kind: 'unsupported-scheme', detail: `${url.protocol} is not fetched` };
    }
    let method: Method = request.method ?? 'GET';
    let body = request.body;
    const headers = this.#headers(request.headers);
    const visited = new Set<string>([url.href]);
    for (let redirects = 0; ; redirects++) {
      state.result.finalUrl = url.href;
      const hopError = await this.#hop(url, method, headers, body, request, state);
      if (hopError) return hopError;
      const { status, headers: responseHeaders } = state.result;
      const hop = state.result.hops.at(-1);
      if (status === undefined || hop === undefined || !REDIRECT_STATUSES.has(status)) return undefined;
      if (request.followRedirects === false || responseHeaders.location === undefined) return undefined;
      // #attempt resolved the Location against the hop's URL; undefined means it is not a URL.
      if (hop.location === undefined) {
        return { kind: 'invalid-url', detail: `bad Location: ${responseHeaders.location}` };
      }
      const next = new URL(hop.location);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return { kind: 'unsupported-scheme', detail: `redirect to ${next.protocol}` };
      }
      if (visited.has(next.href)) return { kind: 'redirect-loop', detail: `${url.href} → ${next.href}` };
      if (redirects + 1 > this.#options.maxRedirects) {
        return { kind: 'too-many-redirects', detail: `more than ${this.#options.maxRedirects} redirects` };
      }
      visited.add(next.href);
      // 303 always, and 301/302 after a POST, turn into a GET (what browsers do).
      if (
        (status === 303 && method !== 'HEAD') ||
        ((status === 301 || status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
      }
      if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
      url = next;
    }
  }

  #headers(extra: Record<string, string> | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': this.#options.userAgent,
      accept: DEFAULT_ACCEPT,
      'accept-language': DEFAULT_ACCEPT_LANGUAGE,
      'accept-encoding': ACCEPT_ENCODING,
    };
    for (const [name, value] of Object.entries(extra ?? {})) headers[name.toLowerCase()] = value;
    return headers;
  }

  /** One hop, with its retries. Leaves the last response (or none) in `state.result`. */
  async #hop(
    url: URL,
    method: Method,
    headers: Record<string, string>,
    body: string | undefined,
    request: FetchRequest,
    state: FetchState,
  ): Promise<FetchError | undefined> {
    const refusal = checkLiteralHost(url.hostname, this.#guard);
    if (refusal) return { kind: 'address-not-allowed', detail: refusal.message };
    const host = url.hostname.toLowerCase();
    /** The error of the last attempt, if it failed without a response. */
    let lastError: FetchError | undefined;
    for (let attempt = 1; ; attempt++) {
      const closed = this.#closedHosts.get(host);
      if (closed) return { kind: 'host-unavailable', detail: closed };
      let outcome: AttemptOutcome;
      const hop: Hop = { url: url.href, method, durationMs: 0, attempt };
      try {
        outcome = await this.#scheduler.schedule(
          host,
          () => this.#attempt(url, method, headers, body, request, state, hop),
          // The run's own stop reaches the waits through the scheduler (`stop`), not a signal.
          request.signal,
          state.deadlineAt,
        );
      } catch (reason) {
        if (reason instanceof DeadlineError) {
          // A retry that cannot start in time: the last answer (or failure) stands.
          if (attempt > 1) return lastError;
          return {
            kind: 'timeout',
            detail: `the ${this.#options.timeoutMs} ms deadline passed waiting for ${host}`,
          };
        }
        return this.#waitError(reason, request);
      }
      if (outcome.kind === 'stopped') return outcome.error;
      if (outcome.kind === 'offline' && !outcome.sent)
        return { kind: 'offline', detail: 'no host could be reached' };
      state.result.hops.push(hop);
      if (outcome.kind === 'offline') return { kind: 'offline', detail: 'no host could be reached' };
      const retries = { retriesDone: attempt - 1, maxRetries: this.#options.retries };
      const context = {
        method,
        ...retries,
        baseDelayMs: this.#options.retryBaseDelayMs,
        retryAfterCapMs: this.#options.retryAfterCapMs,
        random: this.#random,
      };
      const left = this.#timeLeft(state);
      if (outcome.kind === 'error') {
        lastError = outcome.error;
        const plan = left > 0 ? planRetry({ errorKind: outcome.error.kind }, context) : undefined;
        // A backoff that ends past the deadline is not slept: the failure stands.
        if (plan?.action !== 'retry' || plan.delayMs >= left) return outcome.error;
        await this.#sleep(plan.delayMs);
        continue;
      }
      lastError = undefined;
      const retryAfterMs = parseRetryAfter(outcome.headers['retry-after'], this.#now());
      this.#setResponse(state, outcome, retryAfterMs);
      const plan = planRetry({ status: outcome.status, retryAfterMs }, context);
      if (plan.action === 'give-up-retry-after') return this.#closeHost(host, plan.retryAfterMs);
      if (SLOW_DOWN_STATUSES.has(outcome.status)) {
        // The whole host waits (the scheduler holds its queue), whether or not this fetch
        // retries: a 429 on the last retry asks the host's other fetches to wait just as much.
        const pauseMs =
          plan.action === 'retry'
            ? plan.delayMs
            : (retryAfterMs ?? backoffDelay(attempt, this.#options.retryBaseDelayMs, this.#random));
        this.#scheduler.slowDown(host, pauseMs);
      } else this.#scheduler.recovered(host);
      if (plan.action === 'stop') return undefined;
      // A wait that ends past the deadline is not waited: the answer stands.
      if (plan.delayMs >= left) return undefined;
      if (!plan.slowDownHost) await this.#sleep(plan.delayMs);
    }
  }

  /** Milliseconds left before the fetch's deadline (all of it before its first request). */
  #timeLeft(state: FetchState): number {
    return state.deadlineAt === undefined ? this.#options.timeoutMs : state.deadlineAt - this.#now();
  }

  /**
   * A host asked to be left alone longer than the cap: it is closed for the rest of the run (its
   * fetches waiting now, and every later one, end with `host-unavailable`, unsent).
   */
  #closeHost(host: string, retryAfterMs: number): FetchError {
    const seconds = Math.round(retryAfterMs / 1000);
    const cap = Math.round(this.#options.retryAfterCapMs / 1000);
    if (!this.#closedHosts.has(host)) {
      const detail = `${host} asked to wait ${seconds} s (Retry-After, above the ${cap} s cap): not asked again this run`;
      this.#closedHosts.set(host, detail);
      this.#logger?.warn({ host, retryAfterMs }, 'host unavailable for this run: Retry-After above the cap');
      this.#scheduler.close(host, new HostUnavailableReason(detail));
      this.#admission.refill(host);
    }
    return { kind: 'retry-after-too-long', detail: `Retry-After ${seconds} s is above the ${cap} s cap` };
  }

  #setResponse(
    state: FetchState,
    outcome: Extract<AttemptOutcome, { kind: 'response' }>,
    retryAfterMs: number | undefined,
  ): void {
    state.result.status = outcome.status;
    state.result.headers = outcome.headers;
    state.result.body = outcome.body;
    // The outcome went through the scheduler's promise and this fetch's frames, made before the
    // request (old by now): emptied, it keeps the body from nothing (see exchange.ts).
    outcome.body = EMPTY_BODY;
    state.result.truncated = outcome.truncated;
    if (retryAfterMs === undefined) delete state.result.retryAfterMs;
    else state.result.retryAfterMs = retryAfterMs;
  }

  #waitError(reason: unknown, request: FetchRequest): FetchError {
    if (reason instanceof OfflineReason) return { kind: 'offline', detail: 'no host could be reached' };
    if (reason instanceof RunTimeReason) return RUN_TIME_ERROR;
    if (reason instanceof ClosedReason) return { kind: 'other', detail: 'fetcher closed' };
    if (reason instanceof HostUnavailableReason) return { kind: 'host-unavailable', detail: reason.message };
    if (request.signal?.aborted) return { kind: 'other', detail: 'aborted by the caller' };
    return classifyError(reason);
  }

  /** Runs inside the host's slot: sends one request and reads its body. */
  async #attempt(
    url: URL,
    method: Method,
    headers: Record<string, string>,
    body: string | undefined,
    request: FetchRequest,
    state: FetchState,
    hop: Hop,
  ): Promise<AttemptOutcome> {
    if (await this.#health.ready()) return { kind: 'offline', sent: false };
    if (this.#checkRunTime()) return { kind: 'stopped', error: RUN_TIME_ERROR };
    const host = url.hostname.toLowerCase();
    const began = this.#now();
    // The fetch's deadline runs from its first request on.
    state.deadlineAt ??= began + this.#options.timeoutMs;
    this.#health.begin();
    this.#requests++;
    state.result.requests++;
    const exchange = new Exchange((head) =>
      this.#mustDiscard(head.status, method, request, redirectTarget(head, url))
        ? { maxBytes: DISCARD_LIMIT, keep: false }
        : {
            maxBytes: request.maxBodyBytes ?? this.#options.maxBodyBytes,
            keep: true,
            expectedLength: contentLength(head.headers),
          },
    );
    // The exchange settles when the deadline aborts it, even if the dispatcher never calls
    // back: an attempt that never ends would hold its host's slot for the whole run. The run's
    // end aborts the attempts in flight too.
    const deadline = new AttemptDeadline(Math.max(1, state.deadlineAt - began), exchange, request.signal, {
      over: this.#runOver.signal,
      attempts: this.#attemptsInFlight,
    });
    let reached = false;
    try {
      exchange.send(this.#dispatcher, {
        url,
        method,
        headers,
        body,
        headersTimeout: this.#options.headersTimeoutMs,
        bodyTimeout: this.#options.headersTimeoutMs,
      });
      const head = await exchange.head;
      reached = true;
      this.#responses++;
      this.#health.settle(host, 'reached');
      hop.status = head.status;
      hop.address = this.#addressOf(url);
      const location = redirectTarget(head, url);
      if (location !== undefined) hop.location = location;
      const decompressedCap = Math.max(this.#options.maxDecompressedBytes, request.maxBodyBytes ?? 0);
      const received = await receiveBody(exchange, head.headers['content-encoding'], decompressedCap);
      this.#bytes += received.bytes;
      state.result.bytes += received.bytes;
      // The box was resolved into promises made before the response (old by now): emptied,
      // it keeps the body from nothing (see exchange.ts).
      const responseBody = received.body;
      received.body = EMPTY_BODY;
      return {
        kind: 'response',
        status: head.status,
        headers: head.headers,
        body: responseBody,
        truncated: received.truncated,
      };
    } catch (error) {
      if (this.runTimeOver()) {
        if (!reached) this.#health.settle(host, 'not-sent');
        return { kind: 'stopped', error: RUN_TIME_ERROR };
      }
      const partial = (error as { partial?: { bytes: number } }).partial;
      if (partial) {
        this.#bytes += partial.bytes;
        state.result.bytes += partial.bytes;
      }
      const classified = classifyError(error);
      if (!reached) {
        const local = classified.kind === 'address-not-allowed' || classified.kind === 'invalid-url';
        // NXDOMAIN is a resolver's answer about one name, not a sign that the network is down:
        // lapsed domains must not make a run offline (the checker confirms the network itself).
        const noSuchName = classified.kind === 'dns-not-found';
        this.#health.settle(
          host,
          noSuchName ? 'not-sent' : classified.network ? 'unreachable' : local ? 'not-sent' : 'reached',
        );
        // While an outage is suspected, wait for the verdict: if the run is offline, this
        // failure says nothing about the link (a DNS failure must not read as "dead").
        if (classified.network && (await this.#health.ready())) return { kind: 'offline', sent: true };
      }
      if (error instanceof AddressNotAllowedError) hop.address = error.address;
      return { kind: 'error', error: { kind: classified.kind, detail: classified.detail } };
    } finally {
      deadline.end();
      hop.durationMs = Math.max(0, this.#now() - began);
      // The deadline's timer runs on real time: when it fired, the fetch's time is up whatever
      // the (injected) clock says.
      if (deadline.expired) state.deadlineAt = Math.min(state.deadlineAt, this.#now());
    }
  }

  /** Bodies nobody will look at: redirects about to be followed, HEAD. */
  #mustDiscard(status: number, method: Method, request: FetchRequest, location: string | undefined): boolean {
    if (method === 'HEAD') return true;
    return REDIRECT_STATUSES.has(status) && request.followRedirects !== false && location !== undefined;
  }

  #addressOf(url: URL): string | undefined {
    return this.#addresses.get(url.hostname) ?? canonicalAddress(url.hostname)?.address;
  }
}

/**
 * The `Location` of a redirect, resolved against the hop's URL; undefined for other answers and
 * for a `Location` that is not a URL (which ends the fetch in #run).
 */
function redirectTarget(head: ResponseHead, url: URL): string | undefined {
  const location = head.headers.location;
  if (location === undefined || !REDIRECT_STATUSES.has(head.status)) return undefined;
  try {
    return new URL(location, url).href;
  } catch {
    return undefined;
  }
}

/**
 * The body of `exchange` once it is all there, decoded, in a box made now. Its own frame takes
 * the body from the exchange, so no frame that waited for the response holds it.
 */
async function receiveBody(
  exchange: Exchange,
  contentEncoding: string | undefined,
  decompressedCap: number,
): Promise<{ body: Buffer; bytes: number; truncated: boolean }> {
  await exchange.body;
  const wire = exchange.take();
  const decoded =
    decodedAsIs(wire.raw, contentEncoding, decompressedCap) ??
    (await decodeBody(wire.raw, contentEncoding, decompressedCap));
  return { body: decoded.body, bytes: wire.bytes, truncated: wire.truncated || decoded.truncated };
}

function contentLength(headers: Record<string, string>): number | undefined {
  const value = headers['content-length'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * One attempt's deadline: aborts `exchange` when the time is up (a `TimeoutError`), when the
 * caller's signal aborts, or (through `run.attempts`) when the run's time is over. Unlike
 * `AbortSignal.timeout()` (whose timer lives the whole delay, 30 s, after the request is long
 * done) it lets go of its timer and of the caller's signal as soon as the attempt ends, so
 * finished attempts leave nothing behind.
 *
 * A class, not an object literal with a getter: each such literal got a hidden class of its own
 * (V8 keeps an accessor in the hidden class, and each literal's getter is a new closure), made
 * in old space, and through that getter's closure it held the exchange, and with it the whole
 * attempt, from every scavenge until a full GC: most of what a 100,000-link run promoted.
 */
class AttemptDeadline {
  /** The time ran out. */
  expired = false;
  readonly #timer: NodeJS.Timeout;
  readonly #exchange: Exchange;
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;
  readonly #attempts: AttemptDeadline[];
  /** Where this deadline is in `#attempts`; -1 when it is not there. */
  #index = -1;

  constructor(
    ms: number,
    exchange: Exchange,
    caller: AbortSignal | undefined,
    run: { over: AbortSignal; attempts: AttemptDeadline[] },
  ) {
    this.#exchange = exchange;
    this.#caller = caller;
    this.#attempts = run.attempts;
    // Not unref'd: while an attempt is out, its deadline is what ends it; an unref'd timer let
    // the process exit (code 13, no report) when a request never called back. It is cleared at
    // the end.
    this.#timer = setTimeout(() => this.#timeUp(), ms);
    if (caller) {
      const onCallerAbort = (): void => exchange.abort(caller.reason);
      this.#onCallerAbort = onCallerAbort;
      if (caller.aborted) onCallerAbort();
      else caller.addEventListener('abort', onCallerAbort, { once: true });
    }
    if (run.over.aborted) exchange.abort(run.over.reason);
    else this.#index = run.attempts.push(this) - 1;
  }

  /** Ends the exchange now (the run's time is over). */
  abortExchange(reason: unknown): void {
    this.#exchange.abort(reason);
  }

  /** The attempt is over: drop the timer and the listener, and leave the attempts in flight. */
  end(): void {
    clearTimeout(this.#timer);
    if (this.#onCallerAbort) this.#caller?.removeEventListener('abort', this.#onCallerAbort);
    if (this.#index === -1) return;
    // The last one takes this one's place: every slot left behind is cleared (see #attemptsInFlight).
    const last = this.#attempts.pop()!;
    if (last !== this) {
      this.#attempts[this.#index] = last;
      last.#index = this.#index;
    }
    this.#index = -1;
  }

  #timeUp(): void {
    this.expired = true;
    this.#exchange.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }
}

const RUN_TIME_ERROR: FetchError = {
  kind: 'run-time',
  detail: 'not fetched: the run reached its time limit (maxRunTimeMs)',
};

/** The body of a result that has none: zero bytes, so sharing one is safe. */
const EMPTY_BODY = Buffer.alloc(0);

/**
 * `scheme://host[:port]` followed by the path, query, fragment or the end, with an ASCII host
 * name: the common case, whose lower case is what `URL` gives (the scheduler's key too).
 */
const PLAIN_AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/([a-z0-9.-]+)(?::\d*)?(?:[/?#]|$)/i;

/**
 * The line a fetch waits in (see HostAdmission): its host name, read without building a `URL`
 * (100 000 of them, parsed at once, are garbage the heap must absorb) when the URL is plain,
 * else the parsed host name; '' when the URL does not parse (the fetch then fails at once).
 */
function admissionKey(url: string): string {
  const plain = PLAIN_AUTHORITY.exec(url);
  if (plain) return plain[1]!.toLowerCase();
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * Most fetches of one host built at once: as many as the host may have in flight, plus one, so
 * that one of its fetches being away (backing off before a retry, or following a redirect to
 * another host) does not keep the host from filling its slots.
 */
function admissionLimit(options: FetcherOptions): (host: string) => number {
  const limits = new Map(
    Object.entries(options.hostLimits ?? {}).map(([host, limit]) => [host.toLowerCase(), limit.concurrency]),
  );
  return (host) => (limits.get(host) ?? options.perHostConcurrency) + 1;
}

function validate(options: FetcherOptions): void {
  const positive: Array<keyof FetcherOptions> = [
    'concurrency',
    'perHostConcurrency',
    'timeoutMs',
    'connectTimeoutMs',
    'headersTimeoutMs',
    'maxBodyBytes',
    'maxDecompressedBytes',
  ];
  for (const name of positive) {
    const value = options[name];
    if (typeof value !== 'number' || !(value > 0)) {
      throw new RangeError(`fetcher option ${name} must be a number > 0, got ${String(value)}`);
    }
  }
  const nonNegative: Array<keyof FetcherOptions> = [
    'perHostIntervalMs',
    'maxRedirects',
    'retries',
    'retryBaseDelayMs',
    'retryAfterCapMs',
  ];
  for (const name of nonNegative) {
    const value = options[name];
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new RangeError(`fetcher option ${name} must be a number ≥ 0, got ${String(value)}`);
    }
  }
}
