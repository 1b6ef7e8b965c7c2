/**
 * Handle client (`hdl` identifiers, e.g. `2027/mdp.39015…`): the same handle API as DOIs,
 * served by the Handle System's own proxy.
 */
import type { Fetcher } from '../net/types.js';
import { queryHandle } from './handle-api.js';
import type { IdentifierResolution } from './service.js';

/** The Handle System proxy. */
export const HANDLE_ENDPOINT = 'https://hdl.handle.net';

/** Whether `handle` resolves at the handle proxy `endpoint`. */
export function resolveHandle(
  fetcher: Fetcher,
  endpoint: string,
  handle: string,
): Promise<IdentifierResolution> {
  return queryHandle(fetcher, endpoint, handle, 'handle');
}
