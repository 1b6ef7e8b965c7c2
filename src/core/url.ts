/**
 * The parts of a plain `http(s)` URL without building a `URL`. Almost every cited URL is plain
 * (a host name, a path and a query of ordinary characters), and for those the WHATWG parser
 * only lower-cases the host: this reads them with one regex. Anything else — a port out of
 * range, user info, an IP address, an international or punycode host, dot segments, a
 * character the parser would percent-encode or drop — is left to `new URL`.
 */

/** The parts of a parsed URL the callers read, as `URL` gives them. */
export interface UrlParts {
  /** Lower-cased host name, without the port. */
  hostname: string;
  pathname: string;
  /** `?` and the query, or `''` when the query is absent or empty. */
  search: string;
}

/**
 * `http` or `https`, `//`; a host of ASCII labels whose last one starts with a letter (so it is
 * no IPv4 number); an optional port; a path and a query of characters the WHATWG parser keeps
 * as they are (`'` is kept in a path but encoded in a special URL's query); any fragment.
 */
const PLAIN_URL_RE =
  /^https?:\/\/((?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*)(?::(\d{1,5}))?(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/[\]|^]*)?(\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?[\]|^]*)?(?:#.*)?$/i;
/** A dot segment, which the parser resolves (`%2e` is a dot there too). */
const DOT_SEGMENT_RE = /\/(?:\.|%2e)(?:\.|%2e)?(?:\/|$)/i;
/** A punycode label, which the parser validates. */
const PUNYCODE_RE = /(?:^|\.)xn--/i;

/**
 * The host name, path and query `new URL(url)` would give, for a plain `http(s)` URL (see
 * above); `undefined` for any other, which the caller parses with `URL`. `url` is taken as it
 * is: trim it first, as the parser would.
 */
export function plainUrlParts(url: string): UrlParts | undefined {
  const m = PLAIN_URL_RE.exec(url);
  if (m === null) return undefined;
  const host = m[1]!;
  const port = m[2];
  const path = m[3];
  if (port !== undefined && Number(port) > 65535) return undefined;
  if (PUNYCODE_RE.test(host)) return undefined;
  if (path !== undefined && DOT_SEGMENT_RE.test(path)) return undefined;
  const query = m[4];
  return {
    hostname: host.toLowerCase(),
    pathname: path ?? '/',
    search: query === undefined || query === '?' ? '' : query,
  };
}
