/**
 * The network stage: the only part of citewatch that opens sockets.
 */
export {
  type AddressGuard,
  AddressNotAllowedError,
  type AddressVerdict,
  type Cidr,
  canonicalAddress,
  createAddressGuard,
  parseCidr,
} from './address-guard.js';
export { type DecodedBody, decodeBody, readCapped, type WireBody } from './body.js';
export { type ClassifiedError, classifyError } from './errors.js';
export {
  createFetcher,
  type FetcherDeps,
  type FetcherOptions,
  fetcherOptionsFromDefaults,
  type PoliteFetcher,
} from './fetcher.js';
export { type AttemptOutcome, NetworkHealth, type NetworkHealthOptions } from './health.js';
export {
  DeadlineError,
  type HostLimit,
  HostScheduler,
  type HostSchedulerDeps,
  type HostSchedulerOptions,
} from './host-scheduler.js';
export {
  checkLiteralHost,
  createGuardedLookup,
  type GuardedLookupOptions,
  type LookupFunction,
} from './lookup.js';
export {
  backoffDelay,
  isRetryableError,
  isRetryableStatus,
  mayRetry,
  parseRetryAfter,
  planRetry,
  RETRY_ERROR_KINDS,
  RETRY_STATUSES,
  type RetryContext,
  type RetryPlan,
  SLOW_DOWN_STATUSES,
} from './retry.js';
export {
  FETCH_ERROR_KINDS,
  type FetchError,
  type FetchErrorKind,
  type Fetcher,
  type FetcherStats,
  type FetchRequest,
  type FetchResult,
  type Hop,
} from './types.js';
