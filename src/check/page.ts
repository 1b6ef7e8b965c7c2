/**
 * What the classifier reads from a fetched page: its title, headings, visible text and the few
 * raw markers (script and frame sources, password fields, structured data) that give away soft
 * 404s, parked domains, bot challenges and paywalls. Pure: a body in, plain values out.
 *
 * The page is read in one pass of `scanHtml` (the elements and text htmlparser2 would find,
 * without a tree): a tree of every page cost more CPU and memory than the rest of an online
 * check. The text of `<script>`/`<style>` and the like is left out, as the tree walk left it.
 */
import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { type HtmlEvents, type ScannedAttributes, scanHtml } from './html-scan.js';

/** The parts of an HTML page the classification rules look at. */
export interface PageSignals {
  /** `<title>`, whitespace squashed. */
  title: string;
  /** Text of every `<h1>` (and `<h2>` when there is no `<h1>`). */
  headings: string[];
  /**
   * Visible text of the body, navigation included, whitespace squashed: its first
   * `MAX_PAGE_TEXT` characters.
   */
  text: string;
  /**
   * Visible text without `nav`/`header`/`footer`/`aside`, its first `MAX_PAGE_TEXT` characters:
   * how much the page has to say.
   */
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
/**
 * Most characters of `text` and `mainText` kept. The rules read openings (at most 6000
 * characters, the paywall's) and compare lengths with thresholds (at most 5000, the parked
 * page's "long"): a longer text tells them nothing more, and squashing a 64 KiB page's text
 * cost more than reading its tags.
 */
export const MAX_PAGE_TEXT = 8000;

/**
 * Most elements whose text is being collected at once (a title, headings, markup saying the
 * content is not free): deeper ones inside them are not read, so that 100,000 nested `<h1>`
 * cannot make the reading quadratic. Real pages nest two or three.
 */
const MAX_OPEN_CAPTURES = 16;

/** Bits of what an open element's text is (one small integer per open element). */
const HIDDEN = 1;
const IN_FURNITURE = 2;

/** Where the text of one element is collected, and what it is for. */
interface Capture {
  /** Depth of the element. */
  depth: number;
  /** Text inside an invisible element deeper than this is left out. */
  hiddenBelow: number;
  /** Where its text starts in the collector's log. */
  start: number;
  done: (text: string) => void;
}

/**
 * `squash` (`core/text.ts`) with fewer replacements: most whitespace in a page's text is already
 * a single space, and only longer runs and other whitespace need one. Same result.
 */
const squashText = (s: string): string => s.replace(/\s{2,}|[^\S ]/g, ' ').trim();

/**
 * The squashed opening of a text given piece by piece, `squashText(text).slice(0, MAX_PAGE_TEXT)`:
 * once enough is collected, later pieces are dropped. Squashing only shortens and whitespace
 * runs can be long: the squashed length is looked at when the raw text reaches the opening's
 * length, then each time it has doubled (linear overall).
 */
class TextOpening {
  #pieces: string[] = [];
  #rawLength = 0;
  /** Raw length at which to squash what is collected; never less than the opening's. */
  #nextLook = MAX_PAGE_TEXT;
  #opening: string | undefined;

  /** No more text can change the opening. */
  get complete(): boolean {
    return this.#opening !== undefined;
  }

