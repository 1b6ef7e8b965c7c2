/**
 * DOI client: asks doi.org's handle API whether a DOI is registered. A DOI is a handle, so
 * the answer is the handle proxy's (`handle-api.ts`): `responseCode` 1 registered, 100 not
 * registered (with HTTP 404 — the body says so), 200 registered without values, 2 an error.
 */
import type { Fetcher } from '../net/types.js';
import { queryHandle } from './handle-api.js';
import type { IdentifierResolution } from './service.js';

/** Whether `doi` (normalised, e.g. `10.1000/182`) resolves at the DOI proxy `endpoint`. */
export function resolveDoi(fetcher: Fetcher, endpoint: string, doi: string): Promise<IdentifierResolution> {
  return queryHandle(fetcher, endpoint, doi, 'doi');
}
