/**
 * Wikipedia HTML — the page as rendered (whole page with its navigation, or only the
 * `#mw-content-text` / `.mw-parser-output` part) or Parsoid HTML — into an `Article`.
 *
 * References come from the reference lists (`html-references.ts`), the body with its
 * citations and tags from the content (`html-body.ts`). Parsed with `cheerio/slim`
 * (htmlparser2): about three times faster than the parse5 build on large pages, and
 * Wikipedia's well-formed output needs no HTML5 error recovery. Pure.
 */
import { basename, extname } from 'node:path';
import { loadHtml as load } from '../core/lazy.js';
import { squash } from '../core/text.js';
import { InputError } from '../errors.js';
import type { Article, ArticleSource } from '../model.js';
import { emptyArticle } from '../model.js';
import { extractBody } from './html-body.js';
import type { AnyNode, Element } from './html-dom.js';
import { dataMw, descendants, hasClass, isElement, markerTarget, textOf } from './html-dom.js';
import type { MarkerInfo } from './html-references.js';
import { extractReferences } from './html-references.js';

const subjectOf = (source: ArticleSource): string => source.path ?? source.wiki?.title ?? 'HTML input';

/**
 * Extracts an article from Wikipedia HTML. Throws only `InputError` (empty input, or a
 * document that cannot be read at all).
 */
export function extractHtml(html: string, source: ArticleSource): Article {
  if (!html.trim()) throw new InputError(subjectOf(source), 'the HTML is empty');
  try {
    return extract(html, source);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(subjectOf(source), 'cannot be read as Wikipedia HTML', { cause: error });
  }
}

function extract(html: string, source: ArticleSource): Article {
  const $ = load(html);
  const doc = $.root().get(0)!;
  // One walk instead of cheerio selectors: `$(selector)` and `.find()` run `removeSubsets` over
  // the context's children, quadratic in them (20 000 top-level paragraphs took 2 s a call).
  const elements = [...descendants(doc)];
  const first = (test: (el: Element) => boolean): Element | undefined => elements.find(test);
  const isContentText = (el: Element): boolean => el.attribs.id === 'mw-content-text';
  const isParserOutput = (el: Element): boolean => hasClass(el, 'mw-parser-output');
  // The content's own `.mw-parser-output` first: site notices outside it can have one too.
  const root: AnyNode =
    first((el) => isParserOutput(el) && hasAncestor(el, isContentText)) ??
    first(isParserOutput) ??
    first(isContentText) ??
    first((el) => el.name === 'body') ??
    doc;

  const heading = first((el) => el.name === 'h1' && el.attribs.id === 'firstHeading');
  const documentTitle = $(elements.filter((el) => el.name === 'title')).text();
  const article = emptyArticle(source, titleOf(heading, documentTitle, source));

  const markers = collectMarkers(root);
  const lists = [...descendants(root)].filter(
    (el) =>
      el.name === 'ol' &&
      (hasClass(el, 'references') || hasClass(el, 'mw-references')) &&
      !isInsideOtherList(el),
  );
  const refs = extractReferences(lists, markers);

  const ids = new Map<string, string>();
  for (const r of refs.references) {
    ids.set(r.id, r.id);
    ids.set(safeDecode(r.id), r.id);
  }
  const resolve = (fragment: string): string =>
    ids.get(fragment) ?? ids.get(safeDecode(fragment)) ?? safeDecode(fragment);

  const body = extractBody(root, resolve);
  article.sections = body.sections;
  article.blocks = body.blocks;
  article.citations = body.citations;
  article.references = refs.references;
  article.tags = [...body.tags, ...refs.tags];

  const uses = new Map<string, number>();
  const count = (id: string): void => {
    uses.set(id, (uses.get(id) ?? 0) + 1);
  };
  for (const c of body.citations) count(c.referenceId);
  for (const fragment of refs.uses) count(resolve(fragment));
  for (const r of refs.references) r.inlineCitations = uses.get(r.id) ?? 0;
  return article;
}

/** Whether an element above `el` (not `el` itself) passes `test`. */
function hasAncestor(el: Element, test: (el: Element) => boolean): boolean {
  for (let p: AnyNode | null = el.parent; p && isElement(p); p = p.parent) if (test(p)) return true;
  return false;
}

/** A references list nested in another one (a note's own list) is read with its parent. */
function isInsideOtherList(el: Element): boolean {
  for (let p: AnyNode | null = el.parent; p && isElement(p); p = p.parent) {
    if (p.name === 'ol' && /\b(?:mw-)?references\b/.test(p.attribs.class ?? '')) return true;
  }
  return false;
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** `h1#firstHeading`, else `<title>` without the site name, else the caller's title or file name. */
function titleOf(heading: Element | undefined, docTitle: string, source: ArticleSource): string {
  const fromHeading = heading ? textOf(heading) : '';
  if (fromHeading) return fromHeading;
  const fromTitle = squash(docTitle).replace(/\s+[-–—]\s+Wiki[a-z]*$/i, '');
  if (fromTitle) return fromTitle;
  if (source.wiki?.title) return source.wiki.title;
  if (source.path) return basename(source.path, extname(source.path)).replace(/_/g, ' ');
  return '';
}

/** Everything the inline markers say about the notes they point to, by `cite_note-…` id. */
function collectMarkers(root: AnyNode): Map<string, MarkerInfo[]> {
  const out = new Map<string, MarkerInfo[]>();
  for (const el of descendants(root)) {
    if (el.name !== 'sup') continue;
    const target = markerTarget(el);
    if (target === undefined) continue;
    const info: MarkerInfo = {};
    const label = textOf(el)
      .replace(/^\[|\]$/g, '')
      .trim();
    if (label) info.label = label;
    for (const a of descendants(el)) {
      if (a.name === 'a' && a.attribs['data-mw-group']) info.group = a.attribs['data-mw-group'];
    }
    const attrs = (dataMw(el) as { attrs?: { name?: unknown; group?: unknown } } | undefined)?.attrs;
    if (typeof attrs?.name === 'string' && attrs.name.trim()) info.name = attrs.name.trim();
    if (typeof attrs?.group === 'string' && attrs.group.trim()) info.group = attrs.group.trim();
    for (const key of new Set([target, safeDecode(target)])) {
      const list = out.get(key) ?? [];
      list.push(info);
      out.set(key, list);
    }
  }
  return out;
}
