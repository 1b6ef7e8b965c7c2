/**
 * A MediaWiki Action API for the loopback simulator, playing `action=parse` the way a real wiki
 * answers it: `formatversion` 1 and 2 shapes, the legacy (`bc`) and the modern (`errorformat=…`)
 * error formats, title normalisation, redirects (followed only with `redirects`), `maxlag` with
 * `Retry-After` and `X-Database-Lag` on an HTTP 200 answer, the help page when `format` is
 * missing, and a 403 for requests without an honest User-Agent (Wikimedia's policy). A client
 * that forgets a parameter gets what the real wiki would give it, not a friendly default.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route, SimHost } from './simulator.js';

/** A page the wiki holds. */
export interface WikiPageSpec {
  title: string;
  wikitext: string;
  /** The parser output (`prop=text`). @default a paragraph with the escaped wikitext */
  html?: string;
  /** @default 1000 + the page's position */
  revid?: number;
  /** @default 100 + the page's position */
  pageid?: number;
}

/** An answer that replaces the wiki's own (malformed bodies, odd statuses). */
export interface RawAnswer {
  status: number;
  body: string;
  /** @default { 'content-type': 'application/json; charset=utf-8' } */
  headers?: Record<string, string>;
}

export interface MediaWikiSpec {
  pages: WikiPageSpec[];
  /** Redirect pages: title → target title (both normalised by the wiki). @default {} */
  redirects?: Record<string, string>;
  /** Replication lag in seconds seen by the n-th request (1-based, all requests). @default () => 0 */
  lag?: (n: number) => number;
  /** `Retry-After` seconds sent with a maxlag error; `null` sends none. @default max(maxlag, 5), as MediaWiki does */
  retryAfter?: number | null;
  /** An answer used instead of the wiki's for the n-th request, when it returns one. */
  override?: (n: number, params: URLSearchParams) => RawAnswer | undefined;
  /** Milliseconds before each answer (makes overlapping requests visible). @default 0 */
  latencyMs?: number;
}

export interface MediaWikiHost extends SimHost {
  /** Requests the API answered (403s for a bad User-Agent included). */
  readonly served: () => number;
}

/** The host name the API is served under. @default 'en.wikipedia.org' */
export const MEDIAWIKI_HOST = 'en.wikipedia.org';
/** Where the API lives on the host. @default '/w/api.php' */
export const MEDIAWIKI_PATH = '/w/api.php';

/** What every Wikimedia wiki answers to a client with no or a generic User-Agent. */
export const USER_AGENT_REFUSAL =
  'Please set a user-agent and respect our robot policy https://w.wiki/4wJS.\n';

const SERVED_BY = 'mw-api-sim.loopback';
const GENERIC_AGENTS =
  /^(node|undici|axios|got|python-requests|python-urllib|curl|wget|go-http-client|java)\b/i;
/** `name/version (contact)`: a contact is a URL or an e-mail address inside the parentheses. */
const HONEST_AGENT = /^[\w.-]+\/\S+ \([^()]*(https?:\/\/\S+|\S+@\S+\.\S+)[^()]*\)/;
/** Characters MediaWiki never allows in a title (`$wgLegalTitleChars` leaves them out). */
const ILLEGAL_TITLE = /[<>[\]{}|\u0000-\u001f\u007f]/;

