/**
 * Every input of a run, read and extracted before anything else happens: article files and
 * directories, and articles fetched by title from a wiki (`--wiki`, `--wiki-list`). Bad input
 * stops the run here, before a report or the state is touched.
 */

import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { InputError } from '../errors.js';
import { extractArticle } from '../extract/index.js';
import type { Article, InputFormat } from '../model.js';
import type { Fetcher } from '../net/types.js';
import { collectArticlePaths, decodeArticle } from './files.js';
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

/**
 * One input of a run, read and extracted when the run needs it: a run of thousands of articles
 * reads them one at a time and lets each go once its report is written.
 */
export interface ArticleInput {
  /** The file, or the wiki title (for messages). */
  name: string;
  /** Reads and extracts the article (again, if called again). */
  read(): Promise<LoadedArticle>;
}

/**
 * The inputs of a run, in order: article files (found and checked to exist now, read later)
 * and wiki pages (fetched now: a page is read once, so that every pass sees one revision).
 */
export async function listArticles(options: LoadOptions, deps: LoadDeps = {}): Promise<ArticleInput[]> {
  const inputs: ArticleInput[] = [];
  const titles = await wikiTitles(options);
  if (options.inputs.length > 0) {
    for (const path of await collectArticlePaths(options.inputs))
      inputs.push({ name: path, read: () => readArticle(path, options.inputFormat) });
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
      deps.logger?.info(
        { title: page.title, revision: page.revisionId, requested: page.requestedTitle },
        'article fetched from the wiki',
      );
      const read = async (): Promise<LoadedArticle> => ({
        article: extractArticle({
          text: page.wikitext,
          format: 'wikitext',
          wiki: {
            endpoint: page.endpoint,
            title: page.title,
            fetchedAt: page.fetchedAt,
            ...(page.revisionId !== undefined && { revisionId: page.revisionId }),
          },
        }),
        text: page.wikitext,
      });
      inputs.push({ name: page.title, read });
    }
  }
  return inputs;
}

/** Reads, decodes and extracts one article file; bad files are `InputError`s naming them. */
async function readArticle(path: string, format: InputFormat | undefined): Promise<LoadedArticle> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (cause) {
    throw new InputError(path, `cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause,
    });
  }
  const text = decodeArticle(path, data);
  return { article: extractArticle({ text, path, ...(format !== undefined && { format }) }), text };
}

/** Every article of the inputs, read and extracted. */
export async function loadArticles(options: LoadOptions, deps: LoadDeps = {}): Promise<LoadedArticle[]> {
  const loaded: LoadedArticle[] = [];
  for (const input of await listArticles(options, deps)) loaded.push(await input.read());
  return loaded;
}
