/**
 * A small wikitext tree builder: templates (`{{…}}`, with nesting and `|` parameters),
 * internal links (`[[…]]`) and `<ref>`/`<references>` tags. It follows MediaWiki's
 * preprocessor: one pass with a stack, a closer only closes the innermost open element,
 * `<ref>` bodies are atomic (found by their closing tag, then parsed on their own), and an
 * element still open at the end is turned back into literal text. Linear in the input.
 *
 * It works on masked text (see `wikitext-source.ts`), so comments and `<nowiki>` content
 * never reach it, and offsets are offsets in the article.
 */
import { unmask } from './wikitext-source.js';

export interface TextNode {
  kind: 'text';
  start: number;
  text: string;
}

/** A template's name or one of its `|`-separated parameters, or one part of a link. */
export interface Part {
  start: number;
  nodes: WikiNode[];
}

export interface TemplateNode {
  kind: 'template';
  start: number;
  end: number;
  /** `parts[0]` is the name; the others are the parameters as written. */
  parts: Part[];
  /** `{{{…}}}`, a template argument: renders nothing in an article. */
  tplarg: boolean;
  /** Cache for `templateParams`. */
  params?: Map<string, WikiNode[]>;
}

export interface LinkNode {
  kind: 'link';
  start: number;
  end: number;
  /** `parts[0]` is the target; the rest is the label (several parts for a file caption). */
  parts: Part[];
}

export interface RefNode {
  kind: 'ref' | 'references';
  start: number;
  end: number;
  attrs: Record<string, string>;
  /**
   * Where the content is, `undefined` for a self-closing tag. It is parsed when it is read
   * (`refBody`), not with the article: a reference's tree is then garbage as soon as the
   * reference is recorded, instead of living (and being copied by every scavenge) to the end.
   */
  content: { from: number; to: number } | undefined;
}

export type WikiNode = TextNode | TemplateNode | LinkNode | RefNode;

/**
 * An element still open while the parser reads on. Its parts are not arrays of their own until
 * they close: the closed ones wait in the parser's list of parts from `partsFrom` on, and the
 * nodes of the open one in its list of nodes from `nodesFrom` on (see `parseWikitext`).
 */
interface Frame {
  open: '{' | '[';
  start: number;
  count: number;
  /** Where the open part starts in the source. */
  partStart: number;
  nodesFrom: number;
  partsFrom: number;
}

/** Deeper nesting than this is treated as text (articles nest a handful of levels). */
const MAX_DEPTH = 100;

const TOKEN_RE = /\{\{|\}\}|\[\[|\]\]|\||<(?:references|ref)(?=[\s>/])/gi;
const REF_CLOSE_RE = /<\/ref\s*>/gi;
const REFERENCES_CLOSE_RE = /<\/references\s*>/gi;
const ATTR_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;

function runLength(src: string, at: number, ch: string, to: number): number {
  let n = 0;
  while (at + n < to && src[at + n] === ch) n++;
  return n;
}

/** Attributes of a tag as written (`name="a b"`, `name='a'`, `name=a`), names lower-cased. */
export function parseAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  // Most `<ref>` tags have no attribute at all.
  if (!text.includes('=')) return attrs;
  for (const m of text.matchAll(ATTR_RE)) {
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    attrs[m[1]!.toLowerCase()] = unmask(value).replace(/\s+/g, ' ').trim();
  }
  return attrs;
}

/**
 * The length of the `TOKEN_RE` match that ends with character `last`: `<ref` ends with `f`,
 * `<references` with `s`, `|` is alone, the others are doubled brackets.
 */
function tokenLength(last: number): number {
  switch (last) {
    case 0x7c: // |
      return 1;
    case 0x66: // f
    case 0x46: // F
      return 4;
    case 0x73: // s
    case 0x53: // S
      return 11;
    default:
      return 2;
  }
}

/**
 * The nodes of the root and of every open part, innermost last, and the closed parts of the
 * open elements, as lists with an explicit length: a part becomes an array of its own, of its
 * exact size, only when it closes (most hold one node; an array grown by `push` has room for
 * sixteen), and the lists are never cut, so their room is reused instead of reallocated.
 */