interface ApiFailure {
  code: string;
  text: string;
  module: string;
  data?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Title normalisation as on a `$wgCapitalLinks` wiki: `_` is a space, runs collapse, first letter upper. */
export function normalizeWikiTitle(raw: string): string | undefined {
  const title = (raw.split('#')[0] ?? '').replace(/[_\s]+/g, ' ').trim();
  if (!title || ILLEGAL_TITLE.test(title)) return undefined;
  return title.charAt(0).toUpperCase() + title.slice(1);
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const renderHtml = (wikitext: string): string =>
  `<div class="mw-content-ltr mw-parser-output" lang="en" dir="ltr"><p>${escapeHtml(wikitext)}</p></div>`;

/**
 * The API as a simulator host. Only `path` answers; any other path is a 404 page, so a client
 * that ignores a configured endpoint path is caught.
 */
export function mediawikiService(
  spec: MediaWikiSpec,
  options: { name?: string; path?: string } = {},
): MediaWikiHost {
  const name = options.name ?? MEDIAWIKI_HOST;
  const path = options.path ?? MEDIAWIKI_PATH;
  const pages = new Map<string, Required<WikiPageSpec>>();
  spec.pages.forEach((page, i) => {
    const title = normalizeWikiTitle(page.title);
    if (title === undefined) throw new Error(`mediawikiService: bad title ${page.title}`);
    pages.set(title, {
      title,
      wikitext: page.wikitext,
      html: page.html ?? renderHtml(page.wikitext),
      revid: page.revid ?? 1000 + i,
      pageid: page.pageid ?? 100 + i,
    });
  });
  const redirects = new Map<string, string>();
  for (const [from, to] of Object.entries(spec.redirects ?? {})) {
    const source = normalizeWikiTitle(from);
    const target = normalizeWikiTitle(to);
    if (source === undefined || target === undefined)
      throw new Error(`mediawikiService: bad redirect ${from}`);
    redirects.set(source, target);
  }
  let served = 0;

  const route: Route = async (req, res) => {
    const n = ++served;
    if (spec.latencyMs) await new Promise((resolve) => setTimeout(resolve, spec.latencyMs));
    const url = new URL(req.url ?? '/', 'http://sim');
    const params = url.searchParams;
    if (!honestAgent(req)) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end(USER_AGENT_REFUSAL);
      return;
    }
    const raw = spec.override?.(n, params);
    if (raw) {
      res.writeHead(raw.status, raw.headers ?? { 'content-type': 'application/json; charset=utf-8' });
      res.end(raw.body);
      return;
    }
    const answer = answerParse(params, n);
    send(res, params, answer);
  };

  const answerParse = (
    params: URLSearchParams,
    n: number,
  ): ApiFailure | { parse: Record<string, unknown> } => {
    const maxlag = params.get('maxlag');
    if (maxlag !== null) {
      const limit = Number(maxlag);
      const lag = spec.lag?.(n) ?? 0;
      if (Number.isFinite(limit) && lag > limit) {
        const retryAfter = spec.retryAfter === undefined ? Math.max(Math.trunc(limit), 5) : spec.retryAfter;
        return {
          code: 'maxlag',
          text: `Waiting for 10.64.16.8: ${lag} seconds lagged.`,
          module: 'main',
          data: { host: '10.64.16.8', lag, type: 'db' },
          headers: {
            'x-database-lag': String(Math.trunc(lag)),
            ...(retryAfter !== null && { 'retry-after': String(retryAfter) }),
          },
        };
      }
    }
    const action = params.get('action');
    if (action !== 'parse') {
      return {
        code: 'badvalue',
        text: `Unrecognized value for parameter "action": ${action ?? ''}.`,
        module: 'main',
      };
    }
    const page = params.get('page');
    if (page === null) {
      return {
        code: 'missingparam',
        text: 'One of the parameters "title", "page", "pageid" and "oldid" is required.',
        module: 'parse',
      };
    }
    const requested = normalizeWikiTitle(page);
    if (requested === undefined)
      return { code: 'invalidtitle', text: `Bad title "${page}".`, module: 'parse' };
    let title = requested;
    const followed: Array<{ from: string; to: string }> = [];
    const target = redirects.get(title);
    // `redirects` is a boolean parameter: present (any value) means "follow".
    if (target !== undefined && params.has('redirects')) {
      followed.push({ from: title, to: target });
      title = target;
    }
    const fv2 = isFormatVersion2(params);
    const props = new Set((params.get('prop') ?? 'text|revid|displaytitle').split('|'));
    const content = (value: string): unknown => (fv2 ? value : { '*': value });
    if (target !== undefined && followed.length === 0) {
      // The redirect page itself, as the wiki parses it without `redirects`.
      const wikitext = `#REDIRECT [[${target}]]`;
      return {
        parse: {
          title,
          pageid: 9000,
          ...(props.has('revid') && { revid: 9001 }),
          ...(props.has('text') && {
            text: content(
              `<div class="redirectMsg"><p>Redirect to:</p><ul class="redirectText"><li>${escapeHtml(target)}</li></ul></div>`,
            ),
          }),
          ...(props.has('wikitext') && { wikitext: content(wikitext) }),
        },
      };
    }
    const found = pages.get(title);
    if (!found)
      return { code: 'missingtitle', text: "The page you specified doesn't exist.", module: 'parse' };
    return {
      parse: {
        title: found.title,
        pageid: found.pageid,
        ...(followed.length > 0 && { redirects: followed }),
        ...(props.has('revid') && { revid: found.revid }),
        ...(props.has('text') && { text: content(found.html) }),
        ...(props.has('wikitext') && { wikitext: content(found.wikitext) }),
      },
    };
  };

  return { name, routes: { [path]: route }, served: () => served };
}

function honestAgent(req: IncomingMessage): boolean {
  const agent = req.headers['user-agent'];
  return agent !== undefined && !GENERIC_AGENTS.test(agent) && HONEST_AGENT.test(agent);
}

function isFormatVersion2(params: URLSearchParams): boolean {
  const v = params.get('formatversion');
  return v === '2' || v === 'latest';
}

/** Writes the answer in the format, format version and error format the request asked for. */
function send(
  res: ServerResponse,
  params: URLSearchParams,
  answer: ApiFailure | { parse: Record<string, unknown> },
): void {
  const fv2 = isFormatVersion2(params);
  const docref = 'See https://en.wikipedia.org/w/api.php for API usage.';
  let body: Record<string, unknown>;
  const headers: Record<string, string> = {};
  if ('parse' in answer) {
    body = answer;
  } else {
    Object.assign(headers, answer.headers);
    res.setHeader('mediawiki-api-error', answer.code);
    const errorformat = params.get('errorformat') ?? 'bc';
    if (errorformat === 'bc') {
      body = {
        error: { code: answer.code, info: answer.text, ...answer.data, [fv2 ? 'docref' : '*']: docref },
        servedby: SERVED_BY,
      };
    } else {
      const error: Record<string, unknown> = { code: answer.code };
      if (errorformat !== 'none') error[fv2 ? 'text' : '*'] = answer.text;
      if (answer.data) error.data = answer.data;
      error.module = answer.module;
      body = { errors: [error], docref, servedby: SERVED_BY };
    }
  }
  const json = JSON.stringify(body);
  if (params.get('format') !== 'json') {
    // The API's default format is `jsonfm`: the JSON pretty-printed inside an HTML help page.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(
      `<!DOCTYPE html><html><body><pre>${escapeHtml(JSON.stringify(body, null, 4))}</pre></body></html>`,
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(json);
}
