/**
 * The article body from the parsed wikitext: sections from `== headings ==`, and blocks —
 * paragraphs, lists (`*`, `#`, `;`, `:`), tables (`{| … |}`, text from the cells) and quotes
 * (`<blockquote>`, `{{quote}}`) — as plain sentences. Inline markers left by the reference
 * book are taken out of the text and placed at the sentence they follow.
 *
 * Lines are the root-level lines of the tree: a template or reference spanning several source
 * lines stays inside one line, as MediaWiki sees it. Reference, notes, "See also" and similar
 * sections are walked (their references still count) but give no blocks.
 */
import { splitSentences, squash } from '../core/text.js';
import type { Block, Section } from '../model.js';
import type { LinkNode, TemplateNode, WikiNode } from './wikitext-parse.js';
import { templateName, templateParams } from './wikitext-parse.js';
import type { Renderer } from './wikitext-render.js';
import { cleanInline, QUOTE_TEMPLATES } from './wikitext-render.js';
import type { LineIndex } from './wikitext-source.js';
import { HIDDEN, MARK_OPEN } from './wikitext-source.js';

/** Sections whose content is apparatus, not claims. */
const APPARATUS_SECTIONS =
  /^(?:references?|notes|footnotes|citations|external links|see also|further reading|works cited|notes and references|references and notes|notes and citations|citations and notes|general references|general sources|cited sources|cited works|specific references|endnotes|references and further reading|weblinks|einzelnachweise|siehe auch|anmerkungen|voir aussi|références|notes et références|liens externes)$/i;
/**
 * Section titles that name a bibliography in one article and a topic in another (a country's
 * "Literature", a river's "Sources"): such a section, and each of its subsections, is apparatus
 * only when its content is a list of citations (see {@link isCitationList}).
 */
const BIBLIOGRAPHY_OR_TOPIC =
  /^(?:literature|literatur|littérature|bibliography|bibliographie|sources|quellen)$/i;
/** Templates that cite (a footnote marker in the rendered text). */
const CITING_TEMPLATES = new Set(['sfn', 'sfnp', 'sfnm', 'r', 'rp', 'refn', '#tag:ref', 'efn', 'notetag']);
const NON_TEXT = '\u0004';

/** Infobox templates, in the languages of the corpus: their rows are claims, as in HTML. */
const INFOBOX =
  /^(?:infobox|infoboks|taxobox|speciesbox|subspeciesbox|automatic taxobox|chembox|drugbox|geobox)\b/;
/** Infobox parameters that hold media or layout, not claims (kept when they carry a reference). */
const INFOBOX_LAYOUT =
  /image|logo|map|signature|size|alt$|width|height|upright|caption_?align|pushpin|coordinates|^embed/;
/** Image and file links: `[[File:…|thumb|caption]]`. */
const FILE_LINK = /^\s*(?:file|image|datei|bild|fichier|imagen|archivo)\s*:/i;
/** The options of a file link; the caption is the last part that is not one. */
const FILE_OPTION =
  /^\s*(?:thumb|thumbnail|frame|framed|frameless|border|left|right|center|centre|none|baseline|sub|super|top|text-top|middle|bottom|text-bottom|upright(?:\s*=?\s*[\d.]+)?|\d*(?:x\d+)?\s*px|(?:alt|link|page|lang|class|start|end|thumbtime)\s*=.*|loop|muted)\s*$/is;

export interface Line {
  start: number;
  /** Where the line's first visible character is (for block line numbers). */
  contentStart: number;
  nodes: WikiNode[];
  /** The line's text with every non-text node as one `NON_TEXT` character, hidden characters dropped. */
  shape: string;
  /** Only comments: MediaWiki drops such a line entirely. */
  commentOnly: boolean;
}

/** Receives the block and sentence at which an inline marker landed. */
export type PlaceMarker = (markerId: number, block: number, sentence: number) => void;

