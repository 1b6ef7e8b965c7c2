/**
 * The wikitext tree builder and text helpers as they were before issue 14 (session 6) made
 * them allocate less: the parser parsed every `<ref>` body with the article (the tree kept it
 * as `body`), a template's parameters were split and trimmed by regexes, and `squash`,
 * `cleanInline` and `unmask` ran every step on every string. Word for word; only the names
 * changed (they end in `Before`), and the old tree's reference node has its own type. Kept only
 * as the reference of `tests/extract-wikitext-differential.test.ts`.
 */
import type { TextNode } from '../../src/extract/wikitext-parse.js';
import { decodeEntities } from '../../src/extract/wikitext-render.js';
import { HIDDEN } from '../../src/extract/wikitext-source.js';

/** A `<ref>` or `<references>` tag as the old parser built it, its content parsed. */
export interface RefNodeBefore {
  kind: 'ref' | 'references';
  start: number;
  end: number;
  attrs: Record<string, string>;
  body: WikiNodeBefore[] | undefined;
}

export interface TemplateNodeBefore {
  kind: 'template';
  start: number;
  end: number;
  parts: PartBefore[];
  tplarg: boolean;
  params?: Map<string, WikiNodeBefore[]>;
}

interface PartBefore {
  start: number;
  nodes: WikiNodeBefore[];
}

interface LinkNodeBefore {
  kind: 'link';
  start: number;
  end: number;
  parts: PartBefore[];
}

export type WikiNodeBefore = TextNode | TemplateNodeBefore | LinkNodeBefore | RefNodeBefore;
type WikiNode = WikiNodeBefore;
type TemplateNode = TemplateNodeBefore;
type RefNode = RefNodeBefore;
type Part = PartBefore;

// The masking characters, as wikitext-source.ts defines them.
const MARKUP = "{}[]|<>'=!*#:;~&_-/";
const STAND_IN_BASE = 0xe000;
const STAND_IN_BACK_RE = new RegExp(
  `[${String.fromCharCode(STAND_IN_BASE)}-${String.fromCharCode(STAND_IN_BASE + MARKUP.length - 1)}]`,
  'g',
);
const HAS_STAND_IN_RE = new RegExp(STAND_IN_BACK_RE.source);
const fromStandIn = (c: string): string => MARKUP[c.charCodeAt(0) - STAND_IN_BASE]!;

export function unmaskBefore(text: string): string {
  let s = text;
  if (s.includes(HIDDEN)) s = s.replaceAll(HIDDEN, '');
  return HAS_STAND_IN_RE.test(s) ? s.replace(STAND_IN_BACK_RE, fromStandIn) : s;
}

export const squashBefore = (s: string): string => s.replace(/\s+/g, ' ').trim();

const HTML_TAG_RE =
  /<\/?(?:span|small|big|sup|sub|div|center|b|i|u|s|strike|del|ins|em|strong|abbr|cite|code|tt|font|blockquote|p|q|var|kbd|samp|dfn|bdi|bdo|mark|ruby|rb|rt|rp|time|data|wbr|hr|ol|ul|li|dl|dt|dd|table|tr|td|th|caption|h[1-6]|section|references|ref|poem|nowiki|pre|gallery|onlyinclude|includeonly|noinclude|templatestyles|syntaxhighlight|math|chem|score|timeline|hiero|source)\b[^>]*>/gi;
const EXTLINK_RE =
  /\[((?:https?:|ftp:|ftps:|irc:|news:|mailto:)?\/\/[^\s[\]<>"]+|mailto:[^\s[\]<>"]+)(?:[ \t\u00a0]+([^\]\n]*))?\]/gi;