class TreeBuilder {
  readonly nodes: WikiNode[] = [];
  nodeCount = 0;
  readonly parts: Part[] = [];
  partCount = 0;
  readonly stack: Frame[] = [];
  /** Where the innermost open part's nodes start in `nodes` (0: the root). */
  partFrom = 0;

  push(node: WikiNode): void {
    this.nodes[this.nodeCount++] = node;
  }

  /** Adds text to the open part: it lengthens the part's last node when that is text ending right there. */
  text(start: number, text: string): void {
    if (text.length === 0) return;
    if (this.nodeCount > this.partFrom) {
      const last = this.nodes[this.nodeCount - 1]!;
      if (last.kind === 'text' && last.start + last.text.length === start) {
        last.text += text;
        return;
      }
    }
    this.push({ kind: 'text', start, text });
  }

  open(open: '{' | '[', start: number, count: number, partStart: number): void {
    this.partFrom = this.nodeCount;
    this.stack.push({ open, start, count, partStart, nodesFrom: this.nodeCount, partsFrom: this.partCount });
  }

  /** Closes the open part of `f`, the innermost frame. */
  closePart(f: Frame): void {
    this.parts[this.partCount++] = {
      start: f.partStart,
      nodes: this.nodes.slice(f.nodesFrom, this.nodeCount),
    };
    this.nodeCount = f.nodesFrom;
  }

  /** Closes `f`, the innermost frame, and returns its parts; the frame around it is open again. */
  close(f: Frame): Part[] {
    this.closePart(f);
    const own = this.parts.slice(f.partsFrom, this.partCount);
    this.partCount = f.partsFrom;
    this.stack.pop();
    const outer = this.stack.length === 0 ? undefined : this.stack[this.stack.length - 1]!;
    this.partFrom = outer === undefined ? 0 : outer.nodesFrom;
    return own;
  }

  /** The root's nodes, once every element is closed. */
  root(): WikiNode[] {
    return this.nodes.slice(0, this.nodeCount);
  }

  /** Ready for another tree, holding on to nothing of this one. */
  clear(): void {
    this.nodes.fill(EMPTY_TEXT, 0, this.nodeCount);
    this.parts.fill(EMPTY_PART, 0, this.partCount);
    this.nodeCount = 0;
    this.partCount = 0;
    this.stack.length = 0;
    this.partFrom = 0;
  }
}

/** What the lists of a cleared builder hold (the same shape as the nodes and parts they held). */
const EMPTY_TEXT: TextNode = Object.freeze({ kind: 'text', start: 0, text: '' });
const EMPTY_PART: Part = Object.freeze({ start: 0, nodes: [] });

/**
 * The builder the next call takes: its lists keep their room from call to call, instead of
 * being grown again for each of an article's thousands of references. A call made while it is
 * in use (none is, today) builds with a new one.
 */
let spare: TreeBuilder | undefined = new TreeBuilder();

/** Builds the tree of `src.slice(from, to)`. */
export function parseWikitext(src: string, from = 0, to = src.length): WikiNode[] {
  const b = spare ?? new TreeBuilder();
  spare = undefined;
  try {
    return build(b, src, from, to);
  } finally {
    b.clear();
    spare = b;
  }
}

