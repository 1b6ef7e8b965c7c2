/**
 * The offline detector. A machine without a network fails every request at the DNS or
 * connect step; checking hundreds of links that way would take minutes and mark them all
 * dead. `NetworkHealth` counts attempts that reached a server against those that did not, and
 * declares the run offline once nothing at all was reached: at least `offlineAfterHosts`
 * distinct hosts failed, no attempt got through, and no attempt is still in flight (so a few
 * dead domains that fail fast while live sites are still answering never look like an outage).
 * While that last condition is pending, new attempts wait (`ready()`); once offline, it stays
 * offline and the fetcher sends nothing more.
 */

export interface NetworkHealthOptions {
  /** Distinct hosts that must fail, with nothing reached, before the run is offline. @default 3 */
  offlineAfterHosts?: number;
}

/**
 * What one attempt found out about the network: it reached a server, it reached nothing, or
 * it was never sent (refused by the address guard before connecting).
 */
export type AttemptOutcome = 'reached' | 'unreachable' | 'not-sent';

export class NetworkHealth {
  readonly #threshold: number;
  readonly #failedHosts = new Set<string>();
  readonly #waiters: Array<(offline: boolean) => void> = [];
  readonly #listeners: Array<() => void> = [];
  #reached = 0;
  #failures = 0;
  #inFlight = 0;
  #offline = false;

  constructor(options: NetworkHealthOptions = {}) {
    this.#threshold = options.offlineAfterHosts ?? 3;
    if (!Number.isInteger(this.#threshold) || this.#threshold < 1) {
      throw new RangeError(`offlineAfterHosts must be an integer ≥ 1, got ${this.#threshold}`);
    }
  }

  /** True once the run is known to be offline; it never turns back. */
  isOffline(): boolean {
    return this.#offline;
  }

  /** Attempts that reached a server (any response, or a connection that later failed). */
  get reached(): number {
    return this.#reached;
  }

  /** Attempts that reached nothing (DNS failure, refused, unreachable, connect timeout). */
  get networkFailures(): number {
    return this.#failures;
  }

  /** Calls `listener` once when the run goes offline. */
  onOffline(listener: () => void): void {
    if (this.#offline) listener();
    else this.#listeners.push(listener);
  }

  /**
   * Resolves `true` when the run is offline (send nothing), `false` when an attempt may go.
   * Waits only while an outage is suspected and attempts are still out.
   */
  ready(): Promise<boolean> {
    if (this.#offline) return Promise.resolve(true);
    if (!this.#suspect()) return Promise.resolve(false);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** An attempt is about to be sent. Pair with `settle()`. */
  begin(): void {
    this.#inFlight++;
  }

  /** An attempt begun with `begin()` ended. */
  settle(host: string, outcome: AttemptOutcome): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (outcome === 'reached') {
      this.#reached++;
      this.#release(false);
      return;
    }
    if (outcome === 'unreachable') {
      this.#failures++;
      this.#failedHosts.add(host.toLowerCase());
    }
    if (this.#suspect() && this.#inFlight === 0) {
      this.#offline = true;
      this.#release(true);
      for (const listener of this.#listeners.splice(0)) listener();
    }
  }

  #suspect(): boolean {
    return this.#reached === 0 && this.#failedHosts.size >= this.#threshold;
  }

  #release(offline: boolean): void {
    for (const resolve of this.#waiters.splice(0)) resolve(offline);
  }
}
