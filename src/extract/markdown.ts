/**
 * The Markdown-like export of a Wikipedia article (the seed's format): the title on the first
 * line, headings marked by a `[-]` or `[.]` line after them, numbered references after a
 * `References` heading, inline markers `^[12]` / `^{[25]: 283}`, link targets often lost
 * (`(#)`), page-break debris (runs of blank lines, lone spaces, paragraphs split mid-sentence)
 * and sometimes an advert glued after the last reference.
 *
 * Decisions, for the stages that read the result:
 * - every heading has level 2 (the export does not show levels), the lead level 1; a Markdown
 *   heading (`## Title`) keeps the level of its `#`s;
 * - "See also", "External links" and "Further reading" are navigation: no blocks;
 * - hatnotes ("Further information: …", "Main article: …") are dropped;
 * - tab-separated rows are one `table` block, `- ` rows one `list` block; in both, each row is
 *   one sentence (citations point at the row); a short unpunctuated line right before a table
 *   is its caption and becomes the table's first sentence;
 * - a paragraph that ends without sentence-final punctuation, followed by one that starts in
 *   lower case or with a quote, is one paragraph split by a page break: they are joined;
 * - after the references, every block that is not a numbered reference (an advert, page
 *   debris, a later section) is one `trailing` entry per block, never part of a reference.
 */
import { lastStartBefore, splitSentences } from '../core/text.js';
import { InputError } from '../errors.js';
import { type Article, type ArticleSource, type Block, emptyArticle, type Reference } from '../model.js';
import { type InlineMarker, type RenderedInline, renderInline } from './markdown-inline.js';
import { buildReference } from './markdown-reference.js';

