/**
 * A single pass over an HTML string that reports elements opening and closing and the text
 * between them — the tree htmlparser2 (cheerio/slim) would build, without building it.
 *
 * The page reader used to parse every body with cheerio and walk the tree: htmlparser2's
 * tokenizer looks at every character through a state machine, and the tree and its nodes cost
 * more than the page itself. Here text is skipped with `indexOf('<')`, names and attribute
 * values are cut with sticky regular expressions, entities are decoded only in slices that hold
 * a `&`, and only the attributes the page reader reads are kept.
 *
 * The rules are htmlparser2 10's, in HTML mode, so that the page reader sees the tree it saw
 * before (a differential test holds the two together): which tags imply the end of which
 * (`<p>` ends at `<div>`), void elements, raw text in `<script>`, `<style>`, `<textarea>`,
 * `<xmp>` and `<title>` (entities decoded in `<title>` only), comments, `<!…>` and `<?…>`
 * nodes, CDATA read as a comment, self-closing tags honoured only inside `<svg>`/`<math>`,
 * `</p>` and `</br>` without an open element, and what is left at the end of the input.
 * Text between two tags is one node; a comment or a tag between two runs of text makes two.
 *
 * Linear on any input: every character is looked at a bounded number of times, an end tag with
 * no open element of its name is refused by a count instead of a search of the open elements,
 * and no recursion, so 100,000 nested elements cost no more than 100,000 siblings.
 */
import { DecodingMode, decodeHTML, decodeHTMLAttribute } from 'entities';

/** The attributes the page reader looks at; every other attribute is skipped. */
export interface ScannedAttributes {
  id?: string;
  class?: string;
  itemprop?: string;
  content?: string;
  href?: string;
  src?: string;
  type?: string;
  role?: string;
}

/** What a scan reports, in document order. */
export interface HtmlEvents {
  /**
   * An element starts; `name` is lower-cased. Void elements are closed right after.
   * `attributes` is reused for the next tag: read it during the call, do not keep it.
   */
  open(name: string, attributes: ScannedAttributes): void;
  /** The innermost open element ends. */
  close(): void;
  /**
   * A run of text, entities decoded (raw in `<script>`, `<style>`, `<textarea>`, `<xmp>`).
   * `continues` is true when it belongs to the same text node as the previous run (htmlparser2
   * merges the text around an end tag that closed nothing, for example).
   */
  text(data: string, continues: boolean): void;
}

const KEPT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'id',
  'class',
  'itemprop',
  'content',
  'href',
  'src',
  'type',
  'role',
]);

/** Tags whose start closes the innermost open element while it is one of these. */
const P = ['p'];
const FORM = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const OPEN_IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  (
    [
      ['tr', ['tr', 'th', 'td']],
      ['th', ['th']],
      ['td', ['thead', 'th', 'td']],
      ['body', ['head', 'link', 'script']],
      ['li', ['li']],
      ['option', ['option']],
      ['optgroup', ['optgroup', 'option']],
      ['dd', ['dd', 'dt']],
      ['dt', ['dd', 'dt']],
      ['rt', ['rt', 'rp']],
      ['rp', ['rt', 'rp']],
      ['tbody', ['thead', 'tbody']],
      ['tfoot', ['thead', 'tbody']],
      ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t) => [t, FORM] as const),
      ...[
        'p',
        'h1',
        'h2',
        'h3',
        'h4',
        'h5',
        'h6',
        'address',
        'article',
        'aside',
        'blockquote',
        'details',
        'div',
        'dl',
        'fieldset',
        'figcaption',
        'figure',
        'footer',
        'form',
        'header',
        'hr',
        'main',
        'nav',
        'ol',
        'pre',
        'section',
        'table',
        'ul',
      ].map((t) => [t, P] as const),
    ] as Array<readonly [string, readonly string[]]>
  ).map(([tag, closes]) => [tag, new Set(closes)]),
);

