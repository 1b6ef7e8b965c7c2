/**
 * The services the check asks, and the politeness each needs from the fetcher. The handle
 * proxy is not in `ENDPOINTS` (defaults.ts); it is added here with its default.
 */
import { ENDPOINTS, type Endpoints } from '../defaults.js';
import type { HostLimit } from '../net/index.js';
import { HANDLE_ENDPOINT } from './handle.js';

/** Every base URL the check uses: `ENDPOINTS` plus the handle proxy. */
export type CheckEndpoints = Endpoints & { handle: string };

/** Minimum milliseconds between two requests to the arXiv API, as arXiv asks. */
export const ARXIV_INTERVAL_MS = 3000;

/** `endpoints` with the handle proxy filled in when absent. @default handle 'https://hdl.handle.net' */
export function resolveCheckEndpoints(endpoints: Partial<CheckEndpoints> = {}): CheckEndpoints {
  return { ...ENDPOINTS, handle: HANDLE_ENDPOINT, ...endpoints };
}

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};

/**
 * Per-host limits for the fetcher (`FetcherOptions.hostLimits`) that the services need beyond
 * the defaults: arXiv's API takes one request at a time, at most one every 3 s.
 */
export function serviceHostLimits(endpoints: Pick<CheckEndpoints, 'arxiv'>): Record<string, HostLimit> {
  const arxiv = hostOf(endpoints.arxiv);
  return arxiv ? { [arxiv]: { concurrency: 1, intervalMs: ARXIV_INTERVAL_MS } } : {};
}
