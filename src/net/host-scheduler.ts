/**
 * Per-host politeness and global concurrency. Each host has its own queue, a cap on requests
 * in flight and a minimum interval between request starts; a global limit caps requests
 * across hosts. A host that must wait (interval, pause after 429/503, full) never
 * holds a global slot: a host asks for a global slot only once it may start a request, with
 * at most one ask at a time, so a slow or rate-limited host never holds the others back.
 *
 * Which ready host a free global slot goes to decides how long a run takes. Hosts with nothing
 * in flight come first, in the order they became ready: every host with work makes progress.
 * Past that, the slot goes to the host with the most work left (its queue plus the backlog its
 * caller reports), because the run ends when its heaviest host ends: handing slots out in
 * turn kept the heaviest host of a Zipf-shaped run near one request at a time while fifty
 * light hosts finished, then left it to finish alone.
 *
 * A 429/503 pauses a host and doubles its interval (`slowDown`); normal answers halve it back
 * (`recovered`). A task may carry a deadline: it is dropped as soon as its host cannot start it
 * in time, rather than run late. A host can be closed for the run (`close`), and the whole
 * scheduler stopped (`stop`).
 */

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
  /**
   * Work of `host` still waiting before it reaches this scheduler (the fetcher's admission
   * line), added to the host's queue when slots are handed out by work left. @default none
   */
  backlogOf?: (host: string) => number;
  /**
   * Called when `host` got a global slot and its queue is empty while `backlogOf(host)` says
   * work waits: should schedule that work now (its task then takes the slot). False when none
   * can come now; the host then waits for `wake(host)`. @default none
   */
  pull?: (host: string) => boolean;
}

/**
 * Why a waiting task was dropped without running: its deadline would pass before its host could
 * start it (the host is paused or spaced out beyond it).
 */
export class DeadlineError extends Error {
  /** When the task had to start by (the scheduler's clock). */
  readonly deadlineAt: number;
  constructor(host: string, deadlineAt: number) {
    super(`${host} cannot start the request before its deadline`);
    this.name = 'DeadlineError';
    this.deadlineAt = deadlineAt;
  }
}

interface Waiter {
  task: () => Promise<unknown>;
  /** The task must start before this (scheduler clock), or it is rejected with `DeadlineError`. */
  deadlineAt: number;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface HostState {
  /** The host's key (lower case). */
  host: string;
  queue: Waiter[];
  inFlight: number;
  maxInFlight: number;
  /** The host has asked for a global slot and is in `#ready`. */
  starting: boolean;
  /** Its backlog could not be pulled (see `pull`): it counts as work again on `wake`. */
  backlogBlocked: boolean;
  /** When the wake-up already scheduled comes, if one is. */
  wakeAt: number | undefined;
  /** When the last request started. */
  lastStartAt: number;
  /** The last start plus the interval at that time (a later slow-down applies from the next start). */
  spacedUntil: number;
  /** The end of the latest pause (`slowDown`). */
  pausedUntil: number;
  concurrency: number;
  /** The interval now: the configured one, or more while the host is slowed down. */
  intervalMs: number;
  /** The configured interval, which `recovered()` decays back to. */
  baseIntervalMs: number;
  /** Set when the host is closed for the run: every task is rejected with it. */
  closed: Error | undefined;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const RESOLVED = Promise.resolve();

export class HostScheduler {
  readonly #concurrency: number;
  /** Global slots taken: requests in flight, and starts on their way (see #ask). */
  #active = 0;
  /** Asks for a global slot not yet granted. */
  #asks = 0;
  readonly #hosts = new Map<string, HostState>();
  readonly #perHostConcurrency: number;
  readonly #perHostIntervalMs: number;
  readonly #hostLimits: Record<string, HostLimit>;
  readonly #slowDownMin: number;
  readonly #slowDownMax: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #backlogOf: ((host: string) => number) | undefined;
  readonly #pull: ((host: string) => boolean) | undefined;
  /** Set by `stop`: every waiting task, and every later one, is rejected with it. */
  #stopped: Error | undefined;
  /** Hosts that may start a request and wait for a global slot, in the order they asked. */
  readonly #ready = new Set<HostState>();
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
    this.#concurrency = concurrency;
    this.#perHostConcurrency = perHost;
    this.#perHostIntervalMs = interval;
    this.#hostLimits = Object.fromEntries(
      Object.entries(options.hostLimits ?? {}).map(([host, limit]) => [host.toLowerCase(), limit]),
    );
    this.#slowDownMin = options.slowDownMinIntervalMs ?? 1000;
    this.#slowDownMax = options.slowDownMaxIntervalMs ?? 60_000;
    this.#now = deps.now ?? Date.now;
    this.#sleep = deps.sleep ?? realSleep;
    this.#backlogOf = deps.backlogOf;
    this.#pull = deps.pull;
  }

