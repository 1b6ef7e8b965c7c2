/**
 * The article body from rendered HTML: sections from `h2`–`h6` (legacy `.mw-headline`, new
 * `.mw-heading` wrappers, Parsoid `<section>`s), blocks from paragraphs, lists, tables,
 * quotes and image captions, and the inline markers and maintenance tags placed on the
 * sentence they follow.
 *
 * Decisions:
 * - Infoboxes are table blocks: their cells are claims and often carry citations.
 * - Navigation boxes, hatnotes, maintenance boxes, the table of contents, edit links and
 *   reference lists are not body. "References", "Notes", "See also", "External links",
 *   "Further reading" and similar sections give no blocks (their headings are still sections).
 * - Lists and tables are split into sentences item by item (row by row), so an item without
 *   a full stop never merges with the next one.
 *
 * Pure.
 */
import { lastStartBefore, splitSentences } from '../core/text.js';
import type { Block, Citation, Section, Tag } from '../model.js';
import type { AnyNode, Element } from './html-dom.js';
import {
  classesOf,
  descendants,
  hasClass,
  isElement,
  isHidden,
  isNonText,
  isPagesMarker,
  isTagElement,
  markerTarget,
  pagesOf,
  TextBuilder,
  textOf,
  tokensOf,
} from './html-dom.js';
import type { RenderedTag } from './html-tags.js';
import { readTag } from './html-tags.js';

export interface BodyResult {
  sections: Section[];
  blocks: Block[];
  citations: Citation[];
  tags: Tag[];
}

/** Sections whose content is apparatus, not claims. */
const APPARATUS_SECTIONS =
  /^(?:references?|notes|footnotes|endnotes|citations|works cited|cited works|cited sources|external links|see also|further reading|notes and references|references and notes|notes and citations|citations and notes|general references|general sources|specific references|references and further reading|explanatory notes|bibliography and references)$/i;

/**
 * Titles that name a bibliography in one article and a topic in another (a river's "Sources", a
 * country's "Literature"): apparatus only when the section's own content is a list of citations.
 */
const BIBLIOGRAPHY_OR_TOPIC = /^(?:literature|bibliography|sources)$/i;

/** Whether an element holds an inline citation marker. */
function hasMarker(el: Element): boolean {
  for (const d of descendants(el)) if (d.name === 'sup' && markerTarget(d) !== undefined) return true;
  return false;
}

/**
 * Whether the content after a heading (up to the next heading or subsection) is a list of
 * citations: lists (or boxes holding them) with no marker, and no prose.
 */
function isCitationList(heading: Element): boolean {
  let entries = 0;
  for (let n = heading.nextSibling; n; n = n.nextSibling) {
    if (n.type === 'text') {
      if ((n as unknown as { data: string }).data.trim() !== '') return false;
      continue;
    }
    if (!isElement(n) || isNonText(n)) continue;
    if (headingLevel(n) !== undefined || hasClass(n, 'mw-heading') || n.name === 'section') break;
    if (hasMarker(n)) return false;
    const items = [...descendants(n)];
    if (n.name === 'p' || items.some((d) => d.name === 'p' || d.name === 'table')) {
      if (textOf(n).trim() !== '') return false;
      continue;
    }
    if (n.name === 'ul' || n.name === 'ol' || n.name === 'dl' || items.some((d) => d.name === 'li'))
      entries++;
    else if (textOf(n).trim() !== '') return false;
  }
  return entries > 0;
}

const SKIP_IDS = new Set([
  'toc',
  'mw-navigation',
  'footer',
  'catlinks',
  'siteSub',
  'contentSub',
  'contentSub2',
  'jump-to-nav',
  'mw-head',
  'mw-panel',
  'p-lang',
  'mw-indicators',
]);

/** Chrome, navigation and maintenance boxes: never body. */
const SKIP_CLASSES = new Set([
  'navbox',
  'navbox-styles',
  'vertical-navbox',
  'hatnote',
  'dablink',
  'rellink',
  'toc',
  'mw-jump-link',
  'catlinks',
  'noprint',
  'metadata',
  'ambox',
  'ombox',
  'tmbox',
  'cmbox',
  'fmbox',
  'mbox-small',
  'side-box',
  'sistersitebox',
  'reflist',
  'references',
  'mw-references',
  'mw-references-wrap',
  'refbegin',
  'printfooter',
  'shortdescription',
  'mw-indicators',
  'authority-control',
  'mw-authority-control',
  'portalbox',
  'navigation-not-searchable',
]);

const SKIP_TAGS = new Set(['nav', 'footer', 'header', 'form', 'button', 'input', 'select', 'textarea']);

const BLOCK_TAGS = new Set([
  'p',
  'ul',
  'ol',
  'dl',
  'table',
  'blockquote',
  'div',
  'section',
  'figure',
  'figcaption',
  'pre',
  'center',
  'hr',
  'aside',
  'article',
  'main',
  'details',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'gallery',
]);

