/**
 * The Handle System proxy's REST API, `GET {base}/api/handles/{handle}`, as doi.org and
 * hdl.handle.net serve it. The answer's `responseCode` is the truth, not the HTTP status:
 * 1 found, 100 handle not found (sent with HTTP 404), 200 the handle exists but has no values,
 * 2 a server error (HTTP 500).
 */
import { z } from 'zod';
import type { Fetcher, FetchResult } from '../net/types.js';
import {
  fetchFailure,
  httpFailure,
  type IdentifierResolution,
  joinUrl,
  parseJson,
  validateAnswer,
} from './service.js';

/** Handle proxy response codes. */
export const HANDLE_RESPONSE_CODES = {
  success: 1,
  error: 2,
  handleNotFound: 100,
  valuesNotFound: 200,
} as const;

const HandleAnswer = z.object({
  responseCode: z.number().int(),
  handle: z.string().optional(),
  message: z.string().optional(),
  values: z
    .array(
      z.object({
        index: z.number().int(),
        type: z.string(),
        data: z.object({ format: z.string(), value: z.unknown() }),
      }),
    )
    .optional(),
});
export type HandleAnswer = z.infer<typeof HandleAnswer>;

/** `10.1002/(SICI)…<…>` → a path with each segment percent-encoded and the slashes kept. */
export const encodeHandlePath = (handle: string): string =>
  handle.split('/').map(encodeURIComponent).join('/');

const looksJson = (result: FetchResult): boolean =>
  /json/i.test(result.headers['content-type'] ?? '') || result.body.subarray(0, 1).toString() === '{';

/** The resolution a handle answer stands for. */
export function resolutionOf(answer: HandleAnswer, httpStatus: number): IdentifierResolution {
  switch (answer.responseCode) {
    case HANDLE_RESPONSE_CODES.success:
      return { outcome: 'resolves', reason: 'found', httpStatus };
    case HANDLE_RESPONSE_CODES.handleNotFound:
      return { outcome: 'unresolved', reason: 'not-found', httpStatus };
    case HANDLE_RESPONSE_CODES.valuesNotFound:
      return { outcome: 'unresolved', reason: 'no-values', httpStatus };
    case HANDLE_RESPONSE_CODES.error:
      return { outcome: 'error', reason: 'handle-server-error', httpStatus };
    default:
      return { outcome: 'error', reason: `response-code-${answer.responseCode}`, httpStatus };
  }
}

/**
 * Asks the handle proxy at `base` about `handle`. `service` names the service in errors
 * (`doi`, `handle`). Throws `ApiError` when the answer is not the API's JSON.
 */
export async function queryHandle(
  fetcher: Fetcher,
  base: string,
  handle: string,
  service: string,
): Promise<IdentifierResolution> {
  const result = await fetcher.fetch({
    url: joinUrl(base, `api/handles/${encodeHandlePath(handle)}`),
    headers: { accept: 'application/json' },
  });
  const failed = fetchFailure(result);
  if (failed) return failed;
  const status = result.status;
  if (status === undefined) return httpFailure(status);
  // A 404 carries the "not found" answer in its body: read it, don't stop at the status. A
  // 500 may carry responseCode 2. Any other non-2xx (429, 503, …) is the service failing.
  const readable = (status >= 200 && status < 300) || status === 404 || (status === 500 && looksJson(result));
  if (!readable) return httpFailure(status);
  return resolutionOf(validateAnswer(service, HandleAnswer, parseJson(service, result)), status);
}
