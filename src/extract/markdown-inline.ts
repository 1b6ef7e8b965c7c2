/**
 * Inline Markdown of the Wikipedia export, rendered to plain text in one linear pass:
 * escapes resolved, links reduced to their text (real targets kept aside), emphasis removed
 * (italic spans remembered: they mark titles and periodicals in references), inline marker
 * groups (`^[12]`, `^{[25]: 283 [28]: 101}`, `^[citation needed]`) removed and remembered
 * with the offset in the rendered text where they stood. Whitespace is squashed as it goes.
 */
import { type MarkerItem, parseMarkerGroup } from './markdown-markers.js';

/** A marker group as it stood in the text. */
export interface InlineMarker {
  /** Offset in the rendered text where the group stood (it follows the text before it). */
  offset: number;
  /** Index in the source string where the group starts, to recover its line. */
  sourceIndex: number;
  items: MarkerItem[];
}

/** A Markdown link `[text](target)`. */
export interface InlineLink {
  text: string;
  url: string;
}

/** A span of the rendered text, `[start, end)`. */
export interface TextSpan {
  start: number;
  end: number;
}

export interface RenderedInline {
  /** Plain text, whitespace squashed and trimmed. */
  text: string;
  markers: InlineMarker[];
  links: InlineLink[];
  /** Italic spans (`*…*`), in order. */
  italics: TextSpan[];
}

