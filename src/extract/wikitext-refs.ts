/**
 * References of a wikitext article: `<ref>` tags (named, reused, list-defined, grouped),
 * footnote templates (`{{efn}}`, `{{refn}}`, `{{sfn}}`, `{{r}}`, `{{rp}}`), citation templates
 * and link templates inside references, and maintenance tags. It is the renderer's hook: the
 * renderer walks the article in document order and asks this book what each reference or
 * effectful template stands for; body uses come back as inline markers that the body builder
 * places at a block and sentence.
 *
 * Short footnotes (`{{sfn|Smith|2001|p=5}}`) are references of their own, one per distinct
 * author + year + pages, named as MediaWiki names them (`FOOTNOTESmith20015`), with text like
 * `Smith 2001, p. 5`. When the bibliography holds the full citation (a citation template whose
 * Harvard anchor — `ref={{harvid|…}}`, or its surnames and year — matches), the footnote gets a
 * copy of that citation's title, authors, date, work, publisher, identifiers and links, so its
 * sources are checked too. A `<ref>` that only holds `{{harvnb|…}}` is resolved the same way.
 */
import { parseDate } from '../core/dates.js';
import { addIdentifier } from '../core/identifiers.js';
import { squash } from '../core/text.js';
import type { Citation, Link, LinkRole, Reference, Tag } from '../model.js';
import { emptyReference } from '../model.js';
import { classifyUrl } from './links.js';
import {
  applyCitation,
  citationGroups,
  citationSurnames,
  citationYear,
  isCitationTemplate,
  type ParamGroups,
} from './wikitext-cs1.js';
import type { RefNode, TemplateNode, WikiNode } from './wikitext-parse.js';
import { refBody, templateName, templateParams, textOf } from './wikitext-parse.js';
import type { Placement, RenderHooks } from './wikitext-render.js';
import {
  cleanInline,
  decodeEntities,
  HARV_TEMPLATES,
  harvKey,
  harvPages,
  Renderer,
  shortCitationText,
} from './wikitext-render.js';
import type { LineIndex } from './wikitext-source.js';
import { HIDDEN, MARK_CLOSE, MARK_OPEN, MASKED_CLASS, unmask } from './wikitext-source.js';
import { maintenanceTag, SPAN_TAGS } from './wikitext-tags.js';

interface HarvKey {
  authors: string[];
  year: string;
}

interface Entry {
  ref: Reference;
  group: string;
  name?: string;
  defined: boolean;
  /** 1-based order of definition within the group. */
  defOrder?: number;
  /** Order of creation, to keep undefined and unused entries stable. */
  seq: number;
  /** Short citations inside this reference (or the sfn itself), for bibliography resolution. */
  harv: HarvKey[];
  /** True for `{{sfn}}` footnotes: their text stays the short form. */
  sfn: boolean;
  /**
   * True for notes written as `{{efn}}`, `{{refn}}` or `{{#tag:ref}}`: unlike `<ref>`, they can
   * hold references and short footnotes of their own.
   */
  nests: boolean;
}

interface Use {
  entry: Entry;
  line: number;
  pages?: string;
  block?: number;
  sentence?: number;
  /** The note whose text holds this use: the use is cited where the note is. */
  via?: Entry;
}

interface TagRecord {
  tag: Tag;
  entry?: Entry;
}

type Marker = { use: Use; tag?: undefined } | { tag: TagRecord; use?: undefined };

/** Footnote templates and the group each puts its note in (`refn` takes `group=`). */
const NOTE_TEMPLATES: Record<string, string> = {
  efn: 'lower-alpha',
  'efn-la': 'lower-alpha',
  'efn-ua': 'upper-alpha',
  'efn-lr': 'lower-roman',
  'efn-ur': 'upper-roman',
  'efn-lg': 'lower-greek',
  notetag: 'note',
  'note tag': 'note',
  refn: '',
};
/** Reference-list templates and the group their `refs=` belong to by default. */
const LIST_TEMPLATES: Record<string, string> = {
  reflist: '',
  references: '',
  refs: '',
  'reference list': '',
  notelist: 'lower-alpha',
  'notelist-la': 'lower-alpha',
  'notelist-ua': 'upper-alpha',
  'notelist-lr': 'lower-roman',
  'notelist-ur': 'upper-roman',
  'notelist-lg': 'lower-greek',
  notefoot: 'note',
};
const ARCHIVE_TEMPLATES = new Set([
  'webarchive',
  'web archive',
  'webcite',
  'wayback',
  'archive.today',
  'archiveis',
]);
const CBIGNORE = new Set(['cbignore', 'cbignore/sandbox', 'bots ignore']);
const SHORT_CITATION_IN_REF = new Set([...HARV_TEMPLATES]);