/** Block-level chrome to skip (an inline tag rendering is never skipped: it is a tag). */
function isSkipped(el: Element): boolean {
  if (isNonText(el) || SKIP_TAGS.has(el.name)) return true;
  if (el.attribs.id && SKIP_IDS.has(el.attribs.id)) return true;
  if (tokensOf(el.attribs.typeof).includes('mw:Extension/references')) return true;
  if (el.attribs.role === 'navigation') return true;
  return classesOf(el).some((c) => SKIP_CLASSES.has(c));
}

const headingLevel = (el: Element): number | undefined => {
  const m = el.name.match(/^h([1-6])$/);
  return m ? Number(m[1]) : undefined;
};

/** A marker or tag recorded at a character offset of its segment's text. */
type Mark =
  | { type: 'cite'; target: string; offset: number; pages?: string }
  | { type: 'tag'; tag: RenderedTag; offset: number };

/** One sentence-splitting unit: a paragraph, a list item, a table row. */
interface Segment {
  text: TextBuilder;
  marks: Mark[];
}

const newSegment = (): Segment => ({ text: new TextBuilder(), marks: [] });

/** Walks the content root and builds the body. */
class BodyWalker {
  readonly result: BodyResult = {
    sections: [{ title: '(lead)', level: 1 }],
    blocks: [],
    citations: [],
    tags: [],
  };
  #section = '(lead)';
  /** Heading level of the apparatus section being skipped, if any. */
  #apparatusLevel: number | undefined;
  readonly #resolve: (fragment: string) => string;

  constructor(resolve: (fragment: string) => string) {
    this.#resolve = resolve;
  }

  walkContainer(el: AnyNode): void {
    if (!('children' in el)) return;
    let run: AnyNode[] = [];
    for (const child of el.children as AnyNode[]) {
      if (child.type === 'text') {
        run.push(child);
        continue;
      }
      if (!isElement(child)) continue;
      if (this.#headingOf(child) !== undefined || BLOCK_TAGS.has(child.name)) {
        this.#flushRun(run);
        run = [];
        if (!isSkipped(child)) this.#block(child);
        continue;
      }
      if (isSkipped(child) && !isTagElement(child) && markerTarget(child) === undefined) continue;
      run.push(child);
    }
    this.#flushRun(run);
  }

