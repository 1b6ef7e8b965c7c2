/**
 * Every input of a run, read and extracted before anything else happens: article files and
 * directories, and articles fetched by title from a wiki (`--wiki`, `--wiki-list`). Bad input
 * stops the run here, before a report or the state is touched.
 */
import type { Logger } from 'pino';
import { extractArticle } from '../extract/index.js';
import type { Article, InputFormat } from '../model.js';
import type { Fetcher } from '../net/types.js';
import { readArticleFiles } from './files.js';
import { fetchWikiPages, readTitleList } from './wiki.js';

export interface LoadOptions {
  inputs: readonly string[];
  inputFormat?: InputFormat;
  wiki?: readonly string[];
  wikiList?: string;
  /** MediaWiki Action API endpoint. */
  mediawiki: string;
}

export interface LoadDeps {
  /** Needed only when titles are given. */
  fetcher?: Fetcher;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
}

/** An article and the text it was extracted from (for `--patch`). */
export interface LoadedArticle {
  article: Article;
  text: string;
}

/** The titles of `--wiki` and `--wiki-list`, in order, without repeats. */
export async function wikiTitles(options: Pick<LoadOptions, 'wiki' | 'wikiList'>): Promise<string[]> {
  const listed = options.wikiList ? await readTitleList(options.wikiList) : [];
  return [...new Set([...(options.wiki ?? []), ...listed])];
}

export async function loadArticles(options: LoadOptions, deps: LoadDeps = {}): Promise<LoadedArticle[]> {
  const loaded: LoadedArticle[] = [];
  const titles = await wikiTitles(options);
  if (options.inputs.length > 0) {
    for (const file of await readArticleFiles(options.inputs)) {
      const article = extractArticle({
        text: file.text,
        path: file.path,
        ...(options.inputFormat !== undefined && { format: options.inputFormat }),
      });
      loaded.push({ article, text: file.text });
    }
  }
  if (titles.length > 0) {
    if (!deps.fetcher) throw new TypeError('loadArticles: a fetcher is needed for wiki titles');
    const pages = await fetchWikiPages(
      titles,
      { endpoint: options.mediawiki },
      {
        fetcher: deps.fetcher,
        ...(deps.now && { now: deps.now }),
        ...(deps.sleep && { sleep: deps.sleep }),
      },
    );
    for (const page of pages) {
      const article = extractArticle({
        text: page.wikitext,
        format: 'wikitext',
        wiki: {
          endpoint: page.endpoint,
          title: page.title,
          fetchedAt: page.fetchedAt,
          ...(page.revisionId !== undefined && { revisionId: page.revisionId }),
        },
      });
      loaded.push({ article, text: page.wikitext });
      deps.logger?.info(
        { title: page.title, revision: page.revisionId, requested: page.requestedTitle },
        'article fetched from the wiki',
      );
    }
  }
  return loaded;
}