  /** Adds the text of a node (`continues`: of the node of the previous piece). */
  add(data: string, continues: boolean): void {
    if (this.#opening !== undefined) return;
    // Text nodes are joined by a space: `<h1>Not</h1><p>found</p>` is "Not found". The space
    // before the first would be trimmed: without it, a text of one node is used with no copy.
    let piece = continues || this.#pieces.length === 0 ? data : ` ${data}`;
    for (;;) {
      const room = this.#nextLook - this.#rawLength;
      if (piece.length < room) {
        this.#pieces.push(piece);
        this.#rawLength += piece.length;
        return;
      }
      // Any prefix of the raw text will do, so a long piece is looked at only as far as needed.
      this.#pieces.push(piece.slice(0, room));
      this.#rawLength += room;
      const squashed = squashText(this.#pieces.join(''));
      if (squashed.length >= MAX_PAGE_TEXT) {
        // A prefix of the text squashes to a prefix of the whole text's squashed form.
        this.#opening = squashed.slice(0, MAX_PAGE_TEXT);
        this.#pieces = [];
        return;
      }
      this.#nextLook = this.#rawLength * 2;
      piece = piece.slice(room);
    }
  }

  copy(): TextOpening {
    const copy = new TextOpening();
    copy.#pieces = [...this.#pieces];
    copy.#rawLength = this.#rawLength;
    copy.#nextLook = this.#nextLook;
    copy.#opening = this.#opening;
    return copy;
  }

  value(): string {
    return this.#opening ?? squashText(this.#pieces.join('')).slice(0, MAX_PAGE_TEXT);
  }
}

/** Collects the signals from the scanner's events, in document order. */
class SignalCollector implements HtmlEvents {
  /** Per open element, outermost first: `HIDDEN`/`IN_FURNITURE` bits for the text inside it. */
  readonly #flags: number[] = [];
  /** Per open element: depth of the innermost invisible element among it and its ancestors, or -1. */
  readonly #invisibleAt: number[] = [];
  readonly #captures: Capture[] = [];
  /**
   * The text met while captures are open, one entry per piece, shared by nested captures (each
   * keeping its own copy would cost memory and GC by the depth), with the depth of the innermost
   * invisible element around each piece.
   */
  readonly #log: string[] = [];
  readonly #logInvisibleAt: number[] = [];
  /** The visible text. */
  readonly #text = new TextOpening();
  /** The same without furniture; `undefined` until a piece of furniture text is left out. */
  #main: TextOpening | undefined;
  #title: string | undefined;
  /** In document order; `undefined` while the element is still open. */
  readonly #h1: Array<string | undefined> = [];
  readonly #h2: Array<string | undefined> = [];
  /** `<h2>` that said something or are still open: the first few count. */
  #h2Taken = 0;
  readonly #names: string[] = [];
  readonly #embeds: string[] = [];
  readonly #links: string[] = [];
  #passwordField = false;
  #notFreeMarkup = false;

  #capture(depth: number, hiddenBelow: number, done: (text: string) => void): void {
    if (this.#captures.length < MAX_OPEN_CAPTURES)
      this.#captures.push({ depth, hiddenBelow, start: this.#log.length, done });
  }

  /** A heading slot, filled when its element closes. */
  #heading(list: Array<string | undefined>, depth: number, done?: (text: string) => void): void {
    const at = list.length;
    list.push(undefined);
    this.#capture(depth, depth, (text) => {
      list[at] = text;
      done?.(text);
    });
  }