  /** The heading element of `el` (itself, or the `h*` inside a `.mw-heading` wrapper). */
  #headingOf(el: Element): Element | undefined {
    if (headingLevel(el) !== undefined) return el;
    if (el.name === 'div' && hasClass(el, 'mw-heading')) {
      for (const c of el.children) if (isElement(c) && headingLevel(c) !== undefined) return c;
    }
    return undefined;
  }

  #heading(h: Element): void {
    const level = headingLevel(h)!;
    const title = textOf(h, (el) => markerTarget(el) !== undefined || isTagElement(el));
    if (!title) return;
    if (this.#apparatusLevel !== undefined && level <= this.#apparatusLevel) this.#apparatusLevel = undefined;
    if (
      this.#apparatusLevel === undefined &&
      (APPARATUS_SECTIONS.test(title) ||
        (BIBLIOGRAPHY_OR_TOPIC.test(title) && isCitationList(this.#holder(h))))
    )
      this.#apparatusLevel = level;
    this.#section = title;
    this.result.sections.push({ title, level: Math.max(1, level - 1) });
  }

  /** The element that stands among the section's content: the `.mw-heading` wrapper or the heading. */
  #holder(h: Element): Element {
    const parent = h.parent;
    return parent && isElement(parent) && hasClass(parent, 'mw-heading') ? parent : h;
  }

  #block(el: Element): void {
    const heading = this.#headingOf(el);
    if (heading) {
      this.#heading(heading);
      return;
    }
    const skipping = this.#apparatusLevel !== undefined;
    switch (el.name) {
      case 'p':
      case 'pre':
      case 'figcaption':
        if (!skipping) this.#emit('paragraph', [this.#inlineSegment(el.children)]);
        return;
      case 'ul':
      case 'ol':
      case 'dl':
        if (!skipping) this.#emit('list', this.#listSegments(el));
        return;
      case 'table':
        if (!skipping) this.#emit('table', this.#tableSegments(el));
        return;
      case 'blockquote':
        if (!skipping) this.#emit('quote', [this.#inlineSegment(el.children)]);
        return;
      case 'hr':
        return;
      default:
        if (hasClass(el, 'thumbcaption') || hasClass(el, 'gallerytext')) {
          if (!skipping) this.#emit('paragraph', [this.#inlineSegment(el.children)]);
          return;
        }
        this.walkContainer(el);
    }
  }

  /** Loose inline content between blocks (text directly in a `div`): an implicit paragraph. */
  #flushRun(run: AnyNode[]): void {
    if (run.length === 0 || this.#apparatusLevel !== undefined) return;
    this.#emit('paragraph', [this.#inlineSegment(run)]);
  }

  #inlineSegment(nodes: readonly AnyNode[], seg: Segment = newSegment(), nested?: Element[]): Segment {
    for (const n of nodes) this.#inline(n, seg, nested);
    return seg;
  }

  /** Inline content into a segment; nested lists go to `nested` when given (list items). */
  #inline(node: AnyNode, seg: Segment, nested?: Element[]): void {
    if (node.type === 'text') {
      seg.text.append((node as unknown as { data: string }).data);
      return;
    }
    if (!isElement(node)) return;
    const target = markerTarget(node);
    if (target !== undefined) {
      seg.marks.push({ type: 'cite', target, offset: seg.text.length });
      return;
    }
    if (isPagesMarker(node)) {
      const last = seg.marks.findLast((m) => m.type === 'cite');
      const pages = pagesOf(node);
      if (last?.type === 'cite' && last.pages === undefined && pages) last.pages = pages;
      return;
    }
    if (isTagElement(node)) {
      const tag = readTag(node);
      if (tag) seg.marks.push({ type: 'tag', tag, offset: seg.text.length });
      return;
    }
    if (isNonText(node) || isHidden(node)) return;
    if (node.name === 'br') {
      seg.text.space();
      return;
    }
    if (nested && (node.name === 'ul' || node.name === 'ol' || node.name === 'dl')) {
      nested.push(node);
      return;
    }
    if (BLOCK_TAGS.has(node.name) || node.name === 'td' || node.name === 'th' || node.name === 'li') {
      if (isSkipped(node)) return;
      seg.text.space();
      for (const c of node.children) this.#inline(c, seg, nested);
      seg.text.space();
      return;
    }
    if (isSkipped(node)) return;
    for (const c of node.children) this.#inline(c, seg, nested);
  }

  #listSegments(list: Element): Segment[] {
    const out: Segment[] = [];
    for (const item of list.children) {
      if (!isElement(item)) continue;
      if (item.name !== 'li' && item.name !== 'dt' && item.name !== 'dd') {
        if (item.name === 'ul' || item.name === 'ol' || item.name === 'dl')
          out.push(...this.#listSegments(item));
        continue;
      }
      if (isSkipped(item)) continue;
      const nested: Element[] = [];
      out.push(this.#inlineSegment(item.children, newSegment(), nested));
      for (const sub of nested) if (!isSkipped(sub)) out.push(...this.#listSegments(sub));
    }
    return out;
  }

  #tableSegments(table: Element): Segment[] {
    const out: Segment[] = [];
    const visit = (el: Element): void => {
      for (const c of el.children) {
        if (!isElement(c) || isSkipped(c)) continue;
        if (c.name === 'tr' || c.name === 'caption') out.push(this.#inlineSegment(c.children));
        else if (c.name === 'thead' || c.name === 'tbody' || c.name === 'tfoot') visit(c);
      }
    };
    visit(table);
    return out;
  }

  /** Turns segments into one block, placing each marker on the sentence it follows. */
  #emit(kind: Block['kind'], segments: Segment[]): void {
    const texts: string[] = [];
    const sentences: string[] = [];
    const pending: Array<{ mark: Mark; sentence: number }> = [];
    for (const seg of segments) {
      const text = seg.text.toString().trim();
      const split = text ? splitSentences(text) : [];
      const starts: number[] = [];
      let cursor = 0;
      for (const s of split) {
        const at = text.indexOf(s, cursor);
        starts.push(at < 0 ? cursor : at);
        cursor = (at < 0 ? cursor : at) + s.length;
      }
      for (const mark of seg.marks) {
        const local = lastStartBefore(starts, mark.offset);
        // Nothing before the marker in its own segment: it belongs to the segment's first
        // sentence, or to the previous segment's last one when the segment has no text.
        const sentence =
          local >= 0
            ? sentences.length + local
            : split.length > 0
              ? sentences.length
              : Math.max(0, sentences.length - 1);
        pending.push({ mark, sentence });
      }
      if (text) texts.push(text);
      for (const s of split) sentences.push(s);
    }
    if (texts.length === 0 && pending.length === 0) return;
    const block = this.result.blocks.length;
    this.result.blocks.push({ kind, section: this.#section, text: texts.join('\n'), sentences });
    for (const { mark, sentence } of pending) {
      if (mark.type === 'cite') {
        const c: Citation = { referenceId: this.#resolve(mark.target), block, sentence };
        if (mark.pages) c.pages = mark.pages;
        this.result.citations.push(c);
      } else {
        const t: Tag = { kind: mark.tag.kind, text: mark.tag.text, block, sentence };
        if (mark.tag.date) t.date = mark.tag.date;
        this.result.tags.push(t);
      }
    }
  }
}

/**
 * Builds sections, blocks, citations and tags from the content root. `resolve` maps a
 * marker's `#cite_note-…` fragment to the id of the reference it cites.
 */
export function extractBody(root: AnyNode, resolve: (fragment: string) => string): BodyResult {
  const walker = new BodyWalker(resolve);
  walker.walkContainer(root);
  return walker.result;
}
