/**
 * Articles by title from a MediaWiki Action API (`--wiki`, `--wiki-list`): one request at a
 * time, `maxlag=5` and `Retry-After` obeyed, the revision id and fetch time kept.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ApiError, InputError, WikiMissingTitleError } from '../errors.js';
import type { Fetcher } from '../net/types.js';

/** How often a `maxlag` answer is waited out before giving up. @default 5 */
export const DEFAULT_MAXLAG_RETRIES = 5;

/** One entry of `errors` (any `errorformat` but `bc`): `text` in formatversion 2, `*` in 1. */
const ModernError = z.object({
  code: z.string(),
  text: z.string().optional(),
  '*': z.string().optional(),
  data: z.object({ lag: z.number().optional() }).optional(),
});

/**
 * The `action=parse` answer. Errors come as `error` in the legacy format (`bc`, and wikis older
 * than MediaWiki 1.29, which ignore `errorformat`) and as `errors[]` in the format asked for.
 */
const ParseResponse = z.object({
  parse: z
    .object({
      title: z.string(),
      pageid: z.number().int().optional(),
      revid: z.number().int().optional(),
      text: z.string().optional(),
      wikitext: z.string().optional(),
    })
    .optional(),
  error: z.object({ code: z.string(), info: z.string().optional(), lag: z.number().optional() }).optional(),
  errors: z.array(ModernError).optional(),
});

/** An API error, whichever format it came in. */
interface WikiApiError {
  code: string;
  info?: string;
  /** Replication lag in seconds (maxlag errors). */
  lag?: number;
}

function apiErrorOf(answer: z.infer<typeof ParseResponse>): WikiApiError | undefined {
  if (answer.error) return answer.error;
  const first = answer.errors?.[0];
  if (!first) return undefined;
  const info = first.text ?? first['*'];
  return {
    code: first.code,
    ...(info !== undefined && { info }),
    ...(first.data?.lag !== undefined && { lag: first.data.lag }),
  };
}

/** Largest answer read: the biggest articles' HTML plus wikitext stay well below it. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
/** Longest single wait for a lagged or overloaded wiki, whatever its `Retry-After` says. */
export const MAX_LAG_WAIT_MS = 120_000;
/** Wait when the wiki gives neither `Retry-After` nor a lag: the `maxlag` asked for. */
const DEFAULT_LAG_WAIT_MS = 5_000;

export interface WikiPage {
  /** The title after redirects. */
  title: string;
  requestedTitle: string;
  revisionId?: number;
  wikitext: string;
  html: string;
  endpoint: string;
  fetchedAt: string;
}

export interface WikiClientOptions {
  /** `action=parse` endpoint, e.g. `https://en.wikipedia.org/w/api.php`. */
  endpoint: string;
  /** @default 5 */
  maxlagRetries?: number;
}

export interface WikiClientDeps {
  fetcher: Fetcher;
  /** Stamps `fetchedAt`. @default () => new Date() */
  now?: () => Date;
  /** Waits out lag. @default setTimeout-based sleep */
  sleep?: (ms: number) => Promise<void>;
}

