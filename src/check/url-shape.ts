/**
 * What a URL's shape says on its own: a site's front page, an error page, a login page. Used on
 * the final URL of a redirect chain ("the article now redirects to the home page") and as one
 * signal among several for soft 404s. Pure.
 */

/** Query parameters that only track a visit; a URL with nothing else in its query has none. */
const TRACKING_PARAM = /^(?:utm_\w+|ref|referrer|source|fbclid|gclid|mc_[ce]id|_ga|lang|locale|hl)$/i;

/** A last segment that is only the directory's index page. */
const INDEX_FILE = /^(?:index|default|home|start|main|welcome)(?:\.(?:s?html?|php\d?|aspx?|jsp|cfm))?$/i;

/** A segment that is a language or locale: `en`, `de-de`, `pt_BR`, `zh-hans`. */
const LOCALE = /^[a-z]{2}(?:[-_][a-z]{2,4})?$/i;

/** A last path segment that names an error page (`/error`, `/not-found.html`, `/404`). */
const ERROR_PAGE =
  /^(?:404|410|error|error[-_]?404|404[-_]?error|not[-_]?found|page[-_]?not[-_]?found|pagenotfound|file[-_]?not[-_]?found|page[-_]?missing|no[-_]?encontrad[ao])(?:\.(?:s?html?|php\d?|aspx?|jsp|cfm))?$/i;
/** A segment anywhere in the path that only an error page has (`/404/`, `/errors/404.html`). */
const ERROR_SEGMENT =
  /^(?:404|410|error[-_]?404|404[-_]?error|page[-_]?not[-_]?found|pagenotfound)(?:\.\w+)?$/i;

/** Query parameters whose presence names an error page (`?error=404`, `?aspxerrorpath=/x`). */
const ERROR_QUERY = /(?:^|[?&])(?:aspxerrorpath|error(?:code)?=(?:404|410|not[-_]?found)|status=404|e=404)/i;

/** Path segments of login and subscription pages. */
const LOGIN_SEGMENT =
  /^(?:login|log-in|logon|signin|sign-in|sign_in|auth|sso|authenticate|authorize|oauth\d?|account[s]?|idp|cas|session|subscribe|subscription|register|paywall|connexion|anmelden|iniciar-sesion)$/i;

/**
 * Printable ASCII without `%` and `\`. Parsing such a URL may lower-case its host, drop dot
 * segments and escape a few characters of its path and query, but it makes no new letters or
 * digits there: whatever the parsed path and query say, the string says already.
 */
const PLAIN_URL = /^[!-$&-[\]-~]*$/;

/** A word that every error-page pattern below contains (their cheap test before a parse). */
const ERROR_WORD = /404|410|error|found|missing|encontrad/i;

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
};

const segmentsOf = (u: URL): string[] =>
  u.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });

/** True when the query carries something besides tracking parameters. */
function hasContentQuery(u: URL): boolean {
  for (const name of u.searchParams.keys()) if (!TRACKING_PARAM.test(name)) return true;
  return false;
}

/**
 * True for a site's front page: `/`, `/index.html`, `/en/`, `/de-de/home` — a path with no
 * more than a locale and an index file, and no query besides tracking parameters.
 */
export function isSiteRoot(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  if (hasContentQuery(u)) return false;
  const segments = segmentsOf(u);
  if (segments.length > 0 && INDEX_FILE.test(segments.at(-1)!)) segments.pop();
  if (segments.length > 0 && LOCALE.test(segments[0]!)) segments.shift();
  return segments.length === 0;
}

/** True when the URL points below the front page: the opposite of `isSiteRoot`. */
export const isDeepUrl = (url: string): boolean => parse(url) !== undefined && !isSiteRoot(url);

/**
 * True when the URL's path or query names an error page (`/404`, `/errors/not-found.html`,
 * `?aspxerrorpath=…`). Only the last segment may be a generic word like `error`, so a
 * documentation page under `/error/handling` does not count.
 */
export function looksLikeErrorUrl(url: string): boolean {
  // Every 2xx page comes through here: most URLs name no error, and need no parse to say so.
  if (PLAIN_URL.test(url) && !ERROR_WORD.test(url)) return false;
  const u = parse(url);
  if (!u) return false;
  if (ERROR_QUERY.test(u.search)) return true;
  const segments = segmentsOf(u);
  const last = segments.at(-1);
  return (last !== undefined && ERROR_PAGE.test(last)) || segments.some((s) => ERROR_SEGMENT.test(s));
}

/** True when the URL's path names a login, sign-in or subscription page. */
export function looksLikeLoginUrl(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  return segmentsOf(u).some((s) => LOGIN_SEGMENT.test(s));
}

/** Same resource: equal after dropping the fragment and a trailing slash, scheme and `www.` ignored. */
export function sameResource(a: string, b: string): boolean {
  // A fetch that was not redirected (most) has the same URL twice.
  if (a === b) return true;
  const ua = parse(a);
  const ub = parse(b);
  if (!ua || !ub) return a === b;
  const key = (u: URL): string =>
    `${u.hostname.replace(/^www\./i, '').toLowerCase()}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  return key(ua) === key(ub);
}
