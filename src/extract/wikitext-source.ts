/**
 * Source preparation for the wikitext extractor: undoing an XML-escaped export, hiding
 * comments and verbatim tags from the parser, and mapping offsets to 1-based lines.
 *
 * Masking keeps every offset: the masked text has the same length as the source, so a
 * position found in it is a position in the article. Comments become `HIDDEN` characters
 * (dropped from any text); `<nowiki>`, `<math>`, `<pre>`… keep their content literally, with
 * each markup character swapped for a private-use stand-in that no rule matches and that
 * `unmask` turns back.
 */

/** Stands for a character that renders as nothing (comments, verbatim tags). */
export const HIDDEN = '\u0001';
/** Opens and closes an inline marker `\u0002<n>\u0003` in rendered text. */
export const MARK_OPEN = '\u0002';
export const MARK_CLOSE = '\u0003';

/** Characters the parser or the inline rules react to; inside verbatim content they are swapped. */
const MARKUP = "{}[]|<>'=!*#:;~&_-/";
const STAND_IN_BASE = 0xe000;
const STAND_IN_RE = new RegExp(`[${MARKUP.replace(/[\]\\^-]/g, '\\$&')}]`, 'g');
const STAND_IN_BACK_RE = new RegExp(
  `[${String.fromCharCode(STAND_IN_BASE)}-${String.fromCharCode(STAND_IN_BASE + MARKUP.length - 1)}]`,
  'g',
);
const HAS_STAND_IN_RE = new RegExp(STAND_IN_BACK_RE.source);
/** The characters `unmask` changes: hidden ones and stand-ins, as a regex character class. */
export const MASKED_CLASS = `${HIDDEN}${STAND_IN_BACK_RE.source.slice(1, -1)}`;
const MASKED_RE = new RegExp(`[${MASKED_CLASS}]`);
const toStandIn = (c: string): string => String.fromCharCode(STAND_IN_BASE + MARKUP.indexOf(c));
const fromStandIn = (c: string): string => MARKUP[c.charCodeAt(0) - STAND_IN_BASE]!;

/** Tags whose content is shown literally and never parsed. */
const VERBATIM = new Set([
  'nowiki',
  'pre',
  'math',
  'chem',
  'ce',
  'syntaxhighlight',
  'source',
  'score',
  'timeline',
  'hiero',
  'graph',
  'templatedata',
  'mapframe',
  'maplink',
  'inputbox',
  'categorytree',
]);
/** Tags whose whole element renders nothing the extractor wants (image galleries, maps). */
const DROPPED = new Set(['gallery', 'imagemap', 'templatestyles']);

const SPECIAL_RE =
  /<!--|<(\/?)(nowiki|pre|math|chem|ce|syntaxhighlight|source|score|timeline|hiero|graph|templatedata|mapframe|maplink|inputbox|categorytree|gallery|imagemap|templatestyles|poem|onlyinclude|includeonly|noinclude)\b([^>]*)>/gi;

/**
 * An article exported through XML (a dump, some API formats) arrives with `&lt;ref&gt;` for
 * `<ref>`: decode the four XML entities once when the text has escaped markup and no raw tag.
 * Entities contain no newline, so lines are unchanged.
 */
export function decodeXmlEscapes(text: string): string {
  if (!/&lt;(?:ref|\/ref|!--|references|br)\b/i.test(text)) return text;
  if (/<(?:ref|\/ref|references|br)\b|<!--/i.test(text)) return text;
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Replaces the characters citewatch uses as in-band markers, so input can never forge one. */
export const sanitizeControls = (text: string): string => text.replace(/[\u0001-\u0004]/g, '\ufffd');

/**
 * Hides comments and verbatim content from the parser without moving any offset.
 * An unterminated comment hides the rest of the page (as MediaWiki does); an unterminated
 * verbatim tag is literal text.
 */
export function maskSource(text: string): string {
  const out: string[] = [];
  let last = 0;
  SPECIAL_RE.lastIndex = 0;
  for (let m = SPECIAL_RE.exec(text); m !== null; m = SPECIAL_RE.exec(text)) {
    const start = m.index;
    if (start < last) continue;
    if (m[0] === '<!--') {
      const close = text.indexOf('-->', start + 4);
      const end = close < 0 ? text.length : close + 3;
      out.push(text.slice(last, start), HIDDEN.repeat(end - start));
      last = end;
      SPECIAL_RE.lastIndex = end;
      continue;
    }
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    const tagEnd = start + m[0].length;
    const selfClosing = /\/\s*$/.test(m[3]!);
    if (closing || selfClosing || !(VERBATIM.has(name) || DROPPED.has(name))) {
      // Wrapper tags (`<poem>`, `<noinclude>`, stray closers) render nothing themselves.
      out.push(text.slice(last, start), HIDDEN.repeat(tagEnd - start));
      last = tagEnd;
      continue;
    }
    const closeRe = new RegExp(`</${name}\\s*>`, 'gi');
    closeRe.lastIndex = tagEnd;
    const close = closeRe.exec(text);
    if (!close) continue;
    const end = close.index + close[0].length;
    out.push(text.slice(last, start), HIDDEN.repeat(tagEnd - start));
    if (DROPPED.has(name)) {
      out.push(HIDDEN.repeat(close.index - tagEnd));
    } else {
      out.push(text.slice(tagEnd, close.index).replace(STAND_IN_RE, toStandIn));
    }
    out.push(HIDDEN.repeat(end - close.index));
    last = end;
    SPECIAL_RE.lastIndex = end;
  }
  out.push(text.slice(last));
  return out.join('');
}

/** Turns stand-ins back into the characters they hide and drops hidden characters. */
export function unmask(text: string): string {
  // Most text has neither: one scan instead of two.
  if (!MASKED_RE.test(text)) return text;
  let s = text;
  if (s.includes(HIDDEN)) s = s.replaceAll(HIDDEN, '');
  return HAS_STAND_IN_RE.test(s) ? s.replace(STAND_IN_BACK_RE, fromStandIn) : s;
}

/** Maps offsets to 1-based line numbers by binary search over line starts. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
  }

  /** The line found last (0-based): offsets are mostly asked in order, often on one line. */
  #last = 0;

  /** The 1-based line holding `offset`. */
  lineOf(offset: number): number {
    const starts = this.#starts;
    const last = this.#last;
    if (starts[last]! <= offset && (last + 1 === starts.length || offset < starts[last + 1]!))
      return last + 1;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.#last = lo;
    return lo + 1;
  }
}
