/**
 * Per-host politeness and global concurrency. Each host has its own queue, a cap on requests
 * in flight and a minimum interval between request starts; a global limit (p-limit) caps
 * requests across hosts. A host that must wait (interval, pause after 429/503, full) never
 * holds a global slot: a request asks for a global slot only once its host lets it start, and
 * each host has at most one request waiting for a global slot, so hosts share the global
 * slots in turn and a slow or rate-limited host never holds the others back.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export interface HostLimit {
  /** Requests in flight at this host. */
  concurrency?: number;
  /** Minimum milliseconds between two request starts at this host. */
  intervalMs?: number;
}

export interface HostSchedulerOptions {
  /** Requests in flight across all hosts. @default 64 */
  concurrency?: number;
  /** Requests in flight at one host. @default 2 */
  perHostConcurrency?: number;
  /** Minimum milliseconds between request starts at one host. @default 1000 */
  perHostIntervalMs?: number;
  /** Overrides by hostname (lower case), e.g. an API that allows one request per 3 s. */
  hostLimits?: Record<string, HostLimit>;
  /**
   * After `slowDown()`, a host's interval becomes at least this, so a host that had none
   * still spaces its requests. @default 1000
   */
  slowDownMinIntervalMs?: number;
  /** `slowDown()` doubles a host's interval up to this. @default 60000 */
  slowDownMaxIntervalMs?: number;
}

export interface HostSchedulerDeps {
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
  /** @default setTimeout-based sleep */
  sleep?: (ms: number) => Promise<void>;
}

interface Waiter {
  task: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface HostState {
  queue: Waiter[];
  inFlight: number;
  maxInFlight: number;
  /** A request of this host is waiting for a global slot. */
  starting: boolean;
  /** A wake-up is already scheduled for `nextStartAt`. */
  waking: boolean;
  nextStartAt: number;
  concurrency: number;
  intervalMs: number;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class HostScheduler {
  readonly #global: LimitFunction;
  readonly #hosts = new Map<string, HostState>();
  readonly #perHostConcurrency: number;
  readonly #perHostIntervalMs: number;
  readonly #hostLimits: Record<string, HostLimit>;
  readonly #slowDownMin: number;
  readonly #slowDownMax: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #maxInFlightPerHost = 0;

  constructor(options: HostSchedulerOptions = {}, deps: HostSchedulerDeps = {}) {
    const concurrency = options.concurrency ?? 64;
    const perHost = options.perHostConcurrency ?? 2;
    const interval = options.perHostIntervalMs ?? 1000;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be an integer ≥ 1, got ${concurrency}`);
    }
    if (!Number.isInteger(perHost) || perHost < 1) {
      throw new RangeError(`perHostConcurrency must be an integer ≥ 1, got ${perHost}`);
    }
    if (!(interval >= 0)) throw new RangeError(`perHostIntervalMs must be ≥ 0, got ${interval}`);
    this.#global = pLimit(concurrency);
    this.#perHostConcurrency = perHost;
    this.#perHostIntervalMs = interval;
    this.#hostLimits = Object.fromEntries(
      Object.entries(options.hostLimits ?? {}).map(([host, limit]) => [host.toLowerCase(), limit]),
    );
    this.#slowDownMin = options.slowDownMinIntervalMs ?? 1000;
    this.#slowDownMax = options.slowDownMaxIntervalMs ?? 60_000;
    this.#now = deps.now ?? Date.now;
    this.#sleep = deps.sleep ?? realSleep;
  }

  /**
   * Runs `task` when `host` may start a request and a global slot is free. Rejects with the
   * signal's reason if `signal` aborts while the task is still waiting (it is then never run).
   */
  schedule<T>(host: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const state = this.#state(host);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        task,
        resolve: resolve as (value: unknown) => void,
        reject,
        signal,
        onAbort: undefined,
      };
      if (signal) {
        waiter.onAbort = () => {
          const index = state.queue.indexOf(waiter);
          if (index !== -1) {
            state.queue.splice(index, 1);
            reject(signal.reason);
          }
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      state.queue.push(waiter);
      this.#pump(host, state);
    });
  }

  /**
   * Pauses `host` for `pauseMs` (a 429/503 `Retry-After`) and slows it for the rest of the
   * run: its interval doubles (at least `slowDownMinIntervalMs`, at most `slowDownMaxIntervalMs`).
   */
  slowDown(host: string, pauseMs: number): void {
    const state = this.#state(host);
    state.nextStartAt = Math.max(state.nextStartAt, this.#now() + Math.max(0, pauseMs));
    // Never shorten an interval that is already above the cap (a configured API limit).
    const ceiling = Math.max(this.#slowDownMax, state.intervalMs);
    state.intervalMs = Math.min(Math.max(state.intervalMs * 2, this.#slowDownMin), ceiling);
  }

  /** The interval a host runs with now (after any `slowDown`). */
  intervalOf(host: string): number {
    return this.#state(host).intervalMs;
  }

  /** Most requests ever in flight at `host` at once. */
  maxInFlight(host: string): number {
    return this.#hosts.get(host.toLowerCase())?.maxInFlight ?? 0;
  }

  /** Most requests ever in flight at any one host. */
  get maxInFlightPerHost(): number {
    return this.#maxInFlightPerHost;
  }

  /** Requests waiting (not yet started) across all hosts. */
  get pending(): number {
    let n = 0;
    for (const state of this.#hosts.values()) n += state.queue.length + (state.starting ? 1 : 0);
    return n;
  }

  #state(host: string): HostState {
    const key = host.toLowerCase();
    let state = this.#hosts.get(key);
    if (state === undefined) {
      const limit = this.#hostLimits[key];
      state = {
        queue: [],
        inFlight: 0,
        maxInFlight: 0,
        starting: false,
        waking: false,
        nextStartAt: Number.NEGATIVE_INFINITY,
        concurrency: limit?.concurrency ?? this.#perHostConcurrency,
        intervalMs: limit?.intervalMs ?? this.#perHostIntervalMs,
      };
      this.#hosts.set(key, state);
    }
    return state;
  }

  #pump(host: string, state: HostState): void {
    if (state.starting || state.queue.length === 0 || state.inFlight >= state.concurrency) return;
    const wait = state.nextStartAt - this.#now();
    if (wait > 0) {
      if (!state.waking) {
        state.waking = true;
        void this.#sleep(wait).then(() => {
          state.waking = false;
          this.#pump(host, state);
        });
      }
      return;
    }
    const waiter = state.queue.shift()!;
    state.starting = true;
    void this.#global(() => this.#start(host, state, waiter));
  }

  async #start(host: string, state: HostState, waiter: Waiter): Promise<void> {
    state.starting = false;
    if (waiter.signal?.aborted) {
      this.#detach(waiter);
      waiter.reject(waiter.signal.reason);
      this.#pump(host, state);
      return;
    }
    // The host was paused (slowDown) while this request waited for a global slot: give the
    // slot back and wait at the front of the host's queue.
    if (state.nextStartAt > this.#now()) {
      state.queue.unshift(waiter);
      this.#pump(host, state);
      return;
    }
    this.#detach(waiter);
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    this.#maxInFlightPerHost = Math.max(this.#maxInFlightPerHost, state.inFlight);
    state.nextStartAt = this.#now() + state.intervalMs;
    this.#pump(host, state);
    try {
      waiter.resolve(await waiter.task());
    } catch (error) {
      waiter.reject(error);
    } finally {
      state.inFlight--;
      this.#pump(host, state);
    }
  }

  #detach(waiter: Waiter): void {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
  }
}