/** How far a bracket may be from its partner: links never span more than one line of this size. */
const MAX_BRACKET_REACH = 2000;
/** Longest marker group worth reading (`^{[25]: 283 [28]: 101}` is 22 characters). */
const MAX_MARKER_LENGTH = 300;

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const ESCAPED_ONCE = /\\([!-/:-@[-`{-~])/g;

function isWhitespace(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  return code > 127 && /\s/.test(c);
}

const isSpace = (c: string | undefined): boolean => c === undefined || isWhitespace(c);

/** Index of `ch` in `src[from, limit)`, or -1. */
function indexWithin(src: string, ch: string, from: number, limit: number): number {
  for (let i = from; i < limit; i++) if (src[i] === ch) return i;
  return -1;
}

type Delimiter = { kind: 'italic' | 'bold'; width: number; opens: boolean };

class Output {
  /**
   * The text so far, in pieces: growing one string with `+=` and reading it back (`endsWith`,
   * `slice`) made V8 flatten the whole string again each time, quadratic on long paragraphs.
   */
  readonly #pieces: string[] = [];
  /** Length of the text in UTF-16 code units (the unit of every offset). */
  length = 0;
  #endsWithSpace = false;
  readonly markers: InlineMarker[] = [];
  readonly links: InlineLink[] = [];
  readonly italics: TextSpan[] = [];

  char(c: string): void {
    if (isWhitespace(c)) {
      if (this.length > 0 && !this.#endsWithSpace) this.#push(' ');
    } else {
      this.#push(c);
    }
  }

  #push(s: string): void {
    this.#pieces.push(s);
    this.length += s.length;
    this.#endsWithSpace = s === ' ';
  }

  /** The text from offset `start` on, read back from the end (a link's text is short). */
  tail(start: number): string {
    let i = this.#pieces.length;
    let at = this.length;
    while (i > 0 && at > start) at -= this.#pieces[--i]!.length;
    return this.#pieces
      .slice(i)
      .join('')
      .slice(start - at);
  }

  get text(): string {
    return this.#pieces.join('');
  }

  literal(s: string): void {
    for (const c of s) this.char(c);
  }
}

/**
 * Finds the partner of the bracket at `open` (`[`→`]`, `(`→`)`), honouring escapes and
 * nesting, on the same line and within `MAX_BRACKET_REACH`; -1 when there is none.
 */
function findClose(src: string, open: number, end: number, o: string, c: string): number {
  let depth = 0;
  const limit = Math.min(end, open + MAX_BRACKET_REACH);
  for (let i = open; i < limit; i++) {
    const ch = src[i];
    if (ch === '\\') {
      i++;
    } else if (ch === '\n') {
      return -1;
    } else if (ch === o) {
      depth++;
    } else if (ch === c) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * Pairs emphasis delimiters of a range: `**` with the next `**`, a single `*` that can open
 * (not followed by a space) with the next one that can close (not preceded by one). Unpaired
 * stars stay literal, so `5 * 3` survives.
 */
function pairEmphasis(src: string, start: number, end: number): Map<number, Delimiter> {
  const doubles: number[] = [];
  const singles: number[] = [];
  for (let i = start; i < end; i++) {
    const ch = src[i];
    if (ch === '\\') {
      i++;
    } else if (ch === '*') {
      if (src[i + 1] === '*' && i + 1 < end) {
        doubles.push(i);
        i++;
      } else {
        singles.push(i);
      }
    }
  }
  const pairs = new Map<number, Delimiter>();
  for (let k = 0; k + 1 < doubles.length; k += 2) {
    pairs.set(doubles[k]!, { kind: 'bold', width: 2, opens: true });
    pairs.set(doubles[k + 1]!, { kind: 'bold', width: 2, opens: false });
  }
  let open = -1;
  for (const i of singles) {
    if (open < 0) {
      if (!isSpace(src[i + 1])) open = i;
    } else if (!isSpace(src[i - 1])) {
      pairs.set(open, { kind: 'italic', width: 1, opens: true });
      pairs.set(i, { kind: 'italic', width: 1, opens: false });
      open = -1;
    }
  }
  return pairs;
}

/** Resolves one level of backslash escapes (`\(` → `(`, `\\$` → `\$`). */
export const unescapeOnce = (s: string): string => s.replace(ESCAPED_ONCE, '$1');

class Scanner {
  readonly #out: Output;
  #italicStart = -1;

  constructor(out: Output) {
    this.#out = out;
  }

  /**
   * Renders `src[start, end)`. `anchor`, when set, is the source index reported for markers
   * found in a string that is not the source itself (an unescaped link text).
   */
  scan(src: string, start: number, end: number, anchor?: number): void {
    this.#run(src, start, end, pairEmphasis(src, start, end), anchor);
  }

  #run(src: string, start: number, end: number, emphasis: Map<number, Delimiter>, anchor?: number): void {
    const out = this.#out;
    let i = start;
    while (i < end) {
      const ch = src[i]!;
      const delimiter = ch === '*' ? emphasis.get(i) : undefined;
      if (delimiter) {
        if (delimiter.kind === 'italic') {
          if (delimiter.opens) this.#italicStart = out.length;
          else if (this.#italicStart >= 0) {
            out.italics.push({ start: this.#italicStart, end: out.length });
            this.#italicStart = -1;
          }
        }
        i += delimiter.width;
      } else if (ch === '\\') {
        i = this.#escape(src, i, end);
      } else if (ch === '^' && (src[i + 1] === '[' || src[i + 1] === '{')) {
        i = this.#marker(src, i, end, anchor);
      } else if (ch === '[') {
        i = this.#link(src, i, end, emphasis, anchor);
      } else {
        out.char(ch);
        i++;
      }
    }
  }

  #escape(src: string, i: number, end: number): number {
    const next = src[i + 1];
    // `\\$` in the export stands for a literal `$` (a doubly escaped dollar), not `\$`.
    if (next === '\\' && i + 2 < end && ASCII_PUNCTUATION.test(src[i + 2]!) && src[i + 2] !== '\\') {
      this.#out.char(src[i + 2]!);
      return i + 3;
    }
    if (next !== undefined && i + 1 < end && ASCII_PUNCTUATION.test(next)) {
      this.#out.char(next);
      return i + 2;
    }
    this.#out.char('\\');
    return i + 1;
  }

  #marker(src: string, i: number, end: number, anchor?: number): number {
    const out = this.#out;
    const brace = src[i + 1] === '{';
    const close = brace
      ? indexWithin(src, '}', i + 2, Math.min(end, i + MAX_MARKER_LENGTH))
      : findClose(src, i + 1, Math.min(end, i + 1 + MAX_MARKER_LENGTH), '[', ']');
    if (close < 0 || close >= end || close - i > MAX_MARKER_LENGTH || src.slice(i, close).includes('\n')) {
      out.char('^');
      return i + 1;
    }
    const body = brace ? src.slice(i + 2, close) : src.slice(i + 1, close + 1);
    const items = parseMarkerGroup(body);
    if (items) {
      out.markers.push({ offset: out.length, sourceIndex: anchor ?? i, items });
    } else if (brace) {
      // A superscript that is not a marker group (`km^{2}`): keep its text.
      this.scan(src, i + 2, close, anchor);
    } else {
      out.char('^');
      return i + 1;
    }
    return close + 1;
  }

  #link(src: string, i: number, end: number, emphasis: Map<number, Delimiter>, anchor?: number): number {
    const out = this.#out;
    const close = findClose(src, i, end, '[', ']');
    const parenClose = close > 0 && src[close + 1] === '(' ? findClose(src, close + 1, end, '(', ')') : -1;
    if (parenClose < 0) {
      out.char('[');
      return i + 1;
    }
    const textStart = out.length;
    const raw = src.slice(i + 1, close);
    if (/\\[[\]()]/.test(raw)) {
      // Link text that is itself escaped Markdown (a whole reference wrapped in one link, with
      // its own `\[public domain\]\(#\)` inside): unescape one level and render it again.
      const inner = unescapeOnce(raw);
      this.scan(inner, 0, inner.length, anchor ?? i);
    } else {
      this.#run(src, i + 1, close, emphasis, anchor);
    }
    const target = src.slice(close + 2, parenClose).trim();
    const url = target.replace(/^<([^>]*)>.*$/, '$1').split(/\s+/)[0] ?? '';
    out.links.push({ text: out.tail(textStart).trim(), url });
    return parenClose + 1;
  }
}

/**
 * Renders `src[start, end)` (the whole string by default) to plain text, collecting markers,
 * links and italic spans.
 */
export function renderInline(src: string, start = 0, end = src.length): RenderedInline {
  const out = new Output();
  new Scanner(out).scan(src, start, end);
  const text = out.text.trimEnd();
  const clamp = (n: number): number => Math.min(n, text.length);
  return {
    text,
    markers: out.markers.map((m) => ({ ...m, offset: clamp(m.offset) })),
    links: out.links,
    italics: out.italics
      .map((s) => ({ start: clamp(s.start), end: clamp(s.end) }))
      .filter((s) => s.end > s.start),
  };
}
