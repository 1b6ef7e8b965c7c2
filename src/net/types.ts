/**
 * The contract between the fetcher (`net/`) and its users (`check/`, the API clients): what
 * a request asks for and what comes back. Nothing here opens a socket.
 */

/** Why a request produced no usable response. Stable strings: classification branches on them. */
export const FETCH_ERROR_KINDS = [
  'timeout',
  'reset',
  'refused',
  'dns-not-found',
  'dns-failure',
  'tls',
  'too-many-redirects',
  'redirect-loop',
  'address-not-allowed',
  'unsupported-scheme',
  'invalid-url',
  'retry-after-too-long',
  'host-unavailable',
  'run-time',
  'offline',
  'other',
] as const;
export type FetchErrorKind = (typeof FETCH_ERROR_KINDS)[number];

export interface FetchError {
  kind: FetchErrorKind;
  /** Low-level detail (undici or system error code and message), for logs and reports. */
  detail: string;
}

/** One request/response on the way to the final answer. */
export interface Hop {
  url: string;
  method: 'GET' | 'HEAD' | 'POST';
  status?: number;
  /** `Location` of a redirect, resolved against `url`. */
  location?: string;
  /** The address the connection went to, when known. */
  address?: string;
  durationMs: number;
  /** Attempt number for this hop (1 = first try, 2+ = retries). */
  attempt: number;
}

export interface FetchRequest {
  url: string;
  /** @default 'GET' */
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Follow redirects hop by hop. @default true */
  followRedirects?: boolean;
  /** Overrides the fetcher's body cap for this request (API responses may need more). */
  maxBodyBytes?: number;
  /** Extra abort signal from the caller. */
  signal?: AbortSignal;
}

export interface FetchResult {
  /** The URL asked for. */
  url: string;
  /** The URL of the last hop (after redirects). */
  finalUrl: string;
  /** Status of the last response; absent when no response arrived. */
  status?: number;
  /** Headers of the last response, names lower-cased. */
  headers: Record<string, string>;
  /** Decoded (decompressed) body of the last response, at most the cap. */
  body: Buffer;
  /** True when the body was cut at the cap. */
  truncated: boolean;
  hops: Hop[];
  error?: FetchError;
  /** Requests sent for this fetch, retries and redirects included. */
  requests: number;
  /** Body bytes received on the wire for this fetch. */
  bytes: number;
  durationMs: number;
  /** `Retry-After` of the last response, in ms, when there was one. */
  retryAfterMs?: number;
}

/** What every part that issues requests gets: one method, so tests can substitute it. */
export interface Fetcher {
  fetch(request: FetchRequest): Promise<FetchResult>;
  /**
   * Fetches every request, calling `onResult` with each one as it settles; resolves once all
   * have (rejects, then, with the first error `onResult` threw). For many requests at once: it
   * keeps no promise per request while they wait. The result's `body` is `onResult`'s to read
   * while it runs: the fetcher empties it afterwards, so a page's bytes die young (see
   * `net/exchange.ts`). A fetcher without it is driven through `fetch` (see
   * `check/run-fetcher.ts`).
   */
  fetchEach?<R extends FetchRequest>(
    requests: Iterable<R>,
    onResult: (request: R, result: FetchResult) => void,
  ): Promise<void>;
  /** Counters across the fetcher's life. */
  stats(): FetcherStats;
  close(): Promise<void>;
}

export interface FetcherStats {
  requests: number;
  bytes: number;
  /** Most requests that were ever in flight at one host at once. */
  maxInFlightPerHost: number;
  /** Successful connections (any response at all). */
  responses: number;
  /** Failed DNS lookups and connections, for the offline detector. */
  networkFailures: number;
  /**
   * Most fetches built at once (let in by their host: in flight, queued at a host, backing off
   * or between hops); the others wait as line entries. A measure of the fetcher's memory.
   */
  mostFetchesBuilt?: number;
}
