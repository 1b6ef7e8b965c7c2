/**
 * Archive copies judged as archive copies. The Wayback Machine serves its own refusals as pages
 * — "This URL has been excluded from the Wayback Machine", "Hrm. The Wayback Machine has not
 * archived that URL", robots.txt blocks — sometimes with HTTP 200, and says so in the
 * `X-Archive-Wayback-Runtime-Error` header; and a replay that redirects from a deep page to a
 * capture of the site's front page is not a copy of the cited page. Those are `dead` archive
 * copies whatever the status says. Everything else (the captured page itself being a soft 404
 * or a parked domain, a 429, an outage) is left to `classifyResponse`, so archive copies get
 * exactly the page checks live links get — and a blocked or failing archive is never called
 * unusable. Pure.
 */
import type { FetchResult } from '../net/types.js';
import type { Classification } from './classify.js';
import { decodeText, isHtml } from './page.js';
import { isDeepUrl, isSiteRoot } from './url-shape.js';

/** Hosts whose URLs are archive copies (Wayback and the archive.today family). */
const ARCHIVE_HOSTS =
  /^(?:web\.archive\.org|wayback\.archive\.org|archive\.(?:today|ph|is|li|vn|fo|md)|webcitation\.org|www\.webcitation\.org|arquivo\.pt|webarchive\.org\.uk|www\.webarchive\.org\.uk)$/i;

/** `…/web/<timestamp><flag>/<archived URL>` */
const WAYBACK_PATH = /^\/web\/\d{1,14}(?:[a-z]{2}_)?\/(.+)$/i;

/** The Wayback Machine's own refusal pages, in the words it uses. */
const REFUSALS: ReadonlyArray<[RegExp, string]> = [
  [/\bthis url has been excluded from the wayback machine\b/i, 'archive-excluded'],
  [/\bblocked site error\b/i, 'archive-excluded'],
  [/\bpage cannot be (?:displayed|crawled) due to robots\.txt\b/i, 'archive-robots'],
  [/\bthe wayback machine has not archived that url\b/i, 'archive-not-archived'],
  [/\bwayback machine doesn['’]t have that page archived\b/i, 'archive-not-archived'],
  [/\bthis url is not available on the wayback machine\b/i, 'archive-not-archived'],
];

/** `X-Archive-Wayback-Runtime-Error` values and what they mean. */
const RUNTIME_ERRORS: ReadonlyArray<[RegExp, string]> = [
  [/AdministrativeAccessControlException|Blocked Site Error/i, 'archive-excluded'],
  [/RobotAccessControlException|Blocked By Robots/i, 'archive-robots'],
  [/ResourceNotInArchiveException|not found/i, 'archive-not-archived'],
];

/** How much of a page is searched for the refusal wording (it sits near the top). */
const REFUSAL_WINDOW = 64 * 1024;

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
};

/** True when `url` is on a web archive (a replay, not the cited page itself). */
export function isArchiveCopyUrl(url: string): boolean {
  const host = hostOf(url);
  return host !== undefined && isArchiveHost(host);
}

/** `isArchiveCopyUrl` for a URL already parsed: its hostname. */
export const isArchiveHost = (hostname: string): boolean => ARCHIVE_HOSTS.test(hostname);

/** The archived URL inside a Wayback replay URL, if it is one. */
export function archivedUrlOf(replayUrl: string): string | undefined {
  try {
    const u = new URL(replayUrl);
    const m = WAYBACK_PATH.exec(u.pathname + u.search);
    return m ? m[1] : undefined;
  } catch {
    return undefined;
  }
}

function classification(result: FetchResult, reason: string): Classification {
  const c: Classification = { outcome: 'dead', reason };
  if (result.status !== undefined) c.httpStatus = result.status;
  if (result.finalUrl !== result.url) c.finalUrl = result.finalUrl;
  return c;
}

/**
 * The archive-specific verdict on a fetched archive copy: `dead` with an `archive-*` reason
 * (or `redirect-to-root`), or `undefined` when the general classification should decide.
 */
export function classifyArchiveCopy(result: FetchResult): Classification | undefined {
  if (result.error || result.status === undefined) return undefined;
  // An overloaded or rate-limiting archive says nothing about the copy.
  if (result.status === 429 || result.status >= 500) return undefined;
  const runtime = result.headers['x-archive-wayback-runtime-error'];
  if (runtime) {
    const match = RUNTIME_ERRORS.find(([re]) => re.test(runtime));
    if (match) return classification(result, match[1]);
  }
  if (result.body.length > 0 && isHtml(result.body, result.headers['content-type'])) {
    const text = decodeText(result.body.subarray(0, REFUSAL_WINDOW), result.headers['content-type']);
    const match = REFUSALS.find(([re]) => re.test(text));
    if (match) return classification(result, match[1]);
  }
  if (result.status >= 200 && result.status < 300) {
    const cited = archivedUrlOf(result.url);
    const served = archivedUrlOf(result.finalUrl);
    if (cited && served && isDeepUrl(cited) && isSiteRoot(served))
      return classification(result, 'redirect-to-root');
  }
  return undefined;
}
