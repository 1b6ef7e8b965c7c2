/**
 * The page reader as it was before the scanner (`src/check/page.ts` up to issue 14): cheerio/slim
 * parses the page, one walk over the tree collects the signals. Kept only as the reference of
 * the differential test (`tests/check-page-scan.test.ts`): the scanner must read the same
 * signals from every page, or differ only where that test says so.
 */
import { load } from 'cheerio/slim';
import type { PageSignals } from '../../src/check/page.js';
import { squash } from '../../src/core/text.js';

/** Elements whose content is never shown. */
const INVISIBLE: ReadonlySet<string> = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);
/** Page furniture that repeats on every page of a site: left out of `mainText`. */
const FURNITURE: ReadonlySet<string> = new Set(['nav', 'header', 'footer', 'aside']);
const FURNITURE_ROLES: ReadonlySet<string> = new Set(['navigation', 'banner', 'contentinfo']);
const EMBEDS: ReadonlySet<string> = new Set(['script', 'iframe', 'frame']);

/** Most element names collected for `classNames` (a 512 KiB page can have tens of thousands). */
const MAX_CLASS_NAMES = 4000;
/** Most `<h2>` read when a page has no `<h1>`. */
const MAX_H2 = 3;

/** The parts of a parsed node the walk reads (domhandler's shape, without the dependency). */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
}

/**
 * The text of `roots`, a space between the text of different nodes: cheerio's `.text()` glues
 * `<h1>Not</h1><p>found</p>` into "Notfound". Iterative, so deeply nested markup cannot
 * overflow the stack.
 */
function textOf(roots: readonly DomNode[]): string {
  const parts: string[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'text') parts.push(node.data ?? '');
    else if (node.children && !(node.name && INVISIBLE.has(node.name))) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return squash(parts.join(' '));
}

/** Visits the tree once, depth first, in document order; collects everything `PageSignals` holds. */
function walk(roots: readonly DomNode[]): PageSignals {
  const signals: PageSignals = {
    title: '',
    headings: [],
    text: '',
    mainText: '',
    embeds: [],
    links: [],
    passwordField: false,
    notFreeMarkup: false,
    classNames: '',
  };
  const text: string[] = [];
  const main: string[] = [];
  const names: string[] = [];
  const h2: string[] = [];
  let titleSeen = false;
  const stack: Array<{ node: DomNode; hidden: boolean; furniture: boolean }> = [];
  for (let i = roots.length - 1; i >= 0; i--)
    stack.push({ node: roots[i]!, hidden: false, furniture: false });
  while (stack.length > 0) {
    const { node, hidden, furniture } = stack.pop()!;
    if (node.type === 'text') {
      if (hidden) continue;
      const data = node.data ?? '';
      text.push(data);
      if (!furniture) main.push(data);
      continue;
    }
    const name = node.name?.toLowerCase();
    if (!name) {
      // The document root and other containers without a name.
      if (node.children)
        for (let i = node.children.length - 1; i >= 0; i--)
          stack.push({ node: node.children[i]!, hidden, furniture });
      continue;
    }
    const attribs = node.attribs ?? {};
    if (names.length < MAX_CLASS_NAMES && (attribs.id || attribs.class))
      names.push(attribs.id ?? '', attribs.class ?? '');
    if (
      attribs.itemprop === 'isAccessibleForFree' &&
      /^false$/i.test((attribs.content ?? textOf([node])).trim())
    ) {
      signals.notFreeMarkup = true;
    }
    switch (name) {
      case 'title':
        if (!titleSeen) signals.title = textOf(node.children ?? []);
        titleSeen = true;
        break;
      case 'h1': {
        const h = textOf(node.children ?? []);
        if (h) signals.headings.push(h);
        break;
      }
      case 'h2':
        if (h2.length < MAX_H2) {
          const h = textOf(node.children ?? []);
          if (h) h2.push(h);
        }
        break;
      case 'a':
        if (attribs.href !== undefined) signals.links.push(attribs.href.toLowerCase());
        break;
      case 'input':
        if (attribs.type?.toLowerCase() === 'password') signals.passwordField = true;
        break;
      case 'script':
        if (
          attribs.type?.toLowerCase() === 'application/ld+json' &&
          /"isAccessibleForFree"\s*:\s*"?false"?/i.test(textOf(node.children ?? []))
        ) {
          signals.notFreeMarkup = true;
        }
        break;
    }
    if (EMBEDS.has(name) && attribs.src !== undefined) signals.embeds.push(attribs.src.toLowerCase());
    if (!node.children || node.children.length === 0) continue;
    const childHidden = hidden || INVISIBLE.has(name);
    const childFurniture = furniture || FURNITURE.has(name) || FURNITURE_ROLES.has(attribs.role ?? '');
    for (let i = node.children.length - 1; i >= 0; i--) {
      stack.push({ node: node.children[i]!, hidden: childHidden, furniture: childFurniture });
    }
  }
  if (signals.headings.length === 0) signals.headings = h2;
  signals.text = squash(text.join(' '));
  signals.mainText = squash(main.join(' '));
  signals.classNames = names.join(' ').toLowerCase();
  return signals;
}

/** The signals of an already decoded HTML page, read the old way. */
export function readSignalsWithCheerio(html: string): PageSignals {
  return walk(load(html).root().toArray() as unknown as DomNode[]);
}