const HEADING_MARKER = /^\s*\[[-.]\]\s*$/;
const ATX_HEADING = /^\s{0,3}(#{1,6})\s+(\S.*?)\s*#*\s*$/;
const REFERENCE_SECTION =
  /^(?:references?|notes?|citations?|footnotes?|notes and references|references and notes|works cited|sources|bibliography)$/i;
const NAVIGATION_SECTION = /^(?:see also|external links|further reading|related articles|other projects)$/i;
const HATNOTE =
  /^(?:Further information|Main articles?|See also|Further|Related articles?|For more (?:information|details)|Not to be confused with|This article is about|For other uses|"[^"]{1,100}" redirects here)\b/i;
const BULLET = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;
const REFERENCE_LINE = /^\s*(\d{1,6})\.(?:\s+|$)/;
/** A numbered line that can only be a reference: it starts with backlink debris. */
const REFERENCE_WITH_BACKLINK = /^\s*\d{1,6}\.\s+(?:\^|\[\^\]|\[\s*Jump up)/;
const SENTENCE_END = /[.!?。！？…]["'”’»)\]]*$/u;
const CONTINUATION_START = /^["'“‘«„\p{Ll}]/u;
const MAX_CAPTION_LENGTH = 150;

type Zone = 'body' | 'navigation' | 'references' | 'after';

/** Lines of the source with their offsets, so ranges of lines can be rendered in place. */
class SourceLines {
  readonly src: string;
  readonly lines: string[];
  readonly starts: number[];

  constructor(text: string) {
    this.src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    this.lines = this.src.split('\n');
    this.starts = [];
    let at = 0;
    for (const line of this.lines) {
      this.starts.push(at);
      at += line.length + 1;
    }
  }

  start(i: number): number {
    return this.starts[i]!;
  }

  end(i: number): number {
    return this.starts[i]! + this.lines[i]!.length;
  }

  /** 1-based line of a source offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  render(first: number, last: number, from = this.start(first)): RenderedInline {
    return renderInline(this.src, from, this.end(last));
  }
}

const isBlank = (line: string): boolean => line.trim() === '';

type Item =
  | { kind: 'heading'; line: number; level: number }
  | { kind: 'content'; first: number; last: number };

/** Splits the lines after the title into headings and runs of non-blank content lines. */
function itemsOf(lines: readonly string[], titleLine: number): Item[] {
  const headingLevel = new Map<number, number>();
  let previous = -1;
  for (let i = titleLine + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    if (HEADING_MARKER.test(line)) {
      if (previous > titleLine && !HEADING_MARKER.test(lines[previous]!) && !headingLevel.has(previous)) {
        headingLevel.set(previous, 2);
      }
    } else {
      const atx = line.match(ATX_HEADING);
      if (atx) headingLevel.set(i, atx[1]!.length);
    }
    previous = i;
  }
  const items: Item[] = [];
  let run = -1;
  const close = (i: number): void => {
    if (run >= 0) items.push({ kind: 'content', first: run, last: i - 1 });
    run = -1;
  };
  for (let i = titleLine + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const level = headingLevel.get(i);
    if (level !== undefined) {
      close(i);
      items.push({ kind: 'heading', line: i, level });
    } else if (isBlank(line) || HEADING_MARKER.test(line)) {
      close(i);
    } else if (run < 0) {
      run = i;
    }
  }
  close(lines.length);
  return items;
}

type Unit =
  | { kind: 'paragraph'; first: number; last: number }
  | { kind: 'list'; first: number; items: Array<{ first: number; last: number }> }
  | { kind: 'table'; first: number; rows: number[] };

/** Splits a run of content lines into paragraphs, lists (with wrapped rows) and tables. */
function unitsOf(lines: readonly string[], first: number, last: number): Unit[] {
  const units: Unit[] = [];
  let current: Unit | undefined;
  for (let i = first; i <= last; i++) {
    const line = lines[i]!;
    if (line.includes('\t') && !BULLET.test(line)) {
      if (current?.kind !== 'table') {
        current = { kind: 'table', first: i, rows: [] };
        units.push(current);
      }
      current.rows.push(i);
    } else if (BULLET.test(line)) {
      if (current?.kind !== 'list') {
        current = { kind: 'list', first: i, items: [] };
        units.push(current);
      }
      current.items.push({ first: i, last: i });
    } else if (current?.kind === 'list') {
      // A list row wrapped onto the next line without its bullet.
      current.items[current.items.length - 1]!.last = i;
    } else if (current?.kind === 'paragraph') {
      current.last = i;
    } else {
      current = { kind: 'paragraph', first: i, last: i };
      units.push(current);
    }
  }
  return units;
}

/** A block being built: its rows (one sentence each) or its running text, and its markers. */
interface Draft {
  kind: Block['kind'];
  line: number;
  /** Paragraphs: one rendered text. Lists and tables: one rendered text per row. */
  parts: RenderedInline[];
}

/** Index of the sentence a marker at `offset` follows: the last one starting before it. */
const sentenceAt = (starts: readonly number[], offset: number): number =>
  Math.max(0, lastStartBefore(starts, offset));

function sentenceStarts(text: string, sentences: readonly string[]): number[] {
  const starts: number[] = [];
  let cursor = 0;
  for (const s of sentences) {
    const at = text.indexOf(s, cursor);
    starts.push(at < 0 ? cursor : at);
    cursor = at < 0 ? cursor : at + s.length;
  }
  return starts;
}

class Builder {
  readonly article: Article;
  readonly #src: SourceLines;
  #section = '(lead)';
  #zone: Zone = 'body';
  #seenReferences = false;
  readonly #references = new Map<string, Reference>();
  readonly #duplicates = new Map<number, number>();

  constructor(src: SourceLines, article: Article) {
    this.#src = src;
    this.article = article;
  }

  heading(line: number, level: number): void {
    const raw = this.#src.lines[line]!;
    const atx = raw.match(ATX_HEADING);
    const rendered = this.#src.render(
      line,
      line,
      atx ? this.#src.start(line) + raw.indexOf(atx[2]!) : undefined,
    );
    const title = rendered.text || raw.trim();
    this.#section = title;
    this.article.sections.push({ title, level, line: line + 1 });
    if (REFERENCE_SECTION.test(title)) {
      this.#zone = 'references';
      this.#seenReferences = true;
    } else if (this.#seenReferences) {
      this.#zone = 'after';
    } else {
      this.#zone = NAVIGATION_SECTION.test(title) ? 'navigation' : 'body';
    }
  }

  /** Content between two headings. */
  section(runs: ReadonlyArray<{ first: number; last: number }>): void {
    if (this.#zone === 'body') {
      const split = runs.findIndex((r) => REFERENCE_WITH_BACKLINK.test(this.#src.lines[r.first]!));
      if (split < 0) {
        this.#body(runs);
        return;
      }
      // No reference heading, but the reference list has begun.
      this.#body(runs.slice(0, split));
      this.#zone = 'references';
      this.#seenReferences = true;
      this.#referenceList(runs.slice(split));
    } else if (this.#zone === 'references') {
      this.#referenceList(runs);
    } else if (this.#zone === 'after') {
      for (const r of runs) this.#trailing(r.first, r.last);
    }
  }

  finish(): void {
    const counts = new Map<string, number>();
    for (const c of this.article.citations) counts.set(c.referenceId, (counts.get(c.referenceId) ?? 0) + 1);
    for (const ref of this.article.references) ref.inlineCitations = counts.get(ref.id) ?? 0;
  }

  #body(runs: ReadonlyArray<{ first: number; last: number }>): void {
    const lines = this.#src.lines;
    const units = runs.flatMap((r) => unitsOf(lines, r.first, r.last));
    const drafts: Draft[] = [];
    // `last`/`tail`: a paragraph joined across page breaks is rendered as one range once, after
    // the loop — rendering it again at every join was quadratic in the number of pieces.
    let previous: { draft: Draft; first: number; unit: number; last?: number; tail?: string } | undefined;
    const joined: Array<NonNullable<typeof previous>> = [];
    let caption: { line: number; rendered: RenderedInline } | undefined;
    for (let u = 0; u < units.length; u++) {
      const unit = units[u]!;
      if (unit.kind === 'paragraph') {
        const rendered = this.#src.render(unit.first, unit.last);
        if (unit.first === unit.last && HATNOTE.test(rendered.text)) continue;
        if (rendered.text === '' && rendered.markers.length === 0) continue;
        const prior = previous?.unit === u - 1 ? previous : undefined;
        const priorText = prior?.tail ?? prior?.draft.parts[0]?.text ?? '';
        if (
          prior &&
          ((rendered.text === '' && rendered.markers.length > 0) ||
            (!SENTENCE_END.test(priorText) && CONTINUATION_START.test(rendered.text)))
        ) {
          // One paragraph split by a page break: both halves are rendered as one range.
          if (prior.last === undefined) joined.push(prior);
          prior.last = unit.last;
          if (rendered.text !== '') prior.tail = rendered.text;
          prior.unit = u;
          continue;
        }
        const next = units[u + 1];
        if (
          next?.kind === 'table' &&
          unit.first === unit.last &&
          rendered.markers.length === 0 &&
          rendered.text.length <= MAX_CAPTION_LENGTH &&
          !SENTENCE_END.test(rendered.text)
        ) {
          caption = { line: unit.first, rendered };
          continue;
        }
        const draft: Draft = { kind: 'paragraph', line: unit.first + 1, parts: [rendered] };
        drafts.push(draft);
        previous = { draft, first: unit.first, unit: u };
      } else if (unit.kind === 'list') {
        const parts = unit.items
          .map((item) => this.#src.render(item.first, item.last, this.#afterBullet(item.first)))
          .filter((p) => p.text !== '' || p.markers.length > 0);
        if (parts.length > 0) drafts.push({ kind: 'list', line: unit.first + 1, parts });
      } else {
        const parts = unit.rows.map((row) => this.#row(row));
        if (caption) parts.unshift(caption.rendered);
        drafts.push({ kind: 'table', line: (caption ? caption.line : unit.first) + 1, parts });
        caption = undefined;
      }
    }
    for (const j of joined) j.draft.parts = [this.#src.render(j.first, j.last ?? j.first)];
    for (const draft of drafts) this.#emit(draft);
  }

  #afterBullet(line: number): number {
    const bullet = this.#src.lines[line]!.match(BULLET);
    return this.#src.start(line) + (bullet ? bullet[0].length : 0);
  }

  /** A table row: its cells rendered and joined with ` | `, markers shifted along. */
  #row(line: number): RenderedInline {
    const row: RenderedInline = { text: '', markers: [], links: [], italics: [] };
    let at = this.#src.start(line);
    for (const cell of this.#src.lines[line]!.split('\t')) {
      const rendered = renderInline(this.#src.src, at, at + cell.length);
      at += cell.length + 1;
      if (rendered.text === '' && rendered.markers.length === 0) continue;
      const shift = row.text === '' ? 0 : row.text.length + 3;
      row.text = row.text === '' ? rendered.text : `${row.text} | ${rendered.text}`;
      for (const m of rendered.markers) row.markers.push({ ...m, offset: m.offset + shift });
    }
    return row;
  }

  /** Turns a draft into a block, with citations and tags pointing at its sentences. */
  #emit(draft: Draft): void {
    const article = this.article;
    const index = article.blocks.length;
    const placed: Array<{ marker: InlineMarker; sentence: number }> = [];
    let text: string;
    let sentences: string[];
    if (draft.kind === 'paragraph') {
      const part = draft.parts[0]!;
      text = part.text;
      sentences = splitSentences(text);
      const starts = sentenceStarts(text, sentences);
      for (const marker of part.markers) placed.push({ marker, sentence: sentenceAt(starts, marker.offset) });
    } else {
      sentences = draft.parts.map((p) => p.text);
      text = sentences.join(' ').trim();
      draft.parts.forEach((p, row) => {
        for (const marker of p.markers) placed.push({ marker, sentence: row });
      });
    }
    if (sentences.length === 0) sentences = [text];
    article.blocks.push({ kind: draft.kind, section: this.#section, text, sentences, line: draft.line });
    for (const { marker, sentence } of placed) {
      const line = this.#src.lineOf(marker.sourceIndex);
      for (const item of marker.items) {
        if (item.kind === 'citation') {
          article.citations.push({
            referenceId: item.referenceId,
            block: index,
            sentence,
            ...(item.pages !== undefined && { pages: item.pages }),
            line,
          });
        } else if (item.kind === 'tag') {
          article.tags.push({ kind: item.tag, text: item.text, block: index, sentence, line });
        }
      }
    }
  }

  /** The numbered reference list; whatever is not a reference goes to `trailing`. */
  #referenceList(runs: ReadonlyArray<{ first: number; last: number }>): void {
    const lines = this.#src.lines;
    let open: { first: number; last: number; number: number } | undefined;
    const flush = (): void => {
      if (open) this.#reference(open.first, open.last, open.number);
      open = undefined;
    };
    for (const run of runs) {
      let debris = -1;
      for (let i = run.first; i <= run.last; i++) {
        const numbered = lines[i]!.match(REFERENCE_LINE);
        if (numbered) {
          if (debris >= 0) this.#trailing(debris, i - 1);
          debris = -1;
          flush();
          open = { first: i, last: i, number: Number(numbered[1]) };
        } else if (open && (i > run.first || this.#continues(open, i))) {
          open.last = i;
        } else if (debris < 0) {
          flush();
          debris = i;
        }
      }
      if (debris >= 0) this.#trailing(debris, run.last);
    }
    flush();
  }

  /** After a page break, a reference continues only mid-sentence, in lower case. */
  #continues(open: { first: number; last: number }, line: number): boolean {
    const before = this.#src.render(open.first, open.last).text;
    const after = this.#src.render(line, line).text;
    return !SENTENCE_END.test(before) && CONTINUATION_START.test(after);
  }

  #reference(first: number, last: number, number: number): void {
    const prefix = this.#src.lines[first]!.match(REFERENCE_LINE)![0].length;
    const content = this.#src.src.slice(this.#src.start(first) + prefix, this.#src.end(last));
    // A number seen before (a second list, a broken export) gets a suffix: ids stay unique.
    let id = String(number);
    while (this.#references.has(id)) {
      const k = (this.#duplicates.get(number) ?? 1) + 1;
      this.#duplicates.set(number, k);
      id = `${number}-${k}`;
    }
    const { reference, tags } = buildReference(id, number, content, first + 1);
    this.#references.set(id, reference);
    this.article.references.push(reference);
    this.article.tags.push(...tags);
  }

  #trailing(first: number, last: number): void {
    const text = this.#src.render(first, last).text;
    if (text !== '') this.article.trailing.push({ text, line: first + 1 });
  }
}

/**
 * Reads an article exported to Markdown. Pure; throws only `InputError` (for a text without
 * a single non-blank line, which has no title).
 */
export function extractMarkdown(text: string, source: ArticleSource): Article {
  const src = new SourceLines(text);
  const titleLine = src.lines.findIndex((l) => !isBlank(l));
  if (titleLine < 0) {
    throw new InputError(source.path ?? source.wiki?.title ?? 'markdown input', 'no text, not even a title');
  }
  const rawTitle = src.lines[titleLine]!;
  const atx = rawTitle.match(ATX_HEADING);
  const titleFrom = atx ? src.start(titleLine) + rawTitle.indexOf(atx[2]!) : undefined;
  const title = src.render(titleLine, titleLine, titleFrom).text || rawTitle.trim();

  const article = emptyArticle(source, title);
  article.sections.push({ title: '(lead)', level: 1, line: titleLine + 1 });
  const builder = new Builder(src, article);
  let runs: Array<{ first: number; last: number }> = [];
  for (const item of itemsOf(src.lines, titleLine)) {
    if (item.kind === 'content') {
      runs.push({ first: item.first, last: item.last });
    } else {
      builder.section(runs);
      runs = [];
      builder.heading(item.line, item.level);
    }
  }
  builder.section(runs);
  builder.finish();
  return article;
}