/** Splits root nodes into source lines, keeping multi-line nodes whole. */
function splitLines(nodes: readonly WikiNode[]): Line[] {
  const lines: Line[] = [];
  let cur: WikiNode[] = [];
  let shape = '';
  let hidden = false;
  let start = nodes[0]?.start ?? 0;
  let contentStart = -1;
  const close = (): void => {
    const visible = hidden ? shape.replaceAll(HIDDEN, '') : shape;
    lines.push({
      start,
      contentStart: contentStart < 0 ? start : contentStart,
      nodes: cur,
      shape: visible,
      commentOnly: hidden && visible.trim() === '',
    });
    cur = [];
    shape = '';
    hidden = false;
    contentStart = -1;
  };
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind !== 'text') {
      cur.push(n);
      shape += NON_TEXT;
      if (contentStart < 0) contentStart = n.start;
      continue;
    }
    let from = 0;
    const t = n.text;
    for (;;) {
      const nl = t.indexOf('\n', from);
      const piece = nl < 0 ? t.slice(from) : t.slice(from, nl);
      if (piece.length > 0) {
        cur.push({ kind: 'text', start: n.start + from, text: piece });
        shape += piece;
        if (piece.includes(HIDDEN)) hidden = true;
        if (contentStart < 0) {
          const k = piece.search(/[^\s\u0001]/);
          if (k >= 0) contentStart = n.start + from + k;
        }
      }
      if (nl < 0) break;
      close();
      start = n.start + nl + 1;
      from = nl + 1;
    }
  }
  close();
  return lines;
}

/**
 * The `=` runs that open and close a heading line (`== Title ==`): what
 * `/^(=+)(.+?)(=+)\s*$/` matches, found in linear time. That regex backtracks cubically on a
 * long run of `=` that does not close (4000 `=` took 23 s).
 */
export function headingRuns(shape: string): { open: number; close: number } | undefined {
  const body = shape.trimEnd();
  // `.` stops at line terminators, so a heading never spans one.
  if (/[\n\r\u2028\u2029]/.test(body)) return undefined;
  let open = 0;
  while (open < body.length && body[open] === '=') open++;
  if (open === 0) return undefined;
  if (open === body.length) return body.length >= 3 ? { open: body.length - 2, close: 1 } : undefined;
  let close = 0;
  while (close < body.length && body[body.length - 1 - close] === '=') close++;
  return close > 0 ? { open, close } : undefined;
}

/** Drops leading whitespace, hidden characters and then `count` characters from the first text node. */
function dropLeading(nodes: readonly WikiNode[], count: number): WikiNode[] {
  const out = nodes.slice();
  const first = out[0];
  if (first?.kind !== 'text') return out;
  let k = 0;
  while (k < first.text.length && /[\s\u0001]/.test(first.text[k]!)) k++;
  k = Math.min(first.text.length, k + count);
  out[0] = { kind: 'text', start: first.start + k, text: first.text.slice(k) };
  return out;
}

/** Splits nodes at a separator found in text nodes (`||`, `!!`). */
function splitNodes(nodes: readonly WikiNode[], sep: RegExp): WikiNode[][] {
  const out: WikiNode[][] = [[]];
  for (const n of nodes) {
    if (n.kind !== 'text') {
      out[out.length - 1]!.push(n);
      continue;
    }
    let last = 0;
    const re = new RegExp(sep.source, 'g');
    for (let m = re.exec(n.text); m !== null; m = re.exec(n.text)) {
      if (m.index > last)
        out[out.length - 1]!.push({ kind: 'text', start: n.start + last, text: n.text.slice(last, m.index) });
      out.push([]);
      last = m.index + m[0].length;
    }
    if (last < n.text.length)
      out[out.length - 1]!.push({ kind: 'text', start: n.start + last, text: n.text.slice(last) });
  }
  return out;
}

/** A table cell without its attributes (`style="…" | text` → `text`). */
function dropCellAttributes(nodes: readonly WikiNode[]): WikiNode[] {
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    if (n.kind !== 'text') continue;
    const bar = n.text.indexOf('|');
    if (bar < 0) continue;
    const rest: WikiNode[] = [];
    if (bar + 1 < n.text.length)
      rest.push({ kind: 'text', start: n.start + bar + 1, text: n.text.slice(bar + 1) });
    return rest.concat(nodes.slice(k + 1));
  }
  return nodes.slice();
}

