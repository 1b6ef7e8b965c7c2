/**
 * The extract stage: any supported input format in, one `Article` out.
 */
import { createHash } from 'node:crypto';
import type { Article, ArticleSource, InputFormat } from '../model.js';
import { detectFormat } from './detect.js';
import { extractHtml } from './html.js';
import { extractMarkdown } from './markdown.js';
import { extractWikitext } from './wikitext.js';

export { detectFormat } from './detect.js';
export { extractHtml } from './html.js';
export { classifyUrl, isArchiveUrl } from './links.js';
export { extractMarkdown } from './markdown.js';
export { extractWikitext } from './wikitext.js';

export interface ExtractInput {
  text: string;
  /** File the text came from, for format detection and the report's source. */
  path?: string;
  /** Forces a format instead of detecting it. */
  format?: InputFormat;
  /** Set when the article was fetched by title from a wiki. */
  wiki?: ArticleSource['wiki'];
}

/** Detects the format (unless given) and runs the matching extractor. */
export function extractArticle(input: ExtractInput): Article {
  const format = input.format ?? detectFormat(input.text, input.path);
  const source: ArticleSource = {
    format,
    bytes: Buffer.byteLength(input.text),
    sha256: createHash('sha256').update(input.text).digest('hex'),
    ...(input.path !== undefined && { path: input.path }),
    ...(input.wiki !== undefined && { wiki: input.wiki }),
  };
  switch (format) {
    case 'markdown':
      return extractMarkdown(input.text, source);
    case 'html':
      return extractHtml(input.text, source);
    case 'wikitext':
      return extractWikitext(input.text, source);
  }
}
