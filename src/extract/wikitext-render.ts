/**
 * Wikitext nodes to plain text, the way a reader sees the article: link labels, the text of
 * the few templates that render text (`{{lang}}`, `{{convert}}`, `{{nowrap}}`, …), quotes and
 * HTML tags removed, entities decoded. Everything with an effect beyond text (references,
 * footnotes, maintenance tags) goes through the caller's hooks, which return what to put in
 * the text (usually an inline marker).
 */
import { decodeHTMLStrict } from 'entities';
import { MONTH_NAMES } from '../core/dates.js';
import type { LinkNode, RefNode, TemplateNode, WikiNode } from './wikitext-parse.js';
import { templateName, templateParams, textOf } from './wikitext-parse.js';
import { MARK_CLOSE, MARK_OPEN, MASKED_CLASS, unmask } from './wikitext-source.js';

/** Where a node sits: in body text, in list-defined references, or somewhere not shown as text. */
export type Placement = 'body' | 'listed' | 'hidden';

export interface RenderHooks {
  /** A `<ref>` or `<references>` tag; returns the text that stands in its place. */
  ref(node: RefNode, placement: Placement): string;
  /** A template with an effect; returns its text, or `undefined` to render it as text. */
  template(node: TemplateNode, name: string, placement: Placement): string | undefined;
}

const NON_TEXT_NAMESPACE =
  /^\s*(?:file|image|media|category|kategorie|datei|bild|fichier|catégorie|imagen|archivo|categoría)\s*:/i;
const INTERLANGUAGE = /^\s*[a-z]{2,3}(?:-[a-z]{2,8}){0,2}\s*:/;

/** Templates shown as the text of one positional parameter. */
const FIRST_PARAM = new Set([
  'nowrap',
  'nobr',
  'nobreak',
  'small',
  'smaller',
  'big',
  'larger',
  'large',
  'em',
  'strong',
  'sic',
  'abbr',
  'smallcaps',
  'sc',
  'sc1',
  'sup',
  'sub',
  'visible anchor',
  'vanchor',
  'math',
  'mvar',
  'var',
  'serif',
  'sans-serif',
  'nobold',
  'noitalic',
  'ill',
  'interlanguage link',
  'interlanguage link multi',
  'not a typo',
  'proper name',
  'code',
  'mono',
  'samp',
  'kbd',
  'tooltip',
  'flag',
  'flagcountry',
  'flagu',
  'flag country',
  'flagathlete',
  'date',
  'ipa',
  'ipa-all',
  'lit',
  'literal translation',
  'nihongo',
  'uline',
  'underline',
  'strikethrough',
  'strike',
  'highlight',
  'keypress',
  'wikt-lang',
  'ship',
  'sclass',
  'hms',
  'uss',
  'usns',
  'hmas',
  'hmcs',
  'hmnzs',
  'sms',
  'rms',
]);
/** Templates shown as the text of their second positional parameter. */
const SECOND_PARAM = new Set([
  'lang',
  'langx',
  'color',
  'colour',
  'font color',
  'native name',
  'transl',
  'hover title',
]);
const LITERAL: Record<string, string> = {
  '!': '|',
  '=': '=',
  '·': ' · ',
  '•': ' • ',
  dot: ' · ',
  middot: '·',
  ndash: '–',
  'en dash': '–',
  mdash: '—',
  'em dash': '—',
  snd: ' – ',
  spnd: ' – ',
  'spaced ndash': ' – ',
  'spaced en dash': ' – ',
  nbsp: ' ',
  sp: ' ',
  '-': '',
  "'": "'",
  apostrophe: "'",
  '"': '"',
  colon: ':',
  pipe: '|',
  clear: '',
  'clear left': '',
  'clear right': '',
};
/** Templates that show their positional parameters as a list (`{{hlist|a|b}}` → `a · b`). */
const INLINE_LISTS = new Set([
  'hlist',
  'flatlist',
  'plainlist',
  'ubl',
  'ubil',
  'unbulleted list',
  'bulleted list',
  'blist',
  'collapsible list',
  'cslist',
]);
/** Templates whose content is a quotation, not the article's own claim. */
export const QUOTE_TEMPLATES: ReadonlySet<string> = new Set([
  'quote',
  'blockquote',
  'cquote',
  'quotation',
  'quote box',
  'rquote',
  'bquote',
]);
/** Harvard short citations: `{{harvnb|Smith|Jones|2001|p=5}}`. */
export const HARV_TEMPLATES = new Set([
  'harv',
  'harvnb',
  'harvp',
  'harvtxt',
  'harvcoltxt',
  'harvcol',
  'harvcolnb',
  'harvs',
  'sfn',
  'sfnp',
  'sfnm',
]);