const VOID: ReadonlySet<string> = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Inside these, `<x/>` closes `x`. */
const FOREIGN: ReadonlySet<string> = new Set(['math', 'svg']);
/** HTML again inside foreign content. */
const INTEGRATION: ReadonlySet<string> = new Set([
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'foreignobject',
  'desc',
  'title',
]);

/** What ends a raw-text element: `</name` then whitespace or `>`. htmlparser2 compares each
 * character OR 0x20 with the lower-case sequence, so U+001C and U+000F pass for `<` and `/`. */
const rawTextEnd = (name: string): RegExp => new RegExp(`[<\\x1c][/\\x0f]${name}[\\t\\n\\f\\r >]`, 'gi');
const RAW_TEXT_END: Readonly<Record<string, RegExp>> = {
  script: rawTextEnd('script'),
  style: rawTextEnd('style'),
  title: rawTextEnd('title'),
  textarea: rawTextEnd('textarea'),
  xmp: rawTextEnd('xmp'),
};
/**
 * In a `<title>`, a `&` right after a partial `</title` is not read as an entity (htmlparser2
 * resets its match there without looking at the `&`).
 */
const TITLE_BARE_AMP = /[<\x1c](?:[/\x0f](?:t(?:i(?:t(?:l)?)?)?)?)?&/gi;

const isAsciiAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 12 || c === 13;

/** Index of the first character from `i` on that is not HTML whitespace. */
function skipSpace(s: string, i: number): number {
  const n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** End of a tag name from `i`: whitespace, `/` or `>`. */
function tagNameEnd(s: string, i: number): number {
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 62 || c === 47 || isSpace(c)) break;
  }
  return i;
}

/** End of an end tag's name, or of an unquoted attribute value, from `i`: whitespace or `>`. */
function wordEnd(s: string, i: number): number {
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 62 || isSpace(c)) break;
  }
  return i;
}

/** End of an attribute name from `i`: whitespace, `/`, `>` or `=`. */
function attributeNameEnd(s: string, i: number): number {
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 62 || c === 47 || c === 61 || isSpace(c)) break;
  }
  return i;
}

