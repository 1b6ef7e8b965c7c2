/**
 * What the identifier clients share: the shape of one answer about one identifier, and the
 * reading of a service's raw response (fetch failures, HTTP statuses, JSON, schemas) at the
 * boundary. An answer that does not fit its schema is an `ApiError`, never a guess.
 */
import type { z } from 'zod';
import { prettifyError } from 'zod';
import { ApiError } from '../errors.js';
import type { IdentifierOutcome } from '../model.js';
import type { FetchResult } from '../net/types.js';

/** A service's answer about one identifier. */
export interface IdentifierResolution {
  outcome: Extract<IdentifierOutcome, 'resolves' | 'unresolved' | 'error' | 'skipped'>;
  /** Stable reason: `found`, `not-found`, `http-503`, `timeout`, `offline`, … */
  reason: string;
  /** The HTTP status of the service's answer, when there was one. */
  httpStatus?: number;
}

/** Largest answer the clients read from a service (a 200-id esummary is a few hundred KB). */
export const MAX_SERVICE_BODY = 4 * 1024 * 1024;

/**
 * The resolution a failed fetch stands for: `skipped` when the run is offline, else `error`
 * with the fetch error's kind. `undefined` when the fetch got an answer.
 */
export function fetchFailure(result: FetchResult): IdentifierResolution | undefined {
  if (!result.error) return undefined;
  const resolution: IdentifierResolution =
    result.error.kind === 'offline' || result.error.kind === 'run-time'
      ? { outcome: 'skipped', reason: result.error.kind }
      : { outcome: 'error', reason: result.error.kind };
  if (result.status !== undefined) resolution.httpStatus = result.status;
  return resolution;
}

/** An `error` resolution for an HTTP status the service should not have answered with. */
export const httpFailure = (status: number | undefined): IdentifierResolution =>
  status === undefined
    ? { outcome: 'error', reason: 'no-response' }
    : { outcome: 'error', reason: `http-${status}`, httpStatus: status };

/** The body as JSON, or an `ApiError`. */
export function parseJson(service: string, result: FetchResult): unknown {
  if (result.truncated) throw new ApiError(service, `answer larger than ${MAX_SERVICE_BODY} bytes`);
  try {
    return JSON.parse(result.body.toString('utf8'));
  } catch (cause) {
    throw new ApiError(service, `answer is not JSON (HTTP ${result.status ?? '?'})`, { cause });
  }
}

/** `value` checked against `schema`, or an `ApiError` that says what did not fit. */
export function validateAnswer<T>(service: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError(service, `unexpected answer: ${prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** `base` + `path`, without doubling or losing the slash between them. */
export const joinUrl = (base: string, path: string): string =>
  `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;

/** Splits `items` into consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