function build(b: TreeBuilder, src: string, from: number, to: number): WikiNode[] {
  const stack = b.stack;
  let textStart = from;
  // One regex for every call: `lastIndex` is set before the loop and after every token.
  const re = TOKEN_RE;
  re.lastIndex = from;
  // `test` and the token's last character, not `exec`: no match array per token.
  while (re.test(src)) {
    const tokenEnd = re.lastIndex;
    const length = tokenLength(src.charCodeAt(tokenEnd - 1));
    const i = tokenEnd - length;
    if (i >= to) break;
    const c = src.charCodeAt(i);
    const top = stack.length === 0 ? undefined : stack[stack.length - 1]!;
    if (c === 0x7b) {
      // {
      const n = runLength(src, i, '{', to);
      re.lastIndex = i + n;
      if (stack.length >= MAX_DEPTH) continue;
      if (i > textStart) b.text(textStart, src.slice(textStart, i));
      b.open('{', i, n, i + n);
      textStart = i + n;
    } else if (c === 0x7d) {
      // }
      if (top?.open !== '{') {
        re.lastIndex = i + runLength(src, i, '}', to);
        continue;
      }
      const n = Math.min(runLength(src, i, '}', to), top.count);
      const matching = n >= 3 ? 3 : 2;
      if (i > textStart) b.text(textStart, src.slice(textStart, i));
      const start = top.start + top.count - matching;
      const node: TemplateNode = {
        kind: 'template',
        start,
        end: i + matching,
        parts: b.close(top),
        tplarg: matching === 3,
      };
      const remaining = top.count - matching;
      if (remaining >= 2) b.open('{', top.start, remaining, start);
      else if (remaining === 1) b.text(top.start, '{');
      b.push(node);
      textStart = i + matching;
      re.lastIndex = textStart;
    } else if (c === 0x5b) {
      // [
      re.lastIndex = i + 2;
      if (stack.length >= MAX_DEPTH) continue;
      if (i > textStart) b.text(textStart, src.slice(textStart, i));
      b.open('[', i, 2, i + 2);
      textStart = i + 2;
    } else if (c === 0x5d) {
      // ]
      re.lastIndex = i + 2;
      if (top?.open !== '[') continue;
      if (i > textStart) b.text(textStart, src.slice(textStart, i));
      b.push({ kind: 'link', start: top.start, end: i + 2, parts: b.close(top) });
      textStart = i + 2;
    } else if (c === 0x7c) {
      // |
      if (!top) continue;
      if (i > textStart) b.text(textStart, src.slice(textStart, i));
      b.closePart(top);
      top.partStart = i + 1;
      textStart = i + 1;
    } else {
      const node = readTag(src, i, length === 4 ? 'ref' : 'references', to);
      if (!node) {
        re.lastIndex = tokenEnd;
        continue;
      }
      if (i > textStart) b.text(textStart, src.slice(textStart, i));
      b.push(node);
      textStart = node.end;
      re.lastIndex = node.end;
    }
  }
  if (to > textStart) b.text(textStart, src.slice(textStart, to));
  // Elements still open are literal text, their content kept in place.
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    const own = b.close(f);
    b.text(f.start, (f.open === '{' ? '{' : '[').repeat(f.count));
    own.forEach((p, k) => {
      if (k > 0) b.text(p.start - 1, '|');
      for (const n of p.nodes) {
        if (n.kind === 'text') b.text(n.start, n.text);
        else b.push(n);
      }
    });
  }
  return b.root();
}

function readTag(src: string, at: number, name: 'ref' | 'references', to: number): RefNode | undefined {
  const close = src.indexOf('>', at);
  if (close < 0 || close >= to) return undefined;
  let attrText = src.slice(at + 1 + name.length, close);
  if (attrText.includes('<')) return undefined;
  const selfClosing = /\/\s*$/.test(attrText);
  if (selfClosing) attrText = attrText.replace(/\/\s*$/, '');
  const attrs = parseAttributes(attrText);
  if (selfClosing) return { kind: name, start: at, end: close + 1, attrs, content: undefined };
  const closeRe = name === 'ref' ? REF_CLOSE_RE : REFERENCES_CLOSE_RE;
  closeRe.lastIndex = close + 1;
  // `test`, not `exec`: the closing tag ends at `lastIndex` and starts at its only `<`.
  if (!closeRe.test(src)) return undefined;
  const end = closeRe.lastIndex;
  if (end > to) return undefined;
  return {
    kind: name,
    start: at,
    end,
    attrs,
    content: { from: close + 1, to: src.lastIndexOf('<', end - 1) },
  };
}

/**
 * The parsed content of a `<ref>` or `<references>` tag of `src` (the text the tag was parsed
 * from), `undefined` for a self-closing tag. A new tree on every call: callers read it once.
 */
export function refBody(src: string, node: RefNode): WikiNode[] | undefined {
  return node.content === undefined ? undefined : parseWikitext(src, node.content.from, node.content.to);
}

/** The plain text of nodes, ignoring anything that is not text (names, keys, targets). */
export function textOf(nodes: readonly WikiNode[]): string {
  let s = '';
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind === 'text') s += n.text;
  }
  return unmask(s);
}

/** Whitespace as a regex's `\s` (and `String.prototype.trim`) has it. */
export function isSpaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Underscores and whitespace other than lone spaces: what a template name's clean-up changes. */
const NAME_SPACING_RE = /[^\S ]|_| {2}/;
const NAME_PREFIX_RE = /^(?:safesubst|subst|template|msgnw)\s*:\s*/i;
const TEMPLATE_PREFIX_RE = /^(?:template)\s*:\s*/i;