/** Whether nodes hold a reference or a footnote template, at any depth. */
function cites(nodes: readonly WikiNode[]): boolean {
  for (const n of nodes) {
    if (n.kind === 'ref') return true;
    if (
      n.kind === 'template' &&
      (CITING_TEMPLATES.has(templateName(n)) || n.parts.some((p) => cites(p.nodes)))
    )
      return true;
    if (n.kind === 'link' && n.parts.some((p) => cites(p.nodes))) return true;
  }
  return false;
}

/**
 * Whether the section whose content starts at `lines[from]` (up to the next heading) is a list
 * of citations: list items and lone templates (`{{refbegin}}`, `{{cite book}}`), none of which
 * cites a reference. Prose, a table, or any footnote marker makes it body text.
 */
export function isCitationList(lines: readonly Line[], from: number): boolean {
  let entries = 0;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.commentOnly) continue;
    const shape = line.shape;
    if (shape.startsWith('=') && headingRuns(shape)) break;
    if (shape.trim() === '') continue;
    if (cites(line.nodes)) return false;
    if (/^[*#:;]/.test(shape)) {
      entries++;
      continue;
    }
    // Lone templates (`{{refbegin}}`, `{{cite book}}`, authority control) and links (categories)
    // are not prose.
    const blank = (n: WikiNode): boolean => n.kind === 'text' && n.text.replaceAll(HIDDEN, '').trim() === '';
    if (!line.nodes.every((n) => n.kind === 'template' || n.kind === 'link' || blank(n))) return false;
    if (line.nodes.some((n) => n.kind === 'template')) entries++;
  }
  return entries > 0;
}

/** Takes inline markers out of squashed text, recording the offset each one stood at. */
export function extractMarks(s: string): { text: string; marks: Array<{ id: number; at: number }> } {
  if (!s.includes(MARK_OPEN)) return { text: s.trim(), marks: [] };
  // Pieces are joined once at the end: asking a growing string for its last character flattens
  // it each time, which made 50 000 markers in one paragraph quadratic.
  const pieces: string[] = [];
  let length = 0;
  let endsWithSpace = false;
  const marks: Array<{ id: number; at: number }> = [];
  let last = 0;
  const append = (piece: string): void => {
    const p = endsWithSpace && piece.startsWith(' ') ? piece.slice(1) : piece;
    if (p.length === 0) return;
    pieces.push(p);
    length += p.length;
    endsWithSpace = p.endsWith(' ');
  };
  // A marker is `MARK_OPEN`, digits, `MARK_CLOSE` (what `/\u0002(\d+)\u0003/g` finds), read by
  // hand: no match array and no digit string per marker.
  for (let open = s.indexOf(MARK_OPEN); open >= 0; open = s.indexOf(MARK_OPEN, open + 1)) {
    let end = open + 1;
    let id = 0;
    for (let c = s.charCodeAt(end); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++end))
      id = id * 10 + (c - 0x30);
    if (end === open + 1 || s.charCodeAt(end) !== 0x03) continue;
    // Past 15 digits the sum may round differently from `Number` (no marker has that many).
    if (end - open > 16) id = Number(s.slice(open + 1, end));
    append(s.slice(last, open));
    marks.push({ id, at: length });
    last = end + 1;
    open = end;
  }
  append(s.slice(last));
  const out = pieces.join('');
  const lead = out.length - out.trimStart().length;
  const text = out.trim();
  for (let k = 0; k < marks.length; k++) {
    const mk = marks[k]!;
    mk.at = Math.max(0, Math.min(text.length, mk.at - lead));
  }
  return { text, marks };
}

/**
 * Where each sentence starts in `text`, searched in order; stops at the first sentence not
 * found (the rest cannot be placed reliably).
 */
function sentenceStarts(text: string, sentences: readonly string[]): number[] {
  const starts: number[] = [];
  let pos = 0;
  for (let k = 0; k < sentences.length; k++) {
    const s = sentences[k]!;
    const start = text.indexOf(s, pos);
    if (start < 0) break;
    starts.push(start);
    pos = start + s.length;
  }
  return starts;
}

/**
 * Index of the sentence a marker at `at` follows: the last sentence that starts before it (the
 * first when none does). `from` is where to start looking, for markers in increasing order.
 */
function sentenceAt(starts: readonly number[], at: number, from = 0): number {
  let found = Math.max(0, Math.min(from, starts.length - 1));
  for (let k = found + 1; k < starts.length && starts[k]! < at; k++) found = k;
  return found;
}

