/**
 * A fetcher wrapper that keeps the tally one run needs: requests sent, whether any host
 * answered at all, and how the fetches that got no answer failed — the evidence for "the
 * network is unreachable" and for "a DNS failure here means the name is gone".
 */
import type { FetchErrorKind, Fetcher, FetcherStats, FetchRequest, FetchResult } from '../net/types.js';

/** Failures that say "no network" rather than "this host": with nothing else, the run is offline. */
const OUTAGE_KINDS: ReadonlySet<FetchErrorKind> = new Set(['offline', 'dns-failure']);

export class RunFetcher implements Fetcher {
  readonly #inner: Fetcher;
  #fetches = 0;
  #requests = 0;
  #answered = 0;
  #outages = 0;

  constructor(inner: Fetcher) {
    this.#inner = inner;
  }

  async fetch(request: FetchRequest): Promise<FetchResult> {
    const result = await this.#inner.fetch(request);
    this.#count(result);
    return result;
  }

  /** The inner fetcher's `fetchEach`, or one `fetch` per request when it has none. */
  async fetchEach<R extends FetchRequest>(
    requests: Iterable<R>,
    onResult: (request: R, result: FetchResult) => void,
  ): Promise<void> {
    const counted = (request: R, result: FetchResult): void => {
      this.#count(result);
      onResult(request, result);
    };
    if (this.#inner.fetchEach) {
      await this.#inner.fetchEach(requests, counted);
      return;
    }
    await Promise.all(
      Array.from(requests, async (request) => counted(request, await this.#inner.fetch(request))),
    );
  }

  #count(result: FetchResult): void {
    this.#fetches++;
    this.#requests += result.requests;
    if (result.status !== undefined) this.#answered++;
    else if (result.error && OUTAGE_KINDS.has(result.error.kind)) this.#outages++;
  }

  stats(): FetcherStats {
    return this.#inner.stats();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  /** Requests sent through this wrapper, every hop and retry counted. */
  get requests(): number {
    return this.#requests;
  }

  /** True when at least one fetch got an HTTP answer from some host. */
  get anyAnswered(): boolean {
    return this.#answered > 0;
  }

  /** True when there were fetches and every one of them failed as if there were no network. */
  get allOutages(): boolean {
    return this.#fetches > 0 && this.#outages === this.#fetches;
  }
}
