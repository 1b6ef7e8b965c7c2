/**
 * Turns the command line's FILES|DIRS into article texts, refusing anything that is not an
 * article with one clear `InputError` naming the file — before anything is written.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DEFAULTS } from '../defaults.js';
import { InputError } from '../errors.js';

/** File extensions taken from a directory argument. */
export const ARTICLE_EXTENSIONS: readonly string[] = [
  '.md',
  '.markdown',
  '.txt',
  '.html',
  '.htm',
  '.wiki',
  '.wikitext',
];

export interface ArticleFile {
  path: string;
  text: string;
  bytes: number;
}

/** Expands directories (not recursively) into their article files, sorted by name. */
export async function collectArticlePaths(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(arg);
    } catch (cause) {
      throw new InputError(arg, 'no such file or directory', { cause });
    }
    if (info.isDirectory()) {
      const names = (await readdir(arg)).filter((n) => ARTICLE_EXTENSIONS.includes(extname(n).toLowerCase()));
      if (names.length === 0) {
        throw new InputError(arg, `directory has no article files (${ARTICLE_EXTENSIONS.join(', ')})`);
      }
      for (const name of names.sort()) out.push(join(arg, name));
    } else if (info.isFile()) {
      out.push(arg);
    } else {
      throw new InputError(arg, 'not a regular file or directory');
    }
  }
  return [...new Set(out)];
}

/**
 * Decodes an article file: UTF-8 (BOM stripped) or UTF-16 with a BOM. Binary content, empty
 * files and invalid UTF-8 are refused.
 */
export function decodeArticle(
  path: string,
  data: Uint8Array,
  maxBytes: number = DEFAULTS.maxInputBytes,
): string {
  if (data.length > maxBytes) throw new InputError(path, `file is larger than ${maxBytes} bytes`);
  let text: string;
  if (data[0] === 0xff && data[1] === 0xfe) text = new TextDecoder('utf-16le').decode(data.subarray(2));
  else if (data[0] === 0xfe && data[1] === 0xff) text = new TextDecoder('utf-16be').decode(data.subarray(2));
  else {
    if (data.subarray(0, 8192).includes(0)) throw new InputError(path, 'binary file, not an article');
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
    } catch (cause) {
      throw new InputError(path, 'not valid UTF-8 text (save the article as UTF-8)', { cause });
    }
  }
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 8192).replace(/\u001b/g, ''))) {
    throw new InputError(path, 'binary file, not an article');
  }
  if (text.trim() === '') throw new InputError(path, 'file is empty');
  return text;
}

/** Reads every article named on the command line; throws on the first bad one. */
export async function readArticleFiles(args: readonly string[]): Promise<ArticleFile[]> {
  const paths = await collectArticlePaths(args);
  const files: ArticleFile[] = [];
  for (const path of paths) {
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (cause) {
      throw new InputError(path, `cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, {
        cause,
      });
    }
    files.push({ path, text: decodeArticle(path, data), bytes: data.length });
  }
  return files;
}
