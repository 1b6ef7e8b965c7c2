/**
 * What the classifier reads from a fetched page: its title, headings, visible text and the few
 * raw markers (script and frame sources, password fields, structured data) that give away soft
 * 404s, parked domains, bot challenges and paywalls. Pure: a body in, plain values out.
 *
 * `cheerio/slim` (htmlparser2) parses a large page about three times faster than the default
 * parse5 build, and classification needs no spec-exact tree. Everything is then read in one
 * walk over the tree, which skips `<script>`/`<style>` (cheerio's `.text()` would include their
 * source) and costs less than a selector query per signal.
 */
import { loadHtml as load } from '../core/lazy.js';
import { squash } from '../core/text.js';

/** The parts of an HTML page the classification rules look at. */
export interface PageSignals {
  /** `<title>`, whitespace squashed. */
  title: string;
  /** Text of every `<h1>` (and `<h2>` when there is no `<h1>`). */
  headings: string[];
  /** Visible text of the whole body, navigation included, whitespace squashed. */
  text: string;
  /** Visible text without `nav`/`header`/`footer`/`aside`: how much the page has to say. */
  mainText: string;
  /** `src` of scripts, iframes and frames, lower-cased. */
  embeds: string[];
  /** `href` of links, lower-cased. */
  links: string[];
  /** A password input is on the page (a login form). */
  passwordField: boolean;
  /** JSON-LD and microdata say the content is not free (`isAccessibleForFree: false`). */
  notFreeMarkup: boolean;
  /** Element `id`/`class` names, lower-cased and space-joined (challenge widgets, paywall divs). */
  classNames: string;
}

/** Content types whose bodies are analysed as HTML. */
const HTML_TYPE = /\b(?:text\/html|application\/xhtml\+xml)\b/i;
/** For bodies served without a usable content type. */
const HTML_SNIFF = /<(?:!doctype\s+html|html[\s>]|head[\s>]|title[\s>]|body[\s>])/i;

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

/** The charset named in the `Content-Type` header or a `<meta>` of the first kilobytes. */
function charsetOf(body: Buffer, contentType: string | undefined): string {
  const fromHeader = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i)?.[1];
  if (fromHeader) return fromHeader.toLowerCase();
  const head = body.subarray(0, 4096).toString('latin1');
  const fromMeta = head.match(/<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i)?.[1];
  return fromMeta?.toLowerCase() ?? 'utf-8';
}

/** Decodes a body in its declared charset; unknown charsets fall back to UTF-8. */
export function decodeText(body: Buffer, contentType: string | undefined): string {
  const charset = charsetOf(body, contentType);
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/** True when the response looks like an HTML page worth reading. */
export function isHtml(body: Buffer, contentType: string | undefined): boolean {
  if (contentType && HTML_TYPE.test(contentType)) return true;
  if (contentType && !/^\s*(?:text\/plain|application\/octet-stream)?\s*(?:;|$)/i.test(contentType)) {
    return false;
  }
  return HTML_SNIFF.test(body.subarray(0, 2048).toString('latin1'));
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

/**
 * Reads the signals of an HTML body. Returns `undefined` for bodies that are not HTML (PDF,
 * images, JSON): those are judged by their status alone.
 */
export function readPage(body: Buffer, contentType: string | undefined): PageSignals | undefined {
  if (body.length === 0 || !isHtml(body, contentType)) return undefined;
  const $ = load(decodeText(body, contentType));
  return walk($.root().toArray() as unknown as DomNode[]);
}