/** `cleanInline` before: every rule guarded by its own scan (entities by `decodeEntities`, unchanged). */
export function cleanInlineBefore(s: string): string {
  let t = s;
  if (t.includes('['))
    t = t.replace(EXTLINK_RE, (_m, _url: string, label: string | undefined) => label ?? '');
  if (t.includes("''")) t = t.replace(/'{2,}/g, '');
  if (t.includes('<')) t = t.replace(/<br\s*\/?\s*>/gi, ' ').replace(HTML_TAG_RE, '');
  if (t.includes('__')) t = t.replace(/__[A-Z]{3,}__/g, '');
  t = decodeEntities(t);
  return unmaskBefore(t);
}

interface Frame {
  open: '{' | '[';
  start: number;
  count: number;
  parts: Part[];
}

/** Deeper nesting than this is treated as text (articles nest a handful of levels). */
const MAX_DEPTH = 100;

const TOKEN_RE = /\{\{|\}\}|\[\[|\]\]|\||<(?:references|ref)(?=[\s>/])/gi;
const REF_CLOSE_RE = /<\/ref\s*>/gi;
const REFERENCES_CLOSE_RE = /<\/references\s*>/gi;
const ATTR_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;

function appendText(nodes: WikiNode[], start: number, text: string): void {
  if (text.length === 0) return;
  const last = nodes[nodes.length - 1];
  if (last?.kind === 'text' && last.start + last.text.length === start) last.text += text;
  else nodes.push({ kind: 'text', start, text });
}

function appendNodes(into: WikiNode[], nodes: WikiNode[]): void {
  for (const n of nodes) {
    if (n.kind === 'text') appendText(into, n.start, n.text);
    else into.push(n);
  }
}

function runLength(src: string, at: number, ch: string, to: number): number {
  let n = 0;
  while (at + n < to && src[at + n] === ch) n++;
  return n;
}

/** Attributes of a tag as written (`name="a b"`, `name='a'`, `name=a`), names lower-cased. */
function parseAttributesBefore(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of text.matchAll(ATTR_RE)) {
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    attrs[m[1]!.toLowerCase()] = unmaskBefore(value).replace(/\s+/g, ' ').trim();
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

/** Builds the tree of `src.slice(from, to)`. */
export function parseWikitextBefore(src: string, from = 0, to = src.length): WikiNode[] {
  const root: WikiNode[] = [];
  const stack: Frame[] = [];
  const current = (): WikiNode[] => (stack.length ? stack[stack.length - 1]!.parts.at(-1)!.nodes : root);
  let textStart = from;
  const flushText = (end: number): void => {
    if (end > textStart) appendText(current(), textStart, src.slice(textStart, end));
    textStart = end;
  };
  // One regex for every call: a `<ref>` body is parsed by a nested call in the middle of this
  // loop, which moves `lastIndex`; the loop sets it again after the tag (see `readTag` below).
  const re = TOKEN_RE;
  re.lastIndex = from;
  // `test` and the token's last character, not `exec`: no match array per token.
  while (re.test(src)) {
    const tokenEnd = re.lastIndex;
    const length = tokenLength(src.charCodeAt(tokenEnd - 1));
    const i = tokenEnd - length;
    if (i >= to) break;
    const c = src[i];
    const top = stack[stack.length - 1];
    if (c === '{') {
      const n = runLength(src, i, '{', to);
      re.lastIndex = i + n;
      if (stack.length >= MAX_DEPTH) continue;
      flushText(i);
      stack.push({ open: '{', start: i, count: n, parts: [{ start: i + n, nodes: [] }] });
      textStart = i + n;
    } else if (c === '}') {
      if (top?.open !== '{') {
        re.lastIndex = i + runLength(src, i, '}', to);
        continue;
      }
      const n = Math.min(runLength(src, i, '}', to), top.count);
      const matching = n >= 3 ? 3 : 2;
      flushText(i);
      const node: TemplateNode = {
        kind: 'template',
        start: top.start + top.count - matching,
        end: i + matching,
        parts: top.parts,
        tplarg: matching === 3,
      };
      stack.pop();
      const remaining = top.count - matching;
      if (remaining >= 2) {
        stack.push({
          open: '{',
          start: top.start,
          count: remaining,
          parts: [{ start: node.start, nodes: [node] }],
        });
      } else {
        if (remaining === 1) appendText(current(), top.start, '{');
        current().push(node);
      }
      textStart = i + matching;
      re.lastIndex = textStart;
    } else if (c === '[') {
      re.lastIndex = i + 2;
      if (stack.length >= MAX_DEPTH) continue;
      flushText(i);
      stack.push({ open: '[', start: i, count: 2, parts: [{ start: i + 2, nodes: [] }] });
      textStart = i + 2;
    } else if (c === ']') {
      re.lastIndex = i + 2;
      if (top?.open !== '[') continue;
      flushText(i);
      stack.pop();
      current().push({ kind: 'link', start: top.start, end: i + 2, parts: top.parts });
      textStart = i + 2;
    } else if (c === '|') {
      if (!top) continue;
      flushText(i);
      top.parts.push({ start: i + 1, nodes: [] });
      textStart = i + 1;
    } else {
      const node = readTag(src, i, length === 4 ? 'ref' : 'references', to);
      if (!node) {
        re.lastIndex = tokenEnd;
        continue;
      }
      flushText(i);
      current().push(node);
      textStart = node.end;
      re.lastIndex = node.end;
    }
  }
  flushText(to);
  // Elements still open are literal text, their content kept in place.
  while (stack.length) {
    const f = stack.pop()!;
    const into = current();
    appendText(into, f.start, (f.open === '{' ? '{' : '[').repeat(f.count));
    f.parts.forEach((p, k) => {
      if (k > 0) appendText(into, p.start - 1, '|');
      appendNodes(into, p.nodes);
    });
  }
  return root;
}

function readTag(src: string, at: number, name: 'ref' | 'references', to: number): RefNode | undefined {
  const close = src.indexOf('>', at);
  if (close < 0 || close >= to) return undefined;
  let attrText = src.slice(at + 1 + name.length, close);
  if (attrText.includes('<')) return undefined;
  const selfClosing = /\/\s*$/.test(attrText);
  if (selfClosing) attrText = attrText.replace(/\/\s*$/, '');
  const attrs = parseAttributesBefore(attrText);
  if (selfClosing) return { kind: name, start: at, end: close + 1, attrs, body: undefined };
  const closeRe = name === 'ref' ? REF_CLOSE_RE : REFERENCES_CLOSE_RE;
  closeRe.lastIndex = close + 1;
  const end = closeRe.exec(src);
  if (!end || end.index + end[0].length > to) return undefined;
  return {
    kind: name,
    start: at,
    end: end.index + end[0].length,
    attrs,
    body: parseWikitextBefore(src, close + 1, end.index),
  };
}

/** The plain text of nodes, ignoring anything that is not text (names, keys, targets). */
export function textOfBefore(nodes: readonly WikiNode[]): string {
  let s = '';
  for (const n of nodes) if (n.kind === 'text') s += n.text;
  return unmaskBefore(s);
}

/**
 * A template's name as a lookup key: `Template:` and `subst:` dropped, underscores and runs of
 * spaces made one space, lower-cased (MediaWiki ignores the first letter's case; redirects and
 * editors vary the rest).
 */
export function templateNameBefore(t: TemplateNode): string {
  return textOfBefore(t.parts[0]!.nodes)
    .replace(/[_\s]+/g, ' ')
    .trim()
    .replace(/^(?:safesubst|subst|template|msgnw)\s*:\s*/i, '')
    .replace(/^(?:template)\s*:\s*/i, '')
    .toLowerCase();
}

/**
 * Parameters by name: positional ones as `1`, `2`, … (values as written), named ones by their
 * lower-cased, trimmed name (values trimmed, as MediaWiki does). A later duplicate wins.
 */
export function templateParamsBefore(t: TemplateNode): Map<string, WikiNode[]> {
  if (t.params) return t.params;
  const params = new Map<string, WikiNode[]>();
  let position = 0;
  for (let k = 1; k < t.parts.length; k++) {
    const part = t.parts[k]!;
    const split = splitNamed(part);
    if (split) params.set(split[0], trimNodes(split[1]));
    else params.set(String(++position), part.nodes);
  }
  t.params = params;
  return params;
}

function splitNamed(part: Part): [string, WikiNode[]] | undefined {
  const first = part.nodes[0];
  if (first?.kind !== 'text') return undefined;
  const eq = first.text.indexOf('=');
  if (eq < 0) return undefined;
  const name = unmaskBefore(first.text.slice(0, eq)).trim().toLowerCase();
  // Most values are one text node: an array literal holds it without spare room.
  const rest: WikiNode[] =
    eq + 1 < first.text.length
      ? [{ kind: 'text', start: first.start + eq + 1, text: first.text.slice(eq + 1) }]
      : [];
  for (let k = 1; k < part.nodes.length; k++) rest.push(part.nodes[k]!);
  return [name, rest];
}

const LEADING_SPACE_RE = /^\s+/;
const TRAILING_SPACE_RE = /\s+$/;

/**
 * Nodes without leading and trailing whitespace. `nodes` is the caller's own copy (see
 * `splitNamed`); text nodes are replaced, never changed, since the parse tree shares them.
 */
function trimNodes(nodes: WikiNode[]): WikiNode[] {
  if (nodes.length === 0) return nodes;
  const head = nodes[0]!;
  if (head.kind === 'text') {
    const t = head.text.replace(LEADING_SPACE_RE, '');
    if (t.length !== head.text.length)
      nodes[0] = { kind: 'text', start: head.start + head.text.length - t.length, text: t };
  }
  const tail = nodes[nodes.length - 1]!;
  if (tail.kind === 'text') {
    const t = tail.text.replace(TRAILING_SPACE_RE, '');
    if (t.length !== tail.text.length) nodes[nodes.length - 1] = { kind: 'text', start: tail.start, text: t };
  }
  return nodes.some((n) => n.kind === 'text' && n.text.length === 0)
    ? nodes.filter((n) => n.kind !== 'text' || n.text.length > 0)
    : nodes;
}

/** `extractMarks` before it read markers by hand (session 6, round 2): a regex `exec` loop. */
export function extractMarksBefore(s: string): { text: string; marks: Array<{ id: number; at: number }> } {
  if (!s.includes('\u0002')) return { text: s.trim(), marks: [] };
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
  const re = /\u0002(\d+)\u0003/g;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    append(s.slice(last, m.index));
    marks.push({ id: Number(m[1]), at: length });
    last = m.index + m[0].length;
  }
  append(s.slice(last));
  const out = pieces.join('');
  const lead = out.length - out.trimStart().length;
  const text = out.trim();
  for (const mk of marks) mk.at = Math.max(0, Math.min(text.length, mk.at - lead));
  return { text, marks };
}

const ABBREVIATIONS_BEFORE =
  /(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs|etc|e\.g|i\.e|cf|al|Inc|Ltd|Co|No|Vol|pp|ed|eds|U\.S|U\.K|D\.C|Gen|Gov|Sen|Rep|approx|ca|c)\.|\b[A-Z]\.)$/;

/** `splitSentences` before it used `exec` on a module regex (session 6, round 2): `matchAll`. */
export function splitSentencesBefore(text: string): string[] {
  const out: string[] = [];
  const re = /[.!?。！？]["'”’)\]]*(?=\s+["'“‘([]?[\p{Lu}\p{N}\p{Script=Han}])|[。！？](?=\S)/gu;
  let start = 0;
  for (const m of text.matchAll(re)) {
    const end = m.index! + m[0].length;
    const candidate = text.slice(start, end);
    if (/[.]$/.test(m[0]) && ABBREVIATIONS_BEFORE.test(candidate.trimEnd())) continue;
    const s = candidate.trim();
    if (s) out.push(s);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}