/**
 * Entities whose text would only get in the way of reading sentences: spaces become plain
 * spaces, invisible joiners and marks disappear. Every other entity is decoded as HTML5 does
 * (`entities`, the package cheerio decodes with): MediaWiki accepts the whole HTML5 list.
 */
const INVISIBLE_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  emsp13: ' ',
  emsp14: ' ',
  numsp: ' ',
  puncsp: ' ',
  thinsp: ' ',
  hairsp: ' ',
  MediumSpace: ' ',
  NonBreakingSpace: ' ',
  zwj: '',
  zwnj: '',
  shy: '',
  lrm: '',
  rlm: '',
  ZeroWidthSpace: '',
  NegativeThinSpace: '',
  NegativeMediumSpace: '',
  NegativeThickSpace: '',
  NegativeVeryThinSpace: '',
  NoBreak: '',
  ic: '',
  af: '',
  it: '',
};

const HTML_TAG_RE =
  /<\/?(?:span|small|big|sup|sub|div|center|b|i|u|s|strike|del|ins|em|strong|abbr|cite|code|tt|font|blockquote|p|q|var|kbd|samp|dfn|bdi|bdo|mark|ruby|rb|rt|rp|time|data|wbr|hr|ol|ul|li|dl|dt|dd|table|tr|td|th|caption|h[1-6]|section|references|ref|poem|nowiki|pre|gallery|onlyinclude|includeonly|noinclude|templatestyles|syntaxhighlight|math|chem|score|timeline|hiero|source)\b[^>]*>/gi;
const EXTLINK_RE =
  /\[((?:https?:|ftp:|ftps:|irc:|news:|mailto:)?\/\/[^\s[\]<>"]+|mailto:[^\s[\]<>"]+)(?:[ \t\u00a0]+([^\]\n]*))?\]/gi;
const MARKER_RE = new RegExp(`${MARK_OPEN}\\d+${MARK_CLOSE}`, 'g');
// The longest HTML5 entity name has 31 characters (`CounterClockwiseContourIntegral`).
const ENTITY_RE = /&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi;

/** Whatever `cleanInline` would change: the first character of each rule it applies. */
const NEEDS_CLEANING_RE = new RegExp(`[[<&${MASKED_CLASS}]|''|__`);

function decodeEntity(whole: string, body: string): string {
  if (body[0] === '#') {
    const code =
      body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
      ? String.fromCodePoint(code)
      : whole;
  }
  const invisible = INVISIBLE_ENTITIES[body];
  if (invisible !== undefined) return invisible;
  // Strict: a name without its `;` or unknown to HTML5 stays as written, as MediaWiki keeps it.
  return decodeHTMLStrict(whole);
}

/** HTML entities decoded (`&amp;`, `&eacute;`, `&#8211;`, every HTML5 name); unknown ones kept as written. */
export const decodeEntities = (s: string): string =>
  s.includes('&') ? s.replace(ENTITY_RE, decodeEntity) : s;

/**
 * Inline markup of rendered text removed: `[url label]` → label, bold and italic quotes,
 * known HTML tags (`<br>` → space), behaviour switches, entities; stand-ins turned back.
 */