class BodyBuilder {
  readonly sections: Section[] = [];
  readonly blocks: Block[] = [];
  readonly #renderer: Renderer;
  readonly #lines: LineIndex;
  readonly #place: PlaceMarker;
  #section = '(lead)';
  #skipLevel: number | undefined;
  /** Level of a section named like a bibliography, whose subsections are decided by content. */
  #contentLevel: number | undefined;
  /** The current section (not its subsections) is a list of citations. */
  #skipOwn = false;
  #para: { line: number; parts: string[] } | undefined;
  #list: { line: number; items: string[] } | undefined;

  constructor(renderer: Renderer, lines: LineIndex, place: PlaceMarker) {
    this.#renderer = renderer;
    this.#lines = lines;
    this.#place = place;
    this.sections.push({ title: '(lead)', level: 1, line: 1 });
  }

  run(all: readonly Line[]): void {
    const lines = all.slice();
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.commentOnly) continue;
      const shape = line.shape;
      if (shape.startsWith('=') && this.#heading(lines, i)) continue;
      if (this.#skipLevel !== undefined || this.#skipOwn) {
        this.#renderer.visit(line.nodes);
        continue;
      }
      const lead = shape.trimStart();
      if (!lead.startsWith('{|') && !/^<blockquote\b/i.test(lead) && shape.includes(NON_TEXT)) {
        const rest = this.#asides(line);
        if (rest !== line) {
          lines[i] = rest;
          i--;
          continue;
        }
      }
      if (lead.startsWith('{|')) {
        this.#flush();
        i = this.#table(lines, i);
      } else if (/^<blockquote\b/i.test(lead)) {
        this.#flush();
        i = this.#blockquote(lines, i);
      } else if (/^[*#:;]/.test(shape)) {
        this.#flushParagraph();
        const item = cleanInline(
          this.#renderer.render(dropLeading(line.nodes, shape.match(/^[*#:;]+/)![0].length), 'body'),
        );
        if (!isEmpty(item)) {
          this.#list ??= { line: this.#lines.lineOf(line.contentStart), items: [] };
          this.#list.items.push(item);
        }
      } else if (lead === '' || /^-{4,}/.test(shape)) {
        this.#flush();
      } else if (this.#isQuoteTemplate(line)) {
        this.#flush();
        const text = cleanInline(this.#renderer.render(line.nodes, 'body'));
        this.#emit('quote', [text], ' ', line.contentStart);
      } else {
        this.#flushList();
        const text = cleanInline(this.#renderer.render(line.nodes, 'body'));
        if (isEmpty(text)) {
          this.#flushParagraph();
          continue;
        }
        this.#para ??= { line: line.contentStart, parts: [] };
        this.#para.parts.push(text);
      }
    }
    this.#flush();
  }

  #heading(lines: readonly Line[], i: number): boolean {
    const line = lines[i]!;
    const runs = headingRuns(line.shape);
    if (!runs) return false;
    this.#flush();
    const level = Math.min(runs.open, runs.close, 6);
    const rendered = squash(cleanInline(this.#renderer.render(line.nodes, 'hidden')));
    const title = squash(rendered.slice(level, rendered.length - level)) || rendered;
    const sectionLevel = Math.max(1, level - 1);
    this.sections.push({ title, level: sectionLevel, line: this.#lines.lineOf(line.start) });
    this.#section = title;
    if (APPARATUS_SECTIONS.test(title)) {
      if (this.#skipLevel === undefined || sectionLevel <= this.#skipLevel) this.#skipLevel = sectionLevel;
    } else if (this.#skipLevel !== undefined && sectionLevel <= this.#skipLevel) {
      this.#skipLevel = undefined;
    }
    this.#skipOwn = false;
    if (this.#contentLevel !== undefined && sectionLevel <= this.#contentLevel)
      this.#contentLevel = undefined;
    if (this.#skipLevel === undefined) {
      if (BIBLIOGRAPHY_OR_TOPIC.test(title)) this.#contentLevel ??= sectionLevel;
      if (this.#contentLevel !== undefined) this.#skipOwn = isCitationList(lines, i + 1);
    }
    return true;
  }

  /**
   * Takes the line's infoboxes and image captions out of it. Those that cite a reference become
   * blocks of their own — a table of the infobox's rows, a paragraph for a caption, as the HTML
   * extractor reads them — so that the references are citations at a claim (they were reported
   * as unused); uncited ones give no block, so the audit does not ask captions for sources.
   * Returns the line without them, or the line itself when it has none.
   */
  #asides(line: Line): Line {
    let kept: WikiNode[] | undefined;
    line.nodes.forEach((n, k) => {
      const aside =
        n.kind === 'template'
          ? INFOBOX.test(templateName(n)) && this.#infobox(n)
          : n.kind === 'link' &&
            FILE_LINK.test(n.parts[0]!.nodes.map((x) => (x.kind === 'text' ? x.text : '')).join('')) &&
            this.#caption(n);
      if (aside) kept ??= line.nodes.slice(0, k);
      else kept?.push(n);
    });
    if (kept === undefined) return line;
    let shape = '';
    for (const n of kept) shape += n.kind === 'text' ? n.text.replaceAll(HIDDEN, '') : NON_TEXT;
    return { ...line, nodes: kept, shape, commentOnly: false };
  }

  /** An infobox as a table block: one cell per parameter with content. */
  #infobox(t: TemplateNode): boolean {
    const cells: string[] = [];
    for (const [key, nodes] of templateParams(t)) {
      const text = cleanInline(this.#renderer.render(nodes, 'body'));
      if (isEmpty(text)) continue;
      if (INFOBOX_LAYOUT.test(key) && !text.includes(MARK_OPEN)) continue;
      cells.push(text);
    }
    // Only a citing infobox is a block: an uncited one is no claim the audit should flag.
    if (cells.some((c) => c.includes(MARK_OPEN))) this.#emit('table', cells, '\n', t.start);
    return true;
  }

  /** An image's caption as a paragraph block; its other parts are only visited. */
  #caption(link: LinkNode): boolean {
    let at = link.parts.length - 1;
    while (
      at > 0 &&
      FILE_OPTION.test(link.parts[at]!.nodes.map((x) => (x.kind === 'text' ? x.text : '\u0004')).join(''))
    )
      at--;
    for (let k = 1; k < link.parts.length; k++) if (k !== at) this.#renderer.visit(link.parts[k]!.nodes);
    if (at === 0) return true;
    const text = cleanInline(this.#renderer.render(link.parts[at]!.nodes, 'body'));
    // Only a citing caption is a block: captions restate the body, uncited ones are not flagged.
    if (text.includes(MARK_OPEN)) this.#emit('paragraph', [text], ' ', link.start);
    return true;
  }

  #isQuoteTemplate(line: Line): boolean {
    const visible = line.nodes.filter(
      (n) => n.kind !== 'text' || n.text.replaceAll(HIDDEN, '').trim() !== '',
    );
    const only = visible[0];
    return visible.length === 1 && only?.kind === 'template' && QUOTE_TEMPLATES.has(templateName(only));
  }

  #table(lines: readonly Line[], from: number): number {
    const rows: string[][] = [[]];
    const cells: string[] = [];
    let pending: WikiNode[] | undefined;
    const finishCell = (): void => {
      if (!pending) return;
      const text = cleanInline(this.#renderer.render(pending, 'body'));
      cells.push(text);
      rows[rows.length - 1]!.push(text);
      pending = undefined;
    };
    let depth = 0;
    let i = from;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.commentOnly) continue;
      const lead = line.shape.trimStart();
      if (lead.startsWith('{|')) {
        finishCell();
        depth++;
        continue;
      }
      if (lead.startsWith('|}')) {
        finishCell();
        depth--;
        if (depth === 0) break;
        continue;
      }
      if (lead.startsWith('|-')) {
        finishCell();
        rows.push([]);
        continue;
      }
      if (lead.startsWith('|+')) {
        finishCell();
        pending = dropCellAttributes(dropLeading(line.nodes, 2));
        continue;
      }
      if (lead.startsWith('|') || lead.startsWith('!')) {
        finishCell();
        const header = lead.startsWith('!');
        const parts = splitNodes(dropLeading(line.nodes, 1), header ? /\|\||!!/ : /\|\|/);
        for (let k = 0; k < parts.length; k++) {
          pending = dropCellAttributes(parts[k]!);
          if (k < parts.length - 1) finishCell();
        }
        continue;
      }
      if (pending) pending.push({ kind: 'text', start: line.start, text: '\n' }, ...line.nodes);
      else this.#renderer.visit(line.nodes);
    }
    finishCell();
    const text = rows
      .map((r) =>
        r
          .map((c) => squash(c.replace(/\u0002\d+\u0003/g, '')))
          .filter(Boolean)
          .join(' | '),
      )
      .filter(Boolean)
      .join('\n');
    this.#emit('table', cells, '\n', lines[from]!.contentStart, text);
    return Math.min(i, lines.length - 1);
  }

  #blockquote(lines: readonly Line[], from: number): number {
    const parts: string[] = [];
    let i = from;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.commentOnly) continue;
      parts.push(cleanInline(this.#renderer.render(line.nodes, 'body')));
      if (/<\/blockquote\s*>/i.test(line.shape)) break;
    }
    this.#emit('quote', [parts.join(' ')], ' ', lines[from]!.contentStart);
    return Math.min(i, lines.length - 1);
  }

  #flushParagraph(): void {
    const p = this.#para;
    if (!p) return;
    this.#para = undefined;
    this.#emit('paragraph', [p.parts.join(' ')], ' ', p.line);
  }

  #flushList(): void {
    const l = this.#list;
    if (!l) return;
    this.#list = undefined;
    this.#emit('list', l.items, '\n', undefined, undefined, l.line);
  }

  #flush(): void {
    this.#flushParagraph();
    this.#flushList();
  }