/**
 * A template's name as a lookup key: `Template:` and `subst:` dropped, underscores and runs of
 * spaces made one space, lower-cased (MediaWiki ignores the first letter's case; redirects and
 * editors vary the rest).
 */
export function templateName(t: TemplateNode): string {
  const raw = textOf(t.parts[0]!.nodes);
  // Most names need none of the clean-up: each step below is skipped when it would not change
  // the name (the result is the same as running them all).
  let name = (NAME_SPACING_RE.test(raw) ? raw.replace(/[_\s]+/g, ' ') : raw).trim();
  if (name.includes(':')) name = name.replace(NAME_PREFIX_RE, '').replace(TEMPLATE_PREFIX_RE, '');
  return name.toLowerCase();
}

/**
 * Parameters by name: positional ones as `1`, `2`, … (values as written), named ones by their
 * lower-cased, trimmed name (values trimmed, as MediaWiki does). A later duplicate wins.
 */
export function templateParams(t: TemplateNode): Map<string, WikiNode[]> {
  if (t.params) return t.params;
  const params = new Map<string, WikiNode[]>();
  let position = 0;
  for (let k = 1; k < t.parts.length; k++) {
    const part = t.parts[k]!;
    const first = part.nodes[0];
    const eq = first?.kind === 'text' ? first.text.indexOf('=') : -1;
    if (eq < 0) params.set(String(++position), part.nodes);
    else setNamed(params, part.nodes, eq);
  }
  t.params = params;
  return params;
}

/**
 * Files a named parameter: `nodes[0]` is a text node with its first `=` at `eq`. The value is
 * a new array of the nodes after the `=`, without leading and trailing whitespace; text nodes
 * are replaced, never changed, since the parse tree shares them.
 */
function setNamed(params: Map<string, WikiNode[]>, nodes: readonly WikiNode[], eq: number): void {
  const first = nodes[0] as TextNode;
  const text = first.text;
  params.set(unmask(text.slice(0, eq)).trim().toLowerCase(), namedValue(nodes, first, eq + 1));
}

function namedValue(nodes: readonly WikiNode[], first: TextNode, from: number): WikiNode[] {
  // The value as written: the first node's text after the `=` (when there is any), then the
  // other nodes. Its first and last nodes lose their leading and trailing whitespace; a text
  // node left empty is dropped.
  const head = from < first.text.length ? 1 : 0;
  const count = head + nodes.length - 1;
  if (count === 0) return [];
  if (count === 1) {
    const only = valueNode(nodes, first, from, head, count, 0);
    // Most values are one text node: an array literal holds it without spare room.
    return only === undefined ? [] : [only];
  }
  const value: WikiNode[] = [];
  for (let i = 0; i < count; i++) {
    const n = valueNode(nodes, first, from, head, count, i);
    if (n !== undefined) value.push(n);
  }
  return value;
}

/** The `i`th of the `count` nodes of a named value (see `namedValue`), trimmed. */
function valueNode(
  nodes: readonly WikiNode[],
  first: TextNode,
  from: number,
  head: number,
  count: number,
  i: number,
): WikiNode | undefined {
  const lead = i === 0;
  const trail = i === count - 1;
  if (head === 1 && i === 0) return trimmed(first, from, lead, trail);
  const n = nodes[i + 1 - head]!;
  if (n.kind !== 'text') return n;
  if (lead || trail) return trimmed(n, 0, lead, trail);
  return n.text.length > 0 ? n : undefined;
}

/**
 * The text of `node` from `from` on, without its leading (`lead`) and trailing (`trail`)
 * whitespace: `node` itself when nothing is cut, `undefined` when nothing is left.
 */
function trimmed(node: TextNode, from: number, lead: boolean, trail: boolean): TextNode | undefined {
  const text = node.text;
  let a = from;
  let b = text.length;
  if (lead) while (a < b && isSpaceCode(text.charCodeAt(a))) a++;
  if (trail) while (b > a && isSpaceCode(text.charCodeAt(b - 1))) b--;
  if (a === b) return undefined;
  if (a === 0 && b === text.length) return node;
  return { kind: 'text', start: node.start + a, text: text.slice(a, b) };
}