/** ASCII-case-insensitive equality with a lower-case `lower`, as htmlparser2 matches names. */
function namedAs(s: string, from: number, to: number, lower: string): boolean {
  if (to - from !== lower.length) return false;
  for (let i = 0; i < lower.length; i++)
    if ((s.charCodeAt(from + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/**
 * The raw-text element a start tag opens, by htmlparser2's matching: the first letter picks a
 * family (`s`: script, style; `t` or `x`: title, textarea, xmp) and the rest is compared from
 * the second letter, so `<xitle>` reads as a title and `<tmp>` as an xmp.
 */
function rawTextOf(s: string, from: number, to: number): string | undefined {
  const first = s.charCodeAt(from) | 0x20;
  if (first === 115) {
    if (namedAs(s, from + 1, to, 'cript')) return 'script';
    if (namedAs(s, from + 1, to, 'tyle')) return 'style';
  } else if (first === 116 || first === 120) {
    if (namedAs(s, from + 1, to, 'itle')) return 'title';
    if (namedAs(s, from + 1, to, 'extarea')) return 'textarea';
    if (namedAs(s, from + 1, to, 'mp')) return 'xmp';
  }
  return undefined;
}

/**
 * Whether a tag name cut by the end of the input was still matching a raw-text name: then
 * htmlparser2 gives the name back as text (without its `<`), otherwise it drops it.
 */
function partialRawTextName(s: string, from: number, to: number): boolean {
  const lower = s.slice(from, to).replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (lower[0] === 's') return 'script'.startsWith(lower) || 'style'.startsWith(lower);
  if (lower[0] !== 't' && lower[0] !== 'x') return false;
  if (lower.length === 1) return true;
  const rest = lower.slice(2);
  return (
    (lower[1] === 'i' && 'tle'.startsWith(rest)) ||
    (lower[1] === 'e' && 'xtarea'.startsWith(rest)) ||
    (lower[1] === 'm' && 'p'.startsWith(rest))
  );
}

const decodeTextRun = (raw: string): string =>
  raw.includes('&') ? decodeHTML(raw, DecodingMode.Legacy) : raw;
const decodeAttribute = (raw: string): string => (raw.includes('&') ? decodeHTMLAttribute(raw) : raw);

/** `<title>` text: entities decoded, except after a partial `</title` (see `TITLE_BARE_AMP`). */
function decodeTitleText(raw: string): string {
  if (!raw.includes('&')) return raw;
  TITLE_BARE_AMP.lastIndex = 0;
  let out = '';
  let from = 0;
  for (let m = TITLE_BARE_AMP.exec(raw); m !== null; m = TITLE_BARE_AMP.exec(raw)) {
    const amp = m.index + m[0].length;
    out += decodeTextRun(raw.slice(from, amp));
    from = amp;
  }
  return out + decodeTextRun(raw.slice(from));
}

/** The open elements and the rules for opening and closing them (htmlparser2's `Parser`). */
class OpenElements {
  readonly #events: HtmlEvents;
  readonly #names: string[] = [];
  /** How many of each name are open: an end tag of a name not open is refused without a search. */
  readonly #counts = new Map<string, number>();
  /** htmlparser2's `foreignContext`: true inside `<svg>`/`<math>`; its own stack, its own quirks. */
  readonly #foreign: boolean[] = [false];
  /** Text is merged into the previous text node until a node or an end tag comes between. */
  textContinues = false;

  constructor(events: HtmlEvents) {
    this.#events = events;
  }

  get inForeignContent(): boolean {
    return this.#foreign[this.#foreign.length - 1] === true;
  }

  get current(): string | undefined {
    return this.#names[this.#names.length - 1];
  }

  #pop(): void {
    const name = this.#names.pop()!;
    this.#counts.set(name, this.#counts.get(name)! - 1);
    this.textContinues = false;
    this.#events.close();
  }

  /** A start tag's name was read: close what it implies, and remember it (unless void). */
  beginStartTag(name: string): void {
    const implied = OPEN_IMPLIES_CLOSE.get(name);
    if (implied) while (this.#names.length > 0 && implied.has(this.current!)) this.#pop();
    if (VOID.has(name)) return;
    this.#names.push(name);
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1);
    if (FOREIGN.has(name)) this.#foreign.push(true);
    else if (INTEGRATION.has(name)) this.#foreign.push(false);
  }

  /** The start tag ended: the element exists (a void one is closed at once). */
  endStartTag(name: string, attributes: ScannedAttributes): void {
    this.textContinues = false;
    this.#events.open(name, attributes);
    if (VOID.has(name)) this.#events.close();
  }

  /** `<x/>` in foreign content: the element ends with its start tag. */
  selfClose(name: string, attributes: ScannedAttributes): void {
    this.endStartTag(name, attributes);
    if (this.current === name) this.#pop();
  }

  /** An end tag: closes everything down to the innermost element of its name, if one is open. */
  endTag(name: string): void {
    if (FOREIGN.has(name) || INTEGRATION.has(name)) this.#foreign.pop();
    if (VOID.has(name)) {
      if (name === 'br') this.endStartTag('br', {});
      return;
    }
    if ((this.#counts.get(name) ?? 0) > 0) {
      while (this.#names.length > 0) {
        const last = this.current === name;
        this.#pop();
        if (last) return;
      }
    } else if (name === 'p') {
      this.beginStartTag('p');
      this.endStartTag('p', {});
      this.#pop();
    }
  }

  /** A comment or a `<!…>`/`<?…>` node: it separates the text around it. */
  node(): void {
    this.textContinues = false;
  }

  text(data: string): void {
    if (data === '') return;
    this.#events.text(data, this.textContinues);
    this.textContinues = true;
  }
}

/** A start tag being read; one for the whole scan, reset for every tag. */
interface StartTag {
  /** Handed to `HtmlEvents.open`, which must not keep it. */
  attributes: ScannedAttributes;
  /** It ended with `/>`. */
  selfClosing: boolean;
  /** The input ended right after a `/` in it: htmlparser2 then emits the input's last character. */
  endedAfterSlash: boolean;
}

function resetStartTag(tag: StartTag): void {
  const a = tag.attributes;
  a.id = a.class = a.itemprop = a.content = a.href = a.src = a.type = a.role = undefined;
  tag.selfClosing = tag.endedAfterSlash = false;
}

/**
 * Reads the attributes of a start tag from `at` (after its name) into `tag`. Returns the index
 * after the tag, or -1 when the input ends inside it (htmlparser2 then drops the tag).
 */
function readAttributes(html: string, at: number, tag: StartTag): number {
  const n = html.length;
  const attributes = tag.attributes;
  let i = at;
  for (;;) {
    i = skipSpace(html, i);
    if (i >= n) return -1;
    const c = html.charCodeAt(i);
    if (c === 62 /* > */) return i + 1;
    if (c === 47 /* / */) {
      i = skipSpace(html, i + 1);
      if (i >= n) {
        tag.endedAfterSlash = true;
        return -1;
      }
      if (html.charCodeAt(i) === 62) {
        tag.selfClosing = true;
        return i + 1;
      }
      continue;
    }
    // An attribute name: its first character may be anything but space, `/` and `>`.
    const nameEnd = attributeNameEnd(html, i + 1);
    if (nameEnd >= n) return -1;
    // Lower-casing never shortens a name: longer or shorter names than those kept are skipped.
    const length = nameEnd - i;
    const name = (
      length >= 2 && length <= 8 ? html.slice(i, nameEnd).toLowerCase() : ''
    ) as keyof ScannedAttributes;
    const kept = KEPT_ATTRIBUTES.has(name) && attributes[name] === undefined;
    i = skipSpace(html, nameEnd);
    if (i >= n) return -1;
    let value = '';
    if (html.charCodeAt(i) === 61 /* = */) {
      i = skipSpace(html, i + 1);
      if (i >= n) return -1;
      const q = html.charCodeAt(i);
      let from = i;
      let to: number;
      if (q === 34 || q === 39) {
        to = html.indexOf(q === 34 ? '"' : "'", i + 1);
        if (to === -1) return -1;
        from = i + 1;
        i = to + 1;
      } else {
        to = wordEnd(html, i);
        if (to >= n) return -1;
        i = to;
      }
      if (kept) value = decodeAttribute(html.slice(from, to));
    }
    // The first of repeated attributes counts.
    if (kept) attributes[name] = value;
  }
}

/** Scans `html` once, reporting its elements and text to `events`. */
export function scanHtml(html: string, events: HtmlEvents): void {
  const n = html.length;
  const open = new OpenElements(events);
  const tag: StartTag = { attributes: {}, selfClosing: false, endedAfterSlash: false };
  /** Start of the text not reported yet. */
  let textStart = 0;
  let i = 0;
  const flushText = (to: number): void => {
    if (to > textStart) open.text(decodeTextRun(html.slice(textStart, to)));
  };
  /** What is left at the end of the input inside a `<!…>`, `<?…>` or bogus comment: raw text. */
  const trailingRaw = (from: number): void => {
    if (from < n) open.text(html.slice(from));
  };
  /** After `</name`: skip to `>`; at the end of the input htmlparser2 emits the last character. */
  const afterEndTagName = (from: number): number => {
    const gt = html.indexOf('>', from);
    if (gt === -1) {
      open.text(html.slice(-1));
      return n;
    }
    return gt + 1;
  };

  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) break;
    const c = html.charCodeAt(lt + 1);
    if (isAsciiAlpha(c)) {
      flushText(lt);
      const nameEnd = tagNameEnd(html, lt + 1);
      if (nameEnd >= n) {
        // Cut by the end of the input.
        if (partialRawTextName(html, lt + 1, n)) open.text(html.slice(lt + 1));
        return;
      }
      const name = html.slice(lt + 1, nameEnd).toLowerCase();
      open.beginStartTag(name);
      resetStartTag(tag);
      const next = readAttributes(html, nameEnd, tag);
      if (next === -1) {
        if (tag.endedAfterSlash) open.text(html.slice(-1));
        return;
      }
      i = textStart = next;
      if (tag.selfClosing) {
        if (open.inForeignContent) open.selfClose(name, tag.attributes);
        else open.endStartTag(name, tag.attributes);
        continue;
      }
      open.endStartTag(name, tag.attributes);
      const rawText = rawTextOf(html, lt + 1, nameEnd);
      if (rawText === undefined) continue;
      // Raw text up to `</name` and whitespace or `>`.
      const endRe = RAW_TEXT_END[rawText]!;
      endRe.lastIndex = i;
      const m = endRe.exec(html);
      const textEnd = m === null ? n : m.index;
      if (textEnd > i) {
        const raw = html.slice(i, textEnd);
        open.text(rawText === 'title' ? decodeTitleText(raw) : raw);
      }
      if (m === null) return;
      open.endTag(rawText);
      i = textStart = afterEndTagName(textEnd + 2 + rawText.length);
    } else if (c === 47 /* / */) {
      const j = skipSpace(html, lt + 2);
      if (j >= n) {
        // `</` and spaces at the end: text, from the `<`.
        break;
      }
      const d = html.charCodeAt(j);
      if (d === 62 /* > */) {
        // `</>` is text, and the text goes on.
        i = j + 1;
        continue;
      }
      flushText(lt);
      if (isAsciiAlpha(d)) {
        const nameEnd = wordEnd(html, j);
        if (nameEnd >= n) return;
        open.endTag(html.slice(j, nameEnd).toLowerCase());
        i = textStart = afterEndTagName(nameEnd);
      } else {
        // `</` and something else: a bogus comment up to `>`.
        const gt = html.indexOf('>', j);
        if (gt === -1) {
          trailingRaw(j);
          return;
        }
        open.node();
        i = textStart = gt + 1;
      }
    } else if (c === 33 /* ! */) {
      flushText(lt);
      const next = skipDeclaration(html, lt);
      if (next < 0) {
        trailingRaw(-next - 1);
        return;
      }
      open.node();
      i = textStart = next;
    } else if (c === 63 /* ? */) {
      flushText(lt);
      const gt = html.indexOf('>', lt + 2);
      if (gt === -1) {
        trailingRaw(lt + 2);
        return;
      }
      open.node();
      i = textStart = gt + 1;
    } else {
      // `<` not starting a tag is text.
      i = lt + 1;
    }
  }
  flushText(n);
}

/**
 * Skips a `<!…>` at `lt`: a comment up to `-->` (`<!-->` is one), CDATA up to `]]>`, anything
 * else up to `>`. Returns the index after it; at the end of the input, the end of the input
 * for a comment or CDATA (they run to the end) and otherwise `-(start of the leftover text) - 1`.
 */
function skipDeclaration(html: string, lt: number): number {
  const n = html.length;
  const a = lt + 2;
  if (a >= n) return n;
  const c = html.charCodeAt(a);
  if (c === 45 /* - */) {
    if (a + 1 >= n) return -a - 1;
    if (html.charCodeAt(a + 1) === 45) {
      const end = html.indexOf('-->', a);
      return end === -1 ? n : end + 3;
    }
    // `<!-x`: a declaration; the character after the `-` is consumed without being looked at.
    const gt = html.indexOf('>', a + 2);
    return gt === -1 ? -a - 1 : gt + 1;
  }
  if (c === 91 /* [ */) {
    const cdata = 'CDATA[';
    let k = 0;
    while (k < cdata.length && a + 1 + k < n && html.charCodeAt(a + 1 + k) === cdata.charCodeAt(k)) k++;
    if (k === cdata.length) {
      const end = html.indexOf(']]>', a + 1 + k);
      return end === -1 ? n : end + 3;
    }
    if (a + 1 + k >= n) return -a - 1;
    // Not CDATA: a declaration, from the character that did not match.
    const gt = html.indexOf('>', a + 1 + k);
    return gt === -1 ? -a - 1 : gt + 1;
  }
  // The first character is consumed without being looked at: `<!>` runs to the next `>`.
  const gt = html.indexOf('>', a + 1);
  return gt === -1 ? -a - 1 : gt + 1;
}
