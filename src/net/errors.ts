/**
 * Maps what undici, Node's sockets, DNS and TLS throw onto the stable `FetchErrorKind`s, by
 * error code and name (never by message), following `cause` chains.
 */
import { ERROR_CODES } from '../errors.js';
import type { FetchError, FetchErrorKind } from './types.js';

export interface ClassifiedError extends FetchError {
  /**
   * The request never reached a server (DNS failed, connection refused or unreachable,
   * connect timeout): evidence for the offline detector.
   */
  network: boolean;
}

const BY_CODE: Readonly<Record<string, { kind: FetchErrorKind; network: boolean }>> = {
  UND_ERR_CONNECT_TIMEOUT: { kind: 'timeout', network: true },
  UND_ERR_HEADERS_TIMEOUT: { kind: 'timeout', network: false },
  UND_ERR_BODY_TIMEOUT: { kind: 'timeout', network: false },
  ETIMEDOUT: { kind: 'timeout', network: true },
  UND_ERR_SOCKET: { kind: 'reset', network: false },
  UND_ERR_CLOSED: { kind: 'reset', network: false },
  ECONNRESET: { kind: 'reset', network: false },
  EPIPE: { kind: 'reset', network: false },
  ECONNABORTED: { kind: 'reset', network: false },
  ECONNREFUSED: { kind: 'refused', network: true },
  EHOSTUNREACH: { kind: 'other', network: true },
  ENETUNREACH: { kind: 'other', network: true },
  ENETDOWN: { kind: 'other', network: true },
  EHOSTDOWN: { kind: 'other', network: true },
  ENOTFOUND: { kind: 'dns-not-found', network: true },
  EAI_NONAME: { kind: 'dns-not-found', network: true },
  EAI_NODATA: { kind: 'dns-not-found', network: true },
  ENODATA: { kind: 'dns-not-found', network: true },
  EAI_AGAIN: { kind: 'dns-failure', network: true },
  EAI_FAIL: { kind: 'dns-failure', network: true },
  ESERVFAIL: { kind: 'dns-failure', network: true },
  ERR_INVALID_URL: { kind: 'invalid-url', network: false },
  UND_ERR_INVALID_ARG: { kind: 'invalid-url', network: false },
  [ERROR_CODES.addressNotAllowed]: { kind: 'address-not-allowed', network: false },
};

const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

const describe = (e: ErrorLike): string => {
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : String(e);
  return `${code}: ${message}`;
};

function classifyOne(e: ErrorLike): ClassifiedError | undefined {
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code !== undefined) {
    const known = BY_CODE[code];
    if (known) return { ...known, detail: describe(e) };
    if (TLS_CODE.test(code)) return { kind: 'tls', network: false, detail: describe(e) };
  }
  if (e.name === 'TimeoutError') return { kind: 'timeout', network: false, detail: describe(e) };
  return undefined;
}

/**
 * Classifies an error thrown while sending a request or reading its body. The first error in
 * the `cause` chain that has a known code wins; an abort from the caller is `other`.
 */
export function classifyError(error: unknown): ClassifiedError {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const found = classifyOne(current as ErrorLike);
    if (found) return found;
    current = (current as ErrorLike).cause;
  }
  const detail =
    error !== null && typeof error === 'object' ? describe(error as ErrorLike) : `Error: ${String(error)}`;
  return { kind: 'other', network: false, detail };
}
