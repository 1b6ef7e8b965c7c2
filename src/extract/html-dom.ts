/**
 * Small helpers over the parsed DOM (domhandler nodes, as cheerio produces them): class tests,
 * visible text with whitespace collapsed, and the recognisers the HTML extractor shares —
 * what is page chrome, what is an inline citation marker, what is a maintenance tag.
 *
 * Walking domhandler nodes directly is several times faster than going through cheerio
 * wrappers, which matters on 1 MB pages.
 */
import type { AnyNode, Element } from 'domhandler';

export type { AnyNode, Element } from 'domhandler';

export const isElement = (n: AnyNode): n is Element =>
  n.type === 'tag' || n.type === 'script' || n.type === 'style';

/** The class names of an element (split on any whitespace: saved pages wrap attributes). */
export function classesOf(el: Element): string[] {
  const c = el.attribs.class;
  return c ? c.split(/\s+/).filter(Boolean) : [];
}

export const hasClass = (el: Element, name: string): boolean => classesOf(el).includes(name);

export const hasAnyClass = (el: Element, names: ReadonlySet<string>): boolean =>
  classesOf(el).some((c) => names.has(c));

/** Space-separated `typeof` / `rel` tokens (Parsoid's RDFa attributes). */
export const tokensOf = (value: string | undefined): string[] => (value ? value.split(/\s+/) : []);

export const isHidden = (el: Element): boolean => /display\s*:\s*none/i.test(el.attribs.style ?? '');

/** Elements that never carry article text. */
const NON_TEXT_TAGS = new Set(['style', 'script', 'noscript', 'link', 'meta', 'template', 'img', 'input']);

/** Classes whose content is apparatus even inside a reference or a paragraph. */
const NON_TEXT_CLASSES = new Set([
  'mw-editsection',
  'mw-cite-backlink',
  'Z3988',
  'cs1-maint',
  'cs1-hidden-error',
  'citation-comment',
  'mw-empty-elt',
  'shield-container',
]);

/** True for elements whose text nobody reads: styles, scripts, hidden spans, edit links. */
export const isNonText = (el: Element): boolean =>
  NON_TEXT_TAGS.has(el.name) || isHidden(el) || hasAnyClass(el, NON_TEXT_CLASSES);

/**
 * Accumulates visible text with runs of whitespace collapsed to one space and no leading
 * space, so offsets recorded while building (marker positions) stay valid in the result.
 */
export class TextBuilder {
  #parts: string[] = [];
  #length = 0;
  #spacePending = false;

  /** Characters written so far (a pending separator space is not counted until text follows). */
  get length(): number {
    return this.#length;
  }

  append(raw: string): void {
    if (!raw) return;
    const collapsed = raw.replace(/\s+/g, ' ');
    const leading = collapsed.startsWith(' ');
    const trailing = collapsed.endsWith(' ');
    const core = collapsed.trim();
    if (!core) {
      this.#spacePending = true;
      return;
    }
    if ((leading || this.#spacePending) && this.#length > 0) {
      this.#parts.push(' ');
      this.#length += 1;
    }
    this.#parts.push(core);
    this.#length += core.length;
    this.#spacePending = trailing;
  }

  /** Ends a line-like unit (list item, table cell, `<br>`): a space separates it from the next. */
  space(): void {
    this.#spacePending = true;
  }

  toString(): string {
    return this.#parts.join('');
  }
}

/** Visible text of a node and its descendants, chrome removed, whitespace collapsed. */
export function textOf(node: AnyNode, skip?: (el: Element) => boolean): string {
  const out = new TextBuilder();
  collectText(node, out, skip);
  return out.toString();
}

function collectText(node: AnyNode, out: TextBuilder, skip?: (el: Element) => boolean): void {
  if (node.type === 'text') {
    out.append((node as unknown as { data: string }).data);
    return;
  }
  if (!isElement(node)) return;
  if (isNonText(node) || skip?.(node)) return;
  if (node.name === 'br') {
    out.space();
    return;
  }
  for (const child of node.children) collectText(child, out, skip);
}

/** Depth-first, document-order walk over the elements under `node` (not `node` itself). */
export function* descendants(node: AnyNode): Generator<Element> {
  if (!('children' in node)) return;
  const stack: AnyNode[] = [...(node.children as AnyNode[])].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    yield n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
}

/** The nearest ancestor (or the element itself) that matches. */
export function closest(el: Element, test: (e: Element) => boolean): Element | undefined {
  let cur: Element | null = el;
  while (cur) {
    if (test(cur)) return cur;
    const parent: AnyNode | null = cur.parent as AnyNode | null;
    cur = parent && isElement(parent) ? parent : null;
  }
  return undefined;
}

/**
 * The `#cite_note-…` fragment an inline marker links to, or `undefined` when the element is
 * not a citation marker (legacy `sup.reference`, Parsoid `sup[typeof~="mw:Extension/ref"]`).
 * `{{rp}}` page renderings are `sup.reference` too, but link nowhere: they are not markers.
 */
export function markerTarget(el: Element): string | undefined {
  if (el.name !== 'sup' && el.name !== 'span') return undefined;
  const parsoid = tokensOf(el.attribs.typeof).includes('mw:Extension/ref');
  if (!parsoid && !hasClass(el, 'reference')) return undefined;
  for (const a of descendants(el)) {
    if (a.name !== 'a') continue;
    const href = a.attribs.href ?? '';
    const hash = href.indexOf('#');
    if (hash >= 0 && href.startsWith('cite_note', hash + 1)) return href.slice(hash + 1);
  }
  return undefined;
}

/** A `{{rp}}` / `reference-pages` rendering (`: 12`) that qualifies the preceding marker. */
export function isPagesMarker(el: Element): boolean {
  if (el.name !== 'sup' && el.name !== 'span') return false;
  const cls = classesOf(el);
  if (cls.includes('reference-pages')) return true;
  return cls.includes('reference') && markerTarget(el) === undefined;
}

/** The pages a `{{rp}}` rendering gives: `: 12–14` → `12–14`. */
export const pagesOf = (el: Element): string | undefined => {
  const t = textOf(el)
    .replace(/^[\s:]+/, '')
    .trim();
  return t || undefined;
};

/** An inline maintenance template rendering: `sup.Inline-Template`, `sup.Template-Fact`. */
export function isTagElement(el: Element): boolean {
  if (el.name !== 'sup' && el.name !== 'span') return false;
  const cls = classesOf(el);
  return cls.includes('Inline-Template') || cls.includes('Template-Fact');
}

/** Makes protocol-relative links absolute and trims; keeps everything else as written. */
export function normalizeHref(href: string): string {
  const h = href.trim();
  return h.startsWith('//') ? `https:${h}` : h;
}

/** An external link: legacy `a.external`, Parsoid `a[rel~="mw:ExtLink"]`. */
export function isExternalLink(el: Element): boolean {
  if (el.name !== 'a' || !el.attribs.href) return false;
  return hasClass(el, 'external') || tokensOf(el.attribs.rel).includes('mw:ExtLink');
}

/** Parsoid's `data-mw` JSON, parsed; `undefined` when absent or malformed. */
export function dataMw(el: Element): unknown {
  const raw = el.attribs['data-mw'];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