const URL_RE = /\b(?:https?|ftp):\/\/[^\s<>[\]"{}|\u0001-\u0004]+|\[\/\/[^\s<>[\]"{}|\u0001-\u0004]+/gi;
/** A URL that is a link: `http`, `https`, `ftp` or protocol-relative, and a host. */
const LINKABLE_RE = /^(?:(?:https?|ftp):)?\/\/\S/i;
const BRACKETED_RE = /\[((?:https?:|ftp:)?\/\/[^\s<>[\]"{}|\u0001-\u0004]+)[ \t\u00a0]+([^\]\n]+)\]/gi;

/** What `cleanUrl` changes: a leading `[`, quotes, entities, masked characters, a closing punctuation mark. */
const URL_CLEANING_RE = new RegExp(`^\\[|''|[&${MASKED_CLASS}]|[.,;:!?)]$`);

/** A URL as written in running text, without the punctuation that ends the sentence around it. */
export function cleanUrl(raw: string): string {
  const trimmed = raw.trim();
  // Most URLs have nothing to clean: one scan answers.
  if (!URL_CLEANING_RE.test(trimmed)) return trimmed;
  let url = decodeEntities(unmask(trimmed));
  if (url.startsWith('[')) url = url.slice(1);
  url = url.replace(/'{2,}.*$/, '');
  for (;;) {
    const before = url;
    url = url.replace(/[.,;:!?]+$/, '');
    if (url.endsWith(')') && !url.includes('(')) url = url.slice(0, -1);
    if (url === before) break;
  }
  return url;
}

const normalKey = (authors: readonly string[], year: string): string =>
  (authors.join('') + year).toLowerCase().replace(/[\s.,'’‘`]/g, '');

const isBlank = (nodes: readonly WikiNode[]): boolean =>
  nodes.every((n) => n.kind === 'text' && n.text.replaceAll(HIDDEN, '').trim() === '');

/** Builds the references, citations and tags of one article while the renderer walks it. */
export class ReferenceBook implements RenderHooks {
  readonly renderer: Renderer;
  readonly #src: string;
  readonly #lines: LineIndex;
  readonly #named = new Map<string, Entry>();
  readonly #entries: Entry[] = [];
  readonly #uses: Use[] = [];
  readonly #tags: TagRecord[] = [];
  readonly #markers: Marker[] = [];
  readonly #defCount = new Map<string, number>();
  /** Full citations by Harvard anchor (first one wins). */
  readonly #anchors = new Map<string, Reference>();
  /** References whose content is being rendered (innermost last). */
  readonly #building: Entry[] = [];
  /** Default group while walking `<references>` or `{{reflist|refs=…}}`. */
  #listGroup = '';
  #lastRef: { end: number; entry: Entry } | undefined;

  constructor(src: string, lines: LineIndex, title: string) {
    this.#src = src;
    this.#lines = lines;
    this.renderer = new Renderer(this, title);
  }

  /** Records where a body marker landed. */
  place(markerId: number, block: number, sentence: number): void {
    const m = this.#markers[markerId];
    if (!m) return;
    if (m.use) {
      m.use.block = block;
      m.use.sentence = sentence;
    } else {
      m.tag.tag.block = block;
      m.tag.tag.sentence = sentence;
    }
  }

  ref(node: RefNode, placement: Placement): string {
    const body = refBody(this.#src, node);
    if (node.kind === 'references') {
      const saved = this.#listGroup;
      this.#listGroup = node.attrs.group ?? '';
      if (body) this.renderer.render(body, 'listed');
      this.#listGroup = saved;
      return '';
    }
    const group = node.attrs.group ?? (placement === 'listed' ? this.#listGroup : '');
    return this.#reference(node.attrs.name, group, body, node.start, node.end, placement, node.attrs.follow);
  }

  template(t: TemplateNode, name: string, placement: Placement): string | undefined {
    const building = this.#building.at(-1);
    const tag = maintenanceTag(name);
    if (tag) return this.#tag(t, name, tag.kind, tag.text, placement, building);
    if (isCitationTemplate(name)) return this.#citation(t, name, building);
    if (name in NOTE_TEMPLATES) {
      const params = templateParams(t);
      const group = name === 'refn' ? (this.#text(params.get('group')) ?? '') : NOTE_TEMPLATES[name]!;
      const body = params.get('1') ?? params.get('text') ?? params.get('content');
      return this.#reference(
        this.#text(params.get('name')),
        group,
        body,
        t.start,
        t.end,
        placement,
        undefined,
        true,
      );
    }
    if (name === '#tag:ref') {
      // `{{#tag:ref|content|name=a|group="nb"}}`: a <ref> written as a parser function.
      const params = templateParams(t);
      const attr = (key: string): string | undefined =>
        this.#text(params.get(key))?.replace(/^(["'])(.*)\1$/, '$2');
      const group = attr('group') ?? (placement === 'listed' ? this.#listGroup : '');
      return this.#reference(
        attr('name'),
        group,
        params.get('1'),
        t.start,
        t.end,
        placement,
        undefined,
        true,
      );
    }
    if (name in LIST_TEMPLATES || name === '#tag:references') {
      // Every reference inside a reference list is a definition: `refs=` as documented, and
      // the positional parameter some editors use instead.
      const params = templateParams(t);
      const saved = this.#listGroup;
      this.#listGroup =
        this.#text(params.get('group'))?.replace(/^(["'])(.*)\1$/, '$2') ?? LIST_TEMPLATES[name] ?? '';
      for (const [key, nodes] of params) if (key !== 'group') this.renderer.render(nodes, 'listed');
      this.#listGroup = saved;
      return '';
    }
    if (SHORT_CITATION_IN_REF.has(name)) {
      // In a note that can nest references, `{{sfn}}` is a footnote of its own, as MediaWiki
      // renders it; in a `<ref>` (which cannot nest) it names the source the reference cites.
      const footnote = name === 'sfn' || name === 'sfnp' || name === 'sfnm';
      if (building && !(footnote && building.nests)) {
        building.harv.push(harvKey(t));
        return undefined;
      }
      if (name === 'sfn' || name === 'sfnp') return this.#shortFootnote(t, placement);
      if (name === 'sfnm') return this.#multiFootnote(t, placement);
      return undefined;
    }
    if (name === 'r') return this.#r(t, placement);
    if (name === 'rp') {
      const pages = this.#text(templateParams(t).get('1')) ?? this.#text(templateParams(t).get('page'));
      const last = this.#uses.at(-1);
      if (pages && last && last.pages === undefined) last.pages = pages;
      return '';
    }
    if (ARCHIVE_TEMPLATES.has(name)) return this.#archive(t, name, building);
    if (CBIGNORE.has(name)) {
      const entry = building ?? this.#adjacentRef(t);
      if (entry) entry.ref.noAutoFix = true;
      return '';
    }
    return undefined;
  }

  /** References, citations and tags, once the walk is over. */
  finish(): { references: Reference[]; citations: Citation[]; tags: Tag[] } {
    this.#assignIds();
    const counters = new Map<string, number>();
    const uses = this.#uses;
    for (let u = 0; u < uses.length; u++) {
      const e = uses[u]!.entry;
      if (e.ref.number === undefined) {
        const n = (counters.get(e.group) ?? 0) + 1;
        counters.set(e.group, n);
        e.ref.number = n;
      }
    }
    const citations: Citation[] = [];
    const placeOf = this.#placer();
    for (let u = 0; u < uses.length; u++) {
      const use = uses[u]!;
      const at = use.block === undefined ? placeOf(use) : use;
      if (at?.block === undefined) {
        // Shown in the article but at no claim (infobox parameters the body does not render,
        // a note that is never cited, an apparatus section): the reference is used all the same.
        use.entry.ref.inlineCitations++;
        continue;
      }
      use.block = at.block;
      use.sentence = at.sentence ?? 0;
      use.entry.ref.inlineCitations++;
      const c: Citation = {
        referenceId: use.entry.ref.id,
        block: use.block,
        sentence: use.sentence ?? 0,
        line: use.line,
      };
      if (use.pages !== undefined) c.pages = use.pages;
      citations.push(c);
    }
    for (const e of this.#entries) this.#resolveShortCitation(e);
    const tags = this.#tags.map(({ tag, entry }) => (entry ? { ...tag, referenceId: entry.ref.id } : tag));
    // References first, then notes; by number; unused ones by creation.
    const sorted = this.#entries
      .slice()
      .sort(
        (a, b) =>
          (a.group === '' ? 0 : 1) - (b.group === '' ? 0 : 1) ||
          (a.ref.number ?? Number.MAX_SAFE_INTEGER) - (b.ref.number ?? Number.MAX_SAFE_INTEGER) ||
          a.seq - b.seq,
      );
    return { references: sorted.map((e) => e.ref), citations, tags };
  }

  /**
   * Where a use inside a note is cited: where the note itself is first cited (through the notes
   * that hold it, when notes nest).
   */
  #placer(): (use: Use) => Use | undefined {
    // Only uses inside notes ask, and an article may have none: the uses are filed by entry
    // on the first question.
    let uses: Map<Entry, Use[]> | undefined;
    const usesOf = (entry: Entry): Use[] | undefined => {
      if (uses === undefined) {
        uses = new Map();
        for (const use of this.#uses) {
          const list = uses.get(use.entry);
          if (list) list.push(use);
          else uses.set(use.entry, [use]);
        }
      }
      return uses.get(entry);
    };
    const placed = new Map<Entry, Use | undefined>();
    const placeOfEntry = (entry: Entry): Use | undefined => {
      if (placed.has(entry)) return placed.get(entry);
      placed.set(entry, undefined); // a note that holds itself is never placed
      const list = usesOf(entry) ?? [];
      let at = list.find((u) => u.block !== undefined);
      for (let k = 0; at === undefined && k < list.length; k++) {
        const via = list[k]!.via;
        if (via) at = placeOfEntry(via);
      }
      placed.set(entry, at);
      return at;
    };
    return (use) => (use.via ? placeOfEntry(use.via) : undefined);
  }

  // -------------------------------------------------------------------------------------------

  #text(nodes: readonly WikiNode[] | undefined): string | undefined {
    if (!nodes) return undefined;
    // Most parameter values are one text node, which renders as its text: two calls fewer for
    // each of the five-odd parameters of every citation.
    const only = nodes.length === 1 ? nodes[0]! : undefined;
    const s = squash(only?.kind === 'text' ? cleanInline(only.text) : this.renderer.plain(nodes, 'hidden'));
    return s === '' ? undefined : s;
  }

  #entry(group: string, name: string | undefined): Entry {
    if (name !== undefined) {
      const key = `${group}\u0000${name}`;
      const found = this.#named.get(key);
      if (found) return found;
      const e = this.#newEntry(group, name);
      this.#named.set(key, e);
      return e;
    }
    return this.#newEntry(group, undefined);
  }

  #newEntry(group: string, name: string | undefined): Entry {
    const ref = emptyReference('', '');
    if (name !== undefined) ref.name = name;
    if (group !== '') ref.group = group;
    const e: Entry = {
      ref,
      group,
      defined: false,
      seq: this.#entries.length,
      harv: [],
      sfn: false,
      nests: false,
    };
    if (name !== undefined) e.name = name;
    this.#entries.push(e);
    return e;
  }

  #define(e: Entry, start: number): void {
    e.defined = true;
    const n = (this.#defCount.get(e.group) ?? 0) + 1;
    this.#defCount.set(e.group, n);
    e.defOrder = n;
    e.ref.line = this.#lines.lineOf(start);
  }

  #mark(marker: Marker): string {
    this.#markers.push(marker);
    return `${MARK_OPEN}${this.#markers.length - 1}${MARK_CLOSE}`;
  }

  #use(e: Entry, start: number, placement: Placement, pages?: string): string {
    const use: Use = { entry: e, line: this.#lines.lineOf(start) };
    if (pages !== undefined) use.pages = pages;
    const via = this.#building.at(-1);
    if (via && via !== e) use.via = via;
    this.#uses.push(use);
    return placement === 'body' ? this.#mark({ use }) : '';
  }

  #reference(
    rawName: string | undefined,
    group: string,
    body: readonly WikiNode[] | undefined,
    start: number,
    end: number,
    placement: Placement,
    follow: string | undefined,
    nests = false,
  ): string {
    const name = rawName === undefined || rawName === '' ? undefined : rawName;
    const hasContent = body !== undefined && !isBlank(body);
    if (follow !== undefined) {
      // `<ref follow=a>` continues reference `a`'s text; it is not a reference of its own.
      const target = this.#entry(group, follow);
      if (hasContent) this.#fill(target, body, true);
      return '';
    }
    if (name === undefined && !hasContent) return '';
    const e = this.#entry(group, name);
    if (hasContent && !e.defined) {
      e.nests = nests;
      this.#define(e, start);
      this.#fill(e, body, false);
    }
    if (placement === 'listed') return '';
    this.#lastRef = { end, entry: e };
    return this.#use(e, start, placement);
  }

  /** Renders a reference's content into it: text, citation fields, links, tags. */
  #fill(e: Entry, body: readonly WikiNode[], append: boolean): void {
    this.#building.push(e);
    const text = squash(this.renderer.plain(body, 'hidden'));
    this.#building.pop();
    e.ref.text = append && e.ref.text ? `${e.ref.text} ${text}` : text;
    this.#collectUrls(e.ref, body);
  }

  /** Every URL written anywhere in a reference's content (not in nested references). */
  #collectUrls(ref: Reference, nodes: readonly WikiNode[]): void {
    // Indexed loops: until this code is optimised, `for…of` allocates an iterator result per
    // node, and it runs over every node of every reference.
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (n.kind === 'text') {
        if (!n.text.includes('//')) continue;
        // Labels come from `[url label]`: no bracket, no label (and no map to build).
        let labels: Map<string, string> | undefined;
        // `exec` on the module's regexes (nothing in the loops uses them), not `matchAll`:
        // no iterator and no copy of the regex per text node.
        if (n.text.includes('[')) {
          labels = new Map();
          BRACKETED_RE.lastIndex = 0;
          for (let m = BRACKETED_RE.exec(n.text); m !== null; m = BRACKETED_RE.exec(n.text))
            labels.set(cleanUrl(m[1]!), squash(cleanInline(m[2]!)));
        }
        URL_RE.lastIndex = 0;
        for (let m = URL_RE.exec(n.text); m !== null; m = URL_RE.exec(n.text)) {
          const url = cleanUrl(m[0]);
          this.#addLink(ref, url, undefined, labels?.get(url));
        }
      } else if (n.kind === 'template' || n.kind === 'link') {
        for (let k = 0; k < n.parts.length; k++) this.#collectUrls(ref, n.parts[k]!.nodes);
      }
    }
  }

  /**
   * Adds a link once. `role` is what the wikitext says (a citation's `url` is the source,
   * `archive-url` the archive); the URL classifier refines it: an identifier resolver is an
   * `identifier` link (and its identifier is recorded), an archive snapshot an `archive` link.
   */
  #addLink(ref: Reference, raw: string, role: LinkRole | undefined, text?: string): void {
    const url = cleanUrl(raw);
    // The reference's links first: a citation's URL is met again when the reference's text is
    // searched for URLs, and a link already there has passed the test below.
    for (let k = 0; k < ref.links.length; k++) if (ref.links[k]!.url === url) return;
    if (!LINKABLE_RE.test(url)) return;
    const c = classifyUrl(url);
    let finalRole: LinkRole = role ?? c.role;
    if (c.role === 'identifier') {
      finalRole = 'identifier';
      if (c.identifier) addIdentifier(ref.identifiers, c.identifier.kind, c.identifier.value);
    } else if (c.role === 'archive' && finalRole !== 'chapter') {
      finalRole = 'archive';
    }
    if (finalRole === 'archive' && !ref.archive.present) {
      ref.archive = { present: true, url };
      const date = parseDate(c.archiveDate);
      if (date) ref.archive.date = date;
    }
    const link: Link = { url, role: finalRole };
    if (text) link.text = text;
    ref.links.push(link);
  }

  #citation(t: TemplateNode, name: string, building: Entry | undefined): string {
    const params = templateParams(t);
    // A parameter is rendered once (rendering has effects: a tag inside it is recorded); the
    // hundred-odd aliases a citation asks about and does not have cost one lookup each. The
    // rendered ones are kept as key, text pairs in one list, not a `Map`: it holds only
    // parameters the citation has and is asked about (a handful), and a `Map` per citation
    // cost more to build than the list costs to search.
    const rendered: Array<string | undefined> = [];
    const value = (key: string): string | undefined => {
      const nodes = params.get(key);
      if (nodes === undefined) return undefined;
      for (let k = 0; k < rendered.length; k += 2) if (rendered[k] === key) return rendered[k + 1];
      const v = this.#text(nodes);
      rendered.push(key, v);
      return v;
    };
    const target = building?.ref ?? emptyReference('', '');
    const groups = citationGroups(params);
    const text = applyCitation(
      target,
      name,
      value,
      { link: (url, role) => this.#addLink(target, url, role) },
      groups,
    );
    const anchor = this.#anchorOf(params, value, groups);
    if (anchor && !this.#anchors.has(anchor)) this.#anchors.set(anchor, target);
    return text;
  }

  /** The Harvard anchor of a citation: `ref={{harvid|…}}`, `ref=none`, or surnames + year. */
  #anchorOf(
    params: Map<string, WikiNode[]>,
    value: (key: string) => string | undefined,
    groups: ParamGroups,
  ): string | undefined {
    const ref = params.get('ref');
    if (ref) {
      const id = ref.find((n): n is TemplateNode => n.kind === 'template');
      if (id && /^(?:harvid|sfnref)$/.test(templateName(id))) {
        const args: string[] = [];
        const p = templateParams(id);
        for (let k = 1; p.has(String(k)); k++) args.push(textOf(p.get(String(k))!).trim());
        return normalKey(args, '');
      }
      const text = textOf(ref).trim().toLowerCase();
      if (text === 'none') return undefined;
      if (text !== '' && text !== 'harv') return normalKey([text.replace(/^citeref/, '')], '');
    }
    const year = citationYear(value);
    const surnames = citationSurnames(value, groups);
    return year && surnames.length ? normalKey(surnames, year) : undefined;
  }

  #shortFootnote(t: TemplateNode, placement: Placement): string {
    const key = harvKey(t);
    const { p, pp, loc } = harvPages(t);
    const name = `FOOTNOTE${key.authors.join('')}${key.year}${p ?? ''}${pp ?? ''}${loc ?? ''}`;
    const e = this.#entry('', name);
    if (!e.defined) {
      this.#define(e, t.start);
      e.sfn = true;
      e.harv.push(key);
      e.ref.text = shortCitationText(t, 'sfn');
    }
    return this.#use(e, t.start, placement, p ?? pp ?? loc);
  }

  /** `{{sfnm|1a1=Smith|1y=2001|1p=5|2a1=…}}`: one footnote citing several works. */
  #multiFootnote(t: TemplateNode, placement: Placement): string {
    const params = templateParams(t);
    const texts: string[] = [];
    const keys: HarvKey[] = [];
    let name = 'FOOTNOTE';
    for (let w = 1; w <= 9; w++) {
      const authors: string[] = [];
      for (let a = 1; a <= 4; a++) {
        const v = params.get(`${w}a${a}`);
        if (v) authors.push(textOf(v).trim());
      }
      const year = textOf(params.get(`${w}y`) ?? []).trim();
      if (authors.length === 0 && year === '') break;
      const page = textOf(params.get(`${w}p`) ?? params.get(`${w}pp`) ?? params.get(`${w}loc`) ?? []).trim();
      keys.push({ authors, year });
      name += authors.join('') + year + page;
      const who = authors.length > 3 ? `${authors[0]} et al.` : authors.join(' & ');
      texts.push(`${who} ${year}${page ? `, p. ${page}` : ''}`.trim());
    }
    const e = this.#entry('', name);
    if (!e.defined) {
      this.#define(e, t.start);
      e.sfn = true;
      e.harv.push(...keys);
      e.ref.text = texts.join('; ');
    }
    return this.#use(e, t.start, placement);
  }

  /** `{{r|a|b|p=5}}`: uses of named references. */
  #r(t: TemplateNode, placement: Placement): string {
    const params = templateParams(t);
    const group = this.#text(params.get('group')) ?? '';
    const pages =
      this.#text(params.get('p')) ?? this.#text(params.get('pp')) ?? this.#text(params.get('page'));
    let out = '';
    for (let k = 1; params.has(String(k)); k++) {
      const name = this.#text(params.get(String(k)));
      if (name) out += this.#use(this.#entry(group, name), t.start, placement, k === 1 ? pages : undefined);
    }
    return out;
  }

  /**
   * The reference whose `</ref>` ends just before the template at `t` (whitespace and
   * comments between). The template then counts as part of the reference's end, so
   * `</ref>{{dead link}}{{cbignore}}` gives both to the reference.
   */
  #adjacentRef(t: TemplateNode): Entry | undefined {
    const last = this.#lastRef;
    if (!last || t.start < last.end || t.start - last.end > 200) return undefined;
    if (unmask(this.#src.slice(last.end, t.start)).trim() !== '') return undefined;
    last.end = t.end;
    return last.entry;
  }

  #tag(
    t: TemplateNode,
    name: string,
    kind: Tag['kind'],
    text: string,
    placement: Placement,
    building: Entry | undefined,
  ): string {
    const params = templateParams(t);
    const tag: Tag = { kind, text, block: -1, sentence: 0, line: this.#lines.lineOf(t.start) };
    const date = parseDate(this.#text(params.get('date')));
    if (date) tag.date = date;
    const span = SPAN_TAGS.has(name)
      ? this.renderer.render(params.get('1') ?? params.get('text') ?? [], placement)
      : '';
    const entry = building ?? (kind === 'dead-link' ? this.#adjacentRef(t) : undefined);
    if (entry && kind === 'dead-link') {
      const fix = this.#text(params.get('fix-attempted'))?.toLowerCase();
      entry.ref.deadLinkTag = { fixAttempted: fix === 'yes' || fix === 'y' || fix === 'true' };
      if (date) entry.ref.deadLinkTag.date = date;
    }
    const record: TagRecord = entry ? { tag, entry } : { tag };
    this.#tags.push(record);
    if (building || placement !== 'body') return span;
    return span + this.#mark({ tag: record });
  }

  #archive(t: TemplateNode, name: string, building: Entry | undefined): string | undefined {
    const entry = building ?? this.#adjacentRef(t);
    if (!entry) return undefined;
    const params = templateParams(t);
    const url =
      this.#text(params.get('url')) ?? this.#text(params.get('url1')) ?? this.#text(params.get('1'));
    if (!url) return '';
    const dateText = this.#text(params.get('date')) ?? this.#text(params.get('date1'));
    const archiveUrl =
      name === 'wayback' ? `https://web.archive.org/web/${dateText ?? '*'}/${url}` : cleanUrl(url);
    const ref = entry.ref;
    if (!ref.archive.present) {
      ref.archive = { present: true, url: archiveUrl };
      const date = parseDate(dateText);
      if (date) ref.archive.date = date;
    }
    this.#addLink(ref, archiveUrl, 'archive');
    return '';
  }

  #assignIds(): void {
    const taken = new Set<string>();
    for (const e of this.#entries) {
      const base =
        e.group === ''
          ? (e.name ?? `ref-${e.defOrder ?? e.seq + 1}`)
          : `${e.group}-${e.name ?? String(e.defOrder ?? e.seq + 1)}`;
      let id = base;
      for (let k = 2; taken.has(id); k++) id = `${base}~${k}`;
      taken.add(id);
      e.ref.id = id;
    }
  }

  /** Copies the full citation a short footnote points to (see the module comment). */
  #resolveShortCitation(e: Entry): void {
    if (e.harv.length === 0) return;
    const ref = e.ref;
    if (!e.sfn && (ref.links.length > 0 || ref.title !== undefined)) return;
    for (const key of e.harv) {
      const full = this.#anchors.get(normalKey(key.authors, key.year));
      if (!full || full === ref) continue;
      ref.title ??= full.title;
      if (ref.authors.length === 0) ref.authors.push(...full.authors);
      for (const field of [
        'date',
        'publisher',
        'work',
        'citationClass',
        'accessDate',
        'urlStatus',
        'doiInactiveSince',
        'accessLevel',
      ] as const) {
        if (ref[field] === undefined && full[field] !== undefined)
          (ref as Record<string, unknown>)[field] = full[field];
      }
      for (const kind of Object.keys(full.identifiers) as Array<keyof Reference['identifiers']>) {
        for (const v of full.identifiers[kind])
          if (!ref.identifiers[kind].includes(v)) ref.identifiers[kind].push(v);
      }
      for (const l of full.links) if (!ref.links.some((x) => x.url === l.url)) ref.links.push({ ...l });
      if (!ref.archive.present && full.archive.present) ref.archive = { ...full.archive };
    }
    if (ref.title === undefined) delete ref.title;
  }
}