/** The `action=parse` URL for `title`; the endpoint's own path and query are kept. */
export function parseUrl(endpoint: string, title: string): string {
  const url = new URL(endpoint);
  const params = {
    action: 'parse',
    page: title,
    prop: 'text|wikitext|revid',
    formatversion: '2',
    redirects: '1',
    maxlag: '5',
    format: 'json',
    errorformat: 'plaintext',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** Fetches one article; `WikiMissingTitleError` when the wiki has no such page. */
export async function fetchWikiPage(
  title: string,
  options: WikiClientOptions,
  deps: WikiClientDeps,
): Promise<WikiPage> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = deps.now ?? (() => new Date());
  const retries = options.maxlagRetries ?? DEFAULT_MAXLAG_RETRIES;
  for (let attempt = 0; ; attempt++) {
    const result = await deps.fetcher.fetch({
      url: parseUrl(options.endpoint, title),
      headers: { accept: 'application/json' },
      maxBodyBytes: MAX_ANSWER_BYTES,
    });
    if (result.error)
      throw new ApiError('mediawiki', `${title}: ${result.error.kind} (${result.error.detail})`);
    if (result.truncated)
      throw new ApiError('mediawiki', `${title}: the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
    // Overloaded (Wikimedia answers an HTML error page): the fetcher has already retried it;
    // wait like for a lagged wiki before giving up.
    const overloaded = result.status === 503;
    let json: unknown;
    try {
      json = JSON.parse(result.body.toString('utf8'));
    } catch (cause) {
      if (!overloaded)
        throw new ApiError('mediawiki', `${title}: HTTP ${result.status}, not JSON`, { cause });
    }
    const parsed = ParseResponse.safeParse(json);
    if (!parsed.success && !overloaded)
      throw new ApiError('mediawiki', `${title}: unexpected answer: ${z.prettifyError(parsed.error)}`);
    const parse = parsed.data?.parse;
    const error = parsed.data && apiErrorOf(parsed.data);
    if (error?.code === 'maxlag' || (overloaded && !parse)) {
      if (attempt >= retries) {
        const why = error?.code === 'maxlag' ? 'stayed lagged' : `answered HTTP ${result.status}`;
        throw new ApiError('mediawiki', `${title}: the wiki ${why} after ${retries} retries`);
      }
      const wait = result.retryAfterMs ?? Math.max(DEFAULT_LAG_WAIT_MS, (error?.lag ?? 0) * 1000);
      await sleep(Math.min(wait, MAX_LAG_WAIT_MS));
      continue;
    }
    if (error?.code === 'missingtitle' || error?.code === 'invalidtitle')
      throw new WikiMissingTitleError(title, options.endpoint);
    if (error)
      throw new ApiError('mediawiki', `${title}: ${error.code}${error.info ? ` (${error.info})` : ''}`);
    if (!parse || parse.wikitext === undefined || parse.text === undefined) {
      throw new ApiError('mediawiki', `${title}: the answer has no wikitext or text`);
    }
    return {
      title: parse.title,
      requestedTitle: title,
      ...(parse.revid !== undefined && { revisionId: parse.revid }),
      wikitext: parse.wikitext,
      html: parse.text,
      endpoint: options.endpoint,
      fetchedAt: now().toISOString(),
    };
  }
}

/**
 * Fetches the titles one after another (never in parallel: the wiki's etiquette). Titles that
 * lead to the same page (redirects, spelling variants) give it once, under the first of them.
 */
export async function fetchWikiPages(
  titles: readonly string[],
  options: WikiClientOptions,
  deps: WikiClientDeps,
): Promise<WikiPage[]> {
  const pages: WikiPage[] = [];
  const seen = new Set<string>();
  for (const title of titles) {
    const page = await fetchWikiPage(title, options, deps);
    if (seen.has(page.title)) continue;
    seen.add(page.title);
    pages.push(page);
  }
  return pages;
}

/** Spellings MediaWiki reads as one title: `_` and runs of spaces are a single space. */
const titleKey = (title: string): string => title.replace(/[_\s]+/g, ' ').trim();

/**
 * Reads `--wiki-list`: one title a line; blank lines and `#` comments ignored; a title given
 * twice (`Foo bar`, `Foo_bar`) is kept once, as first written. `InputError` when the file
 * cannot be read or lists no title.
 */
export async function readTitleList(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError(path, 'cannot read the title list', { cause });
  }
  const titles = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    // trim() also drops a byte-order mark at the start of the file.
    const title = line.trim();
    if (!title || title.startsWith('#')) continue;
    const key = titleKey(title);
    if (!titles.has(key)) titles.set(key, title);
  }
  if (titles.size === 0) throw new InputError(path, 'the title list is empty');
  return [...titles.values()];
}
