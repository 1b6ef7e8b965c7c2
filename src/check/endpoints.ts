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

/** How the run shares the services with other machines (`--shard`). */
export interface ServiceSharing {
  /** Shards that run at once, each asking the same archive hosts. @default 1 */
  shards: number;
  /** The run's per-host limits, which the shards divide. */
  perHostConcurrency: number;
  perHostIntervalMs: number;
}

/**
 * Per-host limits for the fetcher (`FetcherOptions.hostLimits`) that the services need beyond
 * the defaults: arXiv's API takes one request at a time, at most one every 3 s. With shards,
 * every shard looks up the Wayback snapshots of its own links, so the archive hosts
 * (availability and CDX) would get N times the per-host budget: each shard takes 1/N of it
 * (the interval N times longer, the requests in flight divided). The identifier services need
 * no sharing: each of their hosts is one registrable domain, so one shard asks it.
 */
export function serviceHostLimits(
  endpoints: Pick<CheckEndpoints, 'arxiv'> & Partial<Pick<CheckEndpoints, 'wayback' | 'cdx'>>,
  sharing?: ServiceSharing,
): Record<string, HostLimit> {
  const limits: Record<string, HostLimit> = {};
  if (sharing && sharing.shards > 1) {
    for (const url of [endpoints.wayback, endpoints.cdx]) {
      const host = url === undefined ? undefined : hostOf(url);
      if (host)
        limits[host] = {
          concurrency: Math.max(1, Math.floor(sharing.perHostConcurrency / sharing.shards)),
          intervalMs: sharing.perHostIntervalMs * sharing.shards,
        };
    }
  }
  const arxiv = hostOf(endpoints.arxiv);
  if (arxiv) limits[arxiv] = { concurrency: 1, intervalMs: ARXIV_INTERVAL_MS };
  return limits;
}
