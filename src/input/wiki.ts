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
});

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
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

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
      maxBodyBytes: 32 * 1024 * 1024,
    });
    if (result.error)
      throw new ApiError('mediawiki', `${title}: ${result.error.kind} (${result.error.detail})`);
    let json: unknown;
    try {
      json = JSON.parse(result.body.toString('utf8'));
    } catch (cause) {
      throw new ApiError('mediawiki', `${title}: HTTP ${result.status}, not JSON`, { cause });
    }
    const parsed = ParseResponse.safeParse(json);
    if (!parsed.success)
      throw new ApiError('mediawiki', `${title}: unexpected answer: ${z.prettifyError(parsed.error)}`);
    const { parse, error } = parsed.data;
    if (error?.code === 'maxlag' || (result.status === 503 && !parse)) {
      if (attempt >= retries)
        throw new ApiError('mediawiki', `${title}: the wiki stayed lagged after ${retries} retries`);
      const wait = result.retryAfterMs ?? Math.max(5_000, (error?.lag ?? 5) * 1000);
      await sleep(Math.min(wait, 120_000));
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

/** Fetches the titles one after another (never in parallel: the wiki's etiquette). */
export async function fetchWikiPages(
  titles: readonly string[],
  options: WikiClientOptions,
  deps: WikiClientDeps,
): Promise<WikiPage[]> {
  const pages: WikiPage[] = [];
  for (const title of titles) pages.push(await fetchWikiPage(title, options, deps));
  return pages;
}

/** Reads `--wiki-list`: one title a line; blank lines and `#` comments ignored. */
export async function readTitleList(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError(path, 'cannot read the title list', { cause });
  }
  const titles = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (titles.length === 0) throw new InputError(path, 'the title list is empty');
  return [...new Set(titles)];
}