  /**
   * Adds a block made of segments (a paragraph's text, list items, table cells): sentences
   * from each segment in turn, markers placed at the sentence they follow.
   */
  #emit(
    kind: Block['kind'],
    segments: readonly string[],
    joiner: string,
    offset?: number,
    text?: string,
    line?: number,
  ): void {
    const sentences: string[] = [];
    const texts: string[] = [];
    const placed: Array<{ id: number; sentence: number }> = [];
    // Indexed loops: this runs for every block, mostly before it is optimised, when `for…of`
    // allocates an iterator result per step.
    for (let g = 0; g < segments.length; g++) {
      const { text: t, marks } = extractMarks(squash(segments[g]!));
      const ss = t ? splitSentences(t) : [];
      const base = sentences.length;
      // Markers come in text order, so the search resumes where the previous one stopped.
      const starts = marks.length > 0 && ss.length > 0 ? sentenceStarts(t, ss) : [];
      let at = 0;
      for (let k = 0; k < marks.length; k++) {
        const mk = marks[k]!;
        if (ss.length > 0) at = sentenceAt(starts, mk.at, at);
        placed.push({ id: mk.id, sentence: ss.length ? base + at : Math.max(0, base - 1) });
      }
      if (t) texts.push(t);
      for (let k = 0; k < ss.length; k++) sentences.push(ss[k]!);
    }
    if (sentences.length === 0) {
      if (placed.length === 0) return;
      const prev = this.blocks.length - 1;
      if (prev >= 0) {
        const last = Math.max(0, this.blocks[prev]!.sentences.length - 1);
        for (let k = 0; k < placed.length; k++) this.#place(placed[k]!.id, prev, last);
        return;
      }
    }
    const index = this.blocks.length;
    const block: Block = {
      kind,
      section: this.#section,
      text: text ?? texts.join(joiner),
      sentences,
    };
    const at = line ?? (offset === undefined ? undefined : this.#lines.lineOf(offset));
    if (at !== undefined) block.line = at;
    this.blocks.push(block);
    for (let k = 0; k < placed.length; k++) this.#place(placed[k]!.id, index, placed[k]!.sentence);
  }
}

const isEmpty = (rendered: string): boolean => !rendered.includes(MARK_OPEN) && rendered.trim() === '';

/** Sections and blocks of the article whose root nodes are given. */
export function buildBody(
  nodes: readonly WikiNode[],
  renderer: Renderer,
  lines: LineIndex,
  place: PlaceMarker,
): { sections: Section[]; blocks: Block[] } {
  const builder = new BodyBuilder(renderer, lines, place);
  builder.run(splitLines(nodes));
  return { sections: builder.sections, blocks: builder.blocks };
}