export function cleanInline(s: string): string {
  // Most parameter values and much body text have no markup at all: one scan answers.
  if (!NEEDS_CLEANING_RE.test(s)) return s;
  let t = s;
  if (t.includes('['))
    t = t.replace(EXTLINK_RE, (_m, _url: string, label: string | undefined) => label ?? '');
  if (t.includes("''")) t = t.replace(/'{2,}/g, '');
  if (t.includes('<')) t = t.replace(/<br\s*\/?\s*>/gi, ' ').replace(HTML_TAG_RE, '');
  if (t.includes('__')) t = t.replace(/__[A-Z]{3,}__/g, '');
  if (t.includes('&')) t = t.replace(ENTITY_RE, decodeEntity);
  return unmask(t);
}

/** The rendered text of a parameter value (`undefined` when absent). */
export type ParamText = (name: string) => string | undefined;

/**
 * Renders nodes to text, inline markup still in (see `cleanInline`), calling the hooks for
 * references and for templates with effects.
 */
export class Renderer {
  readonly #hooks: RenderHooks;
  /** The article's title, for `{{PAGENAME}}`. */
  readonly #title: string;

  constructor(hooks: RenderHooks, title: string) {
    this.#hooks = hooks;
    this.#title = title;
  }

  render(nodes: readonly WikiNode[], placement: Placement): string {
    let s = '';
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      switch (n.kind) {
        case 'text':
          s += n.text;
          break;
        case 'template':
          s += this.#template(n, placement);
          break;
        case 'link':
          s += this.#link(n, placement);
          break;
        default:
          s += this.#hooks.ref(n, placement);
      }
    }
    return s;
  }

  /** Rendered and cleaned: what a reader sees. */
  plain(nodes: readonly WikiNode[], placement: Placement): string {
    return cleanInline(this.render(nodes, placement));
  }

  /** Walks nodes that show no text, so their references and tags are still seen in order. */
  visit(nodes: readonly WikiNode[]): void {
    for (const n of nodes) {
      if (n.kind === 'template') this.#template(n, 'hidden');
      else if (n.kind === 'link') for (const p of n.parts) this.visit(p.nodes);
      else if (n.kind !== 'text') this.#hooks.ref(n, 'hidden');
    }
  }

  /** Visits every parameter of a template whose text is not shown. */
  visitParts(t: TemplateNode): void {
    for (let k = 1; k < t.parts.length; k++) this.visit(t.parts[k]!.nodes);
  }

  #link(n: LinkNode, placement: Placement): string {
    const target = textOf(n.parts[0]!.nodes);
    const visibleColon = /^\s*:/.test(target);
    if (!visibleColon && NON_TEXT_NAMESPACE.test(target)) {
      for (let k = 1; k < n.parts.length; k++) this.visit(n.parts[k]!.nodes);
      return '';
    }
    if (n.parts.length === 1) {
      if (!visibleColon && INTERLANGUAGE.test(target)) return '';
      return target.replace(/^\s*:/, '').trim();
    }
    let label = '';
    for (let k = 1; k < n.parts.length; k++) {
      if (k > 1) label += '|';
      label += this.render(n.parts[k]!.nodes, placement);
    }
    if (label.trim() === '') {
      // The pipe trick: `[[Foo (bar)|]]` shows `Foo`.
      return target
        .replace(/^\s*:?[^:]*:/, (m) => (NON_TEXT_NAMESPACE.test(m) ? '' : m))
        .replace(/\s*\([^)]*\)\s*$/, '')
        .trim();
    }
    return label;
  }

  #template(t: TemplateNode, placement: Placement): string {
    if (t.tplarg) return '';
    const name = templateName(t);
    const effect = this.#hooks.template(t, name, placement);
    if (effect !== undefined) return effect;
    const params = templateParams(t);
    const shown = new Set<string>();
    const param: ParamText = (key) => {
      const v = params.get(key);
      if (v === undefined) return undefined;
      shown.add(key);
      return this.render(v, placement);
    };
    const text = this.#builtin(t, name, param);
    if (text === undefined) {
      this.visitParts(t);
      return '';
    }
    return shown.size < params.size ? text + this.#unshown(params, shown, placement) : text;
  }

  /**
   * Parameters a template does not show as text may still hold references (a quotation's
   * source, say): in the body their markers follow the template's text; elsewhere they are
   * only visited.
   */
  #unshown(params: Map<string, WikiNode[]>, shown: ReadonlySet<string>, placement: Placement): string {
    let marks = '';
    for (const [key, nodes] of params) {
      if (shown.has(key) || nodes.every((n) => n.kind === 'text')) continue;
      if (placement !== 'body') {
        this.visit(nodes);
        continue;
      }
      for (const m of this.render(nodes, placement).matchAll(MARKER_RE)) marks += m[0];
    }
    return marks;
  }

  #builtin(t: TemplateNode, name: string, param: ParamText): string | undefined {
    if (name in LITERAL) return LITERAL[name];
    if (FIRST_PARAM.has(name)) return param('1') ?? param('text') ?? '';
    if (SECOND_PARAM.has(name)) {
      if (name === 'transl') return param('3') ?? param('2') ?? '';
      return param('2') ?? param('text') ?? '';
    }
    if (name.startsWith('lang-')) return param('1') ?? param('text') ?? '';
    if (name === 'convert' || name === 'cvt') return renderConvert(param);
    if (INLINE_LISTS.has(name)) {
      const items: string[] = [];
      for (let k = 1; ; k++) {
        const item = param(String(k));
        if (item === undefined) break;
        // `{{flatlist|\n* a\n* b}}` holds a wikitext list in one parameter.
        for (const piece of item.split(/\n\s*[*#]+/)) if (piece.trim() !== '') items.push(piece.trim());
      }
      return items.join(' · ');
    }
    if (QUOTE_TEMPLATES.has(name)) return param('text') ?? param('quote') ?? param('1') ?? '';
    if (HARV_TEMPLATES.has(name)) return shortCitationText(t, name);
    switch (name) {
      case 'sortname':
        return [param('1'), param('2')].filter(Boolean).join(' ');
      case 'sort':
        return param('2') ?? param('1') ?? '';
      case 'circa':
      case 'c.':
        return `c. ${param('1') ?? ''}`.trim();
      case 'as of':
        return `As of ${[param('3'), monthName(param('2')), param('1')].filter(Boolean).join(' ')}`;
      case 'us$':
        return `US$${param('1') ?? ''}`;
      case 'start date':
      case 'end date':
      case 'birth date':
      case 'death date':
      case 'start date and age':
      case 'birth date and age':
      case 'death date and age':
      case 'film date':
      case 'dts':
        return [param('3'), monthName(param('2')), param('1')].filter(Boolean).join(' ');
      case 'pagename':
      case 'pagenamee':
      case 'fullpagename':
        return this.#title;
    }
    const fn = name.match(/^(formatnum|lc|uc|lcfirst|ucfirst|padleft|padright)\s*:/);
    if (fn) {
      const raw = textOf(t.parts[0]!.nodes);
      const arg = raw.slice(raw.indexOf(':') + 1).trim();
      if (fn[1] === 'uc') return arg.toUpperCase();
      if (fn[1] === 'lc') return arg.toLowerCase();
      return arg;
    }
    return undefined;
  }
}

function monthName(m: string | undefined): string | undefined {
  const n = Number(m);
  return Number.isInteger(n) && n >= 1 && n <= 12 ? MONTH_NAMES[n - 1] : m;
}

const RANGE_WORDS = new Set([
  '-',
  '–',
  'to',
  'and',
  'or',
  'by',
  'x',
  '×',
  '+',
  'to(-)',
  'and(-)',
  '+/-',
  '±',
]);

function renderConvert(param: ParamText): string {
  const value = param('1')?.trim() ?? '';
  const second = param('2')?.trim() ?? '';
  if (RANGE_WORDS.has(second)) {
    const word = second === '-' ? '–' : second;
    return `${value} ${word} ${param('3')?.trim() ?? ''} ${param('4')?.trim() ?? ''}`.trim();
  }
  return `${value} ${second}`.trim();
}

/** Author names and year of a Harvard-style template: positional parameters, the last one a year. */
export function harvKey(t: TemplateNode): { authors: string[]; year: string } {
  const params = templateParams(t);
  const positional: string[] = [];
  for (let k = 1; params.has(String(k)); k++) positional.push(textOf(params.get(String(k))!).trim());
  const yearAt = positional.findIndex((p) =>
    /^(?:\d{3,4}[a-z]?|n\.d\.[a-z]?|nd|c\. ?\d{3,4}[a-z]?)$/i.test(p),
  );
  const authors = (yearAt >= 0 ? positional.slice(0, yearAt) : positional.slice(0, -1)).slice(0, 4);
  const year = yearAt >= 0 ? positional[yearAt]! : (positional.at(-1) ?? '');
  return { authors, year };
}

/** Pages of a short citation (`p=`, `pp=`, `page=`, `pages=`, `loc=`), as written. */
export function harvPages(t: TemplateNode): { p?: string; pp?: string; loc?: string } {
  const params = templateParams(t);
  const get = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = params.get(k);
      if (v !== undefined) {
        const s = cleanInline(textOf(v)).trim();
        if (s) return s;
      }
    }
    return undefined;
  };
  const out: { p?: string; pp?: string; loc?: string } = {};
  const p = get('p', 'page');
  const pp = get('pp', 'pages');
  const loc = get('loc', 'at');
  if (p !== undefined) out.p = p;
  if (pp !== undefined) out.pp = pp;
  if (loc !== undefined) out.loc = loc;
  return out;
}

/** `Smith 2001, p. 5` — what a short footnote shows (Harvard templates add parentheses). */
export function shortCitationText(t: TemplateNode, name: string): string {
  const { authors, year } = harvKey(t);
  const who =
    authors.length <= 1
      ? (authors[0] ?? '')
      : authors.length === 2
        ? `${authors[0]} & ${authors[1]}`
        : authors.length === 3
          ? `${authors[0]}, ${authors[1]} & ${authors[2]}`
          : `${authors[0]} et al.`;
  const { p, pp, loc } = harvPages(t);
  let where = '';
  if (p !== undefined) where += `, p. ${p}`;
  if (pp !== undefined) where += `, pp. ${pp}`;
  if (loc !== undefined) where += `, ${loc}`;
  if (name === 'harvtxt' || name === 'harvcoltxt') return `${who} (${year}${where})`;
  const core = `${who} ${year}${where}`.trim();
  return name === 'harv' || name === 'harvp' || name === 'harvcol' ? `(${core})` : core;
}