  open(name: string, a: ScannedAttributes): void {
    const depth = this.#flags.length;
    const parentFlags = depth > 0 ? this.#flags[depth - 1]! : 0;
    const parentInvisibleAt = depth > 0 ? this.#invisibleAt[depth - 1]! : -1;
    if (this.#names.length < MAX_CLASS_NAMES && (a.id || a.class))
      this.#names.push(a.id ?? '', a.class ?? '');
    if (a.itemprop === 'isAccessibleForFree') {
      // The element itself counts when it is invisible (the text is its own, not its children's).
      const said = (text: string): void => {
        if (/^false$/i.test(text.trim())) this.#notFreeMarkup = true;
      };
      if (a.content !== undefined) said(a.content);
      else this.#capture(depth, depth - 1, said);
    }
    switch (name) {
      case 'title':
        if (this.#title === undefined) {
          this.#title = '';
          this.#capture(depth, depth, (text) => {
            this.#title = text;
          });
        }
        break;
      case 'h1':
        this.#heading(this.#h1, depth);
        break;
      case 'h2':
        // Only the first few that say something; an open one may still say something.
        if (this.#h2Taken < MAX_H2) {
          this.#h2Taken++;
          this.#heading(this.#h2, depth, (text) => {
            if (text === '') this.#h2Taken--;
          });
        }
        break;
      case 'a':
        if (a.href !== undefined) this.#links.push(a.href.toLowerCase());
        break;
      case 'input':
        if (a.type?.toLowerCase() === 'password') this.#passwordField = true;
        break;
      case 'script':
        if (a.type?.toLowerCase() === 'application/ld+json') {
          this.#capture(depth, depth, (text) => {
            if (/"isAccessibleForFree"\s*:\s*"?false"?/i.test(text)) this.#notFreeMarkup = true;
          });
        }
        break;
    }
    if (EMBEDS.has(name) && a.src !== undefined) this.#embeds.push(a.src.toLowerCase());
    const invisible = INVISIBLE.has(name);
    let flags = parentFlags;
    if (invisible) flags |= HIDDEN;
    if (FURNITURE.has(name) || (a.role !== undefined && FURNITURE_ROLES.has(a.role))) flags |= IN_FURNITURE;
    this.#flags.push(flags);
    this.#invisibleAt.push(invisible ? depth : parentInvisibleAt);
  }

  close(): void {
    this.#flags.pop();
    this.#invisibleAt.pop();
    if (this.#captures.length > 0) this.#finishCaptures(this.#flags.length);
  }

  /** Ends the captures of elements at `depth` and deeper. */
  #finishCaptures(depth: number): void {
    while (this.#captures.length > 0 && this.#captures[this.#captures.length - 1]!.depth >= depth) {
      const capture = this.#captures.pop()!;
      let text = '';
      for (let i = capture.start; i < this.#log.length; i++) {
        if (this.#logInvisibleAt[i]! <= capture.hiddenBelow) text += this.#log[i]!;
      }
      capture.done(squashText(text));
    }
    if (this.#captures.length === 0) {
      this.#log.length = 0;
      this.#logInvisibleAt.length = 0;
    }
  }

  text(data: string, continues: boolean): void {
    const depth = this.#flags.length;
    const flags = depth > 0 ? this.#flags[depth - 1]! : 0;
    if ((flags & HIDDEN) === 0 && !(this.#text.complete && (this.#main?.complete ?? true))) {
      if ((flags & IN_FURNITURE) === 0) this.#main?.add(data, continues);
      // Until the first furniture, the main text is the text.
      else this.#main ??= this.#text.copy();
      this.#text.add(data, continues);
    }
    if (this.#captures.length === 0) return;
    this.#log.push(continues ? data : ` ${data}`);
    this.#logInvisibleAt.push(depth > 0 ? this.#invisibleAt[depth - 1]! : -1);
  }

  signals(): PageSignals {
    this.#finishCaptures(0);
    const text = this.#text.value();
    const h1 = this.#h1.filter((h): h is string => !!h);
    return {
      title: this.#title ?? '',
      headings: h1.length > 0 ? h1 : this.#h2.filter((h): h is string => !!h).slice(0, MAX_H2),
      text,
      mainText: this.#main === undefined ? text : this.#main.value(),
      embeds: this.#embeds,
      links: this.#links,
      passwordField: this.#passwordField,
      notFreeMarkup: this.#notFreeMarkup,
      classNames: this.#names.join(' ').toLowerCase(),
    };
  }
}

/** The signals of an HTML page already decoded to a string. */
export function readHtmlSignals(html: string): PageSignals {
  const collector = new SignalCollector();
  scanHtml(html, collector);
  return collector.signals();
}

/** The charset named in the `Content-Type` header or a `<meta>` of the first kilobytes. */
function charsetOf(body: Buffer, contentType: string | undefined): string {
  const fromHeader = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i)?.[1];
  if (fromHeader) return fromHeader.toLowerCase();
  const head = body.subarray(0, 4096).toString('latin1');
  const fromMeta = head.match(/<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i)?.[1];
  return fromMeta?.toLowerCase() ?? 'utf-8';
}

/**
 * Charsets (TextDecoder labels) in which a body of ASCII bytes reads as those bytes. Not every
 * charset does: ISO-2022-JP writes Japanese in ASCII bytes between escape sequences.
 */
const ASCII_AS_ITSELF: ReadonlySet<string> = new Set([
  'utf-8',
  'utf8',
  'unicode-1-1-utf-8',
  'us-ascii',
  'ascii',
  'iso-8859-1',
  'latin1',
  'windows-1252',
  'cp1252',
]);
/** One decoder per charset met (a decoder without `stream` keeps no state between calls). */
const decoders = new Map<string, TextDecoder>();

function decoderFor(charset: string): TextDecoder {
  let decoder = decoders.get(charset);
  if (!decoder) {
    try {
      decoder = new TextDecoder(charset);
    } catch {
      // An unknown label: UTF-8 (not remembered, so that made-up labels cannot fill the map).
      return decoderFor('utf-8');
    }
    decoders.set(charset, decoder);
  }
  return decoder;
}

/** Decodes a body in its declared charset; unknown charsets fall back to UTF-8. */
export function decodeText(body: Buffer, contentType: string | undefined): string {
  const charset = charsetOf(body, contentType);
  // Most pages are all ASCII: copied byte for byte, the same string as decoded, at half the cost.
  if (ASCII_AS_ITSELF.has(charset) && isAscii(body)) return body.toString('latin1');
  return decoderFor(charset).decode(body);
}

/** True when the response looks like an HTML page worth reading. */
export function isHtml(body: Buffer, contentType: string | undefined): boolean {
  if (contentType && HTML_TYPE.test(contentType)) return true;
  if (contentType && !/^\s*(?:text\/plain|application\/octet-stream)?\s*(?:;|$)/i.test(contentType)) {
    return false;
  }
  return HTML_SNIFF.test(body.subarray(0, 2048).toString('latin1'));
}

/**
 * Reads the signals of an HTML body. Returns `undefined` for bodies that are not HTML (PDF,
 * images, JSON): those are judged by their status alone.
 */
export function readPage(body: Buffer, contentType: string | undefined): PageSignals | undefined {
  if (body.length === 0 || !isHtml(body, contentType)) return undefined;
  return readHtmlSignals(decodeText(body, contentType));
}