  /**
   * Runs `task` when `host` may start a request and a global slot is free. Rejects with the
   * signal's reason if `signal` aborts while the task is still waiting (it is then never run).
   */
  schedule<T>(
    host: string,
    task: () => Promise<T>,
    signal?: AbortSignal,
    deadlineAt: number = Number.POSITIVE_INFINITY,
  ): Promise<T> {
    // The run's stop before the caller's signal: a fetch that finds both ends with the run.
    if (this.#stopped) return Promise.reject(this.#stopped);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const state = this.#state(host);
    if (state.closed) return Promise.reject(state.closed);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        task,
        deadlineAt,
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
      this.#pump(state);
    });
  }

  /**
   * Pauses `host` for `pauseMs` (a 429/503 `Retry-After`) and slows it down: its interval
   * doubles (at least `slowDownMinIntervalMs`, at most `slowDownMaxIntervalMs`) until
   * `recovered()` brings it back.
   */
  slowDown(host: string, pauseMs: number): void {
    const state = this.#state(host);
    state.pausedUntil = Math.max(state.pausedUntil, this.#now() + Math.max(0, pauseMs));
    // Never shorten an interval that is already above the cap (a configured API limit).
    const ceiling = Math.max(this.#slowDownMax, state.intervalMs);
    state.intervalMs = Math.min(Math.max(state.intervalMs * 2, this.#slowDownMin), ceiling);
    this.#expire(state);
  }

  /**
   * `host` answered normally: a slowed interval halves, back to the configured one (below
   * `slowDownMinIntervalMs` it is the configured one at once). Without it, one 429 storm left
   * a host at 60 s between requests for the rest of the run.
   */
  recovered(host: string): void {
    const state = this.#hosts.get(host.toLowerCase());
    if (state === undefined || state.intervalMs <= state.baseIntervalMs) return;
    const half = state.intervalMs / 2;
    state.intervalMs = half < this.#slowDownMin ? state.baseIntervalMs : Math.max(state.baseIntervalMs, half);
    state.spacedUntil = Math.min(state.spacedUntil, state.lastStartAt + state.intervalMs);
    // A shorter interval may let the host's next request start sooner than planned.
    this.#pump(state);
  }

  /**
   * Closes `host` for the rest of the run: its waiting tasks and every later one are rejected
   * with `reason`, never run (a host that asked to be left alone for longer than the run).
   */
  close(host: string, reason: Error): void {
    const state = this.#state(host);
    state.closed ??= reason;
    for (const waiter of state.queue.splice(0)) {
      this.#detach(waiter);
      waiter.reject(state.closed);
    }
  }

  /**
   * Ends every wait: the tasks waiting now, and every later one, are rejected with `reason`
   * (the run went offline or ended); tasks already running go on. The owner's way to end all
   * waits at once, where a signal shared by every task would cost a listener each: an
   * `EventTarget` listener, once removed, still links to the next one added, so one that
   * outlived two scavenges kept every later task (and all it refers to) until a full GC.
   */
  stop(reason: Error): void {
    this.#stopped ??= reason;
    for (const state of this.#hosts.values()) {
      for (const waiter of state.queue.splice(0)) {
        this.#detach(waiter);
        waiter.reject(this.#stopped);
      }
    }
  }

  /** `host`'s backlog (see `pull`) may have work to pull again. */
  wake(host: string): void {
    const state = this.#state(host);
    state.backlogBlocked = false;
    this.#pump(state);
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

  /** Requests of `host` waiting in its queue (not yet started). */
  queued(host: string): number {
    return this.#hosts.get(host.toLowerCase())?.queue.length ?? 0;
  }

  /** Requests waiting (not yet started) across all hosts. */
  get pending(): number {
    let n = 0;
    for (const state of this.#hosts.values()) n += state.queue.length;
    return n;
  }

  #state(host: string): HostState {
    const key = host.toLowerCase();
    let state = this.#hosts.get(key);
    if (state === undefined) {
      const limit = this.#hostLimits[key];
      state = {
        host: key,
        queue: [],
        inFlight: 0,
        maxInFlight: 0,
        starting: false,
        backlogBlocked: false,
        wakeAt: undefined,
        lastStartAt: Number.NEGATIVE_INFINITY,
        spacedUntil: Number.NEGATIVE_INFINITY,
        pausedUntil: Number.NEGATIVE_INFINITY,
        concurrency: limit?.concurrency ?? this.#perHostConcurrency,
        intervalMs: limit?.intervalMs ?? this.#perHostIntervalMs,
        baseIntervalMs: limit?.intervalMs ?? this.#perHostIntervalMs,
        closed: undefined,
      };
      this.#hosts.set(key, state);
    }
    return state;
  }

  /** When `state` may start its next request: its interval after the last start, or its pause. */
  #nextStart(state: HostState): number {
    return Math.max(state.spacedUntil, state.pausedUntil);
  }

  /**
   * Rejects the waiting tasks whose deadline comes before their host may start them: waiting
   * would only run them too late (a link's whole check is bounded by its deadline).
   */
  #expire(state: HostState): void {
    const earliest = Math.max(this.#nextStart(state), this.#now());
    if (!state.queue.some((w) => w.deadlineAt <= earliest)) return;
    const kept: Waiter[] = [];
    for (const waiter of state.queue) {
      if (waiter.deadlineAt > earliest) kept.push(waiter);
      else {
        this.#detach(waiter);
        waiter.reject(new DeadlineError(state.host, waiter.deadlineAt));
      }
    }
    state.queue = kept;
  }

  /** Whether `state` has a task to start: queued, or in a backlog it may pull. */
  #hasWork(state: HostState): boolean {
    if (state.queue.length > 0) return true;
    if (this.#pull === undefined || state.backlogBlocked || state.closed || this.#stopped) return false;
    return (this.#backlogOf?.(state.host) ?? 0) > 0;
  }

  #pump(state: HostState): void {
    this.#expire(state);
    if (state.starting || state.inFlight >= state.concurrency || !this.#hasWork(state)) return;
    const at = this.#nextStart(state);
    const wait = at - this.#now();
    if (wait > 0) {
      // One wake-up at a time, unless this one is earlier (the interval just got shorter); a
      // wake-up that finds it is not the latest does nothing.
      if (state.wakeAt === undefined || at < state.wakeAt) {
        state.wakeAt = at;
        void this.#sleep(wait).then(() => {
          if (state.wakeAt !== at) return;
          state.wakeAt = undefined;
          this.#pump(state);
        });
      }
      return;
    }
    state.starting = true;
    this.#ready.add(state);
    this.#ask();
  }

  /**
   * Asks for a global slot. The slot is not bound to the host that asked: when it is granted
   * (now, or when one frees), it goes to the best ready host then. A counter rather than a
   * promise queue (p-limit): the asks of hosts that wait long for a slot outlived scavenges, and
   * a linked queue's promoted nodes kept every later node, and what it held, until a full GC.
   */
  #ask(): void {
    this.#asks++;
    this.#grant();
  }

  /**
   * Grants the free global slots to the asks waiting; each start runs on a microtask of its own
   * (a promise reaction: `queueMicrotask` would make an async resource per start).
   */
  #grant(): void {
    while (this.#asks > 0 && this.#active < this.#concurrency) {
      this.#asks--;
      this.#active++;
      void RESOLVED.then(this.#startNextTask);
    }
  }

  readonly #startNextTask = (): Promise<void> => this.#startNext();

  /** A global slot is free again. */
  #release(): void {
    this.#active--;
    this.#grant();
  }

  /**
   * The ready host a free global slot goes to: the first with nothing in flight, else the one
   * with the most work left (the earliest to ask among equals). Hosts that ran dry (aborted
   * waits) or were paused while they waited leave `#ready` on the way.
   */
  #takeReady(): HostState | undefined {
    let best: HostState | undefined;
    let bestWork = -1;
    const paused: HostState[] = [];
    const now = this.#now();
    for (const state of this.#ready) {
      // A host full by now (a pulled task scheduled itself meanwhile) asks again when one ends.
      const full = state.inFlight >= state.concurrency;
      if (full || !this.#hasWork(state) || this.#nextStart(state) > now) {
        this.#ready.delete(state);
        state.starting = false;
        if (!full && this.#hasWork(state)) paused.push(state);
        continue;
      }
      if (state.inFlight === 0) {
        best = state;
        break;
      }
      const work = state.queue.length + (this.#backlogOf?.(state.host) ?? 0);
      if (work > bestWork) {
        best = state;
        bestWork = work;
      }
    }
    if (best) {
      this.#ready.delete(best);
      best.starting = false;
    }
    // A host paused (slowDown) while it waited for a slot waits out its pause, then asks again.
    for (const state of paused) this.#pump(state);
    return best;
  }

  async #startNext(): Promise<void> {
    const state = this.#takeReady();
    if (state === undefined) {
      this.#release();
      return;
    }
    // The host's next fetch is built only now that it has a slot: built earlier, it would wait
    // for one, long enough to outlive scavenges, and its garbage would pile up in old space.
    while (state.queue.length === 0 && this.#pull?.(state.host));
    if (state.queue.length === 0) {
      state.backlogBlocked = true;
      this.#release();
      return;
    }
    const waiter = state.queue.shift()!;
    this.#detach(waiter);
    if (waiter.signal?.aborted || waiter.deadlineAt <= this.#now()) {
      waiter.reject(
        waiter.signal?.aborted ? waiter.signal.reason : new DeadlineError(state.host, waiter.deadlineAt),
      );
      this.#pump(state);
      this.#release();
      return;
    }
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    this.#maxInFlightPerHost = Math.max(this.#maxInFlightPerHost, state.inFlight);
    state.lastStartAt = this.#now();
    state.spacedUntil = state.lastStartAt + state.intervalMs;
    try {
      this.#pump(state);
      waiter.resolve(await waiter.task());
    } catch (error) {
      // Whatever failed (the task, or a hook before it), the slot is given back below and the
      // waiter settles: a waiter left pending would hold its caller, and the run, forever.
      waiter.reject(error);
    } finally {
      state.inFlight--;
      this.#pump(state);
      this.#release();
    }
  }

  #detach(waiter: Waiter): void {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
  }
}
