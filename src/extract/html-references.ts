/**
 * Reference lists (`ol.references` / Parsoid `ol.mw-references`, one `li#cite_note-…` per
 * reference) into `Reference`s. Each field comes from the most exact source present: the
 * citation template's parameters (Parsoid `data-mw`), then COinS, then the rendered text.
 * Pure.
 */

import { DATE_IN_TEXT, parseDate } from '../core/dates.js';
import { addIdentifier } from '../core/identifiers.js';
import { squash } from '../core/text.js';
import type { IdentifierKind, Link, LinkRole, Reference, Tag } from '../model.js';
import { ACCESS_LEVELS, emptyReference } from '../model.js';
import type { Coins } from './html-coins.js';
import { coinsTitle, parseCoins } from './html-coins.js';
import type { AnyNode, Element } from './html-dom.js';
import {
  classesOf,
  dataMw,
  descendants,
  hasClass,
  isElement,
  isExternalLink,
  isNonText,
  isTagElement,
  markerTarget,
  normalizeHref,
  TextBuilder,
  textOf,
  tokensOf,
} from './html-dom.js';
import type { TemplateCall } from './html-parsoid.js';
import { isCitationTemplate, templateCalls } from './html-parsoid.js';
import { readTag } from './html-tags.js';
import { classifyUrl } from './links.js';
import { CS1_WORK_PARAMS } from './wikitext-cs1.js';

/** What the inline markers pointing at a list item say about it (collected by the caller). */
export interface MarkerInfo {
  /** `data-mw-group` on the marker's link (legacy and Parsoid). */
  group?: string;
  /** The marker's label without brackets: `1`, `a`, `note 2`. */
  label?: string;
  /** Parsoid: the ref's `name` attribute from the marker's `data-mw`. */
  name?: string;
}

export interface ReferencesResult {
  references: Reference[];
  /** Maintenance tags found inside references (`block: -1`, with `referenceId`). */
  tags: Tag[];
  /** Inline markers inside references that cite another reference (notes citing sources). */
  uses: string[];
}

type AccessLevel = (typeof ACCESS_LEVELS)[number];

const LIST_STYLE_GROUPS =
  /list-style-type\s*:\s*(lower-alpha|upper-alpha|lower-roman|upper-roman|lower-greek)/i;
const REFLIST_CLASS_GROUP = /^reflist-(lower-alpha|upper-alpha|lower-roman|upper-roman|lower-greek)$/;
/** Legacy ids of group notes: `cite_note-lower-alpha-3`, `cite_note-note-2`, `cite_note-nb-1`. */
const GROUP_ID =
  /^cite_note-(lower-alpha|upper-alpha|lower-roman|upper-roman|lower-greek|notes?|Notes?|nb|NB|n|efn|fn)-\d+$/;
const NOTES_HEADING = /^(?:explanatory |content )?(?:notes|footnotes|endnotes|nb|note)$/i;

const DATE_RE = `(${DATE_IN_TEXT})`;
const ACCESS_DATE = new RegExp(`\\b(?:Retrieved|Accessed)(?: on)?:?\\s+${DATE_RE}`, 'i');
const ARCHIVE_ON = new RegExp(`\\bArchived(?: from the original)?(?: on)?\\s+${DATE_RE}`, 'i');
const INACTIVE = new RegExp(`\\(inactive\\s+${DATE_RE}\\)`, 'i');
const PAREN_DATE = new RegExp(`\\(${DATE_RE}\\)`);

/** Labelled identifiers in running text (CS1 renders them as `doi:10.…`, `ISBN 978…`, …). */
const TEXT_IDENTIFIERS: Array<[RegExp, IdentifierKind]> = [
  [/\bdoi:\s*(10\.\d{4,9}\/[^\s"<>]+)/gi, 'doi'],
  [/\bISBN(?:-1[03])?:?\s*((?:97[89][\s-]?)?(?:\d[\s-]?){9}[\dXx])(?![\dXx])/g, 'isbn'],
  [/\b[Ee]?ISSN:?\s*(\d{4}-?\d{3}[\dXx])\b/g, 'issn'],
  [/\bPMID:?\s*(\d{1,9})\b/g, 'pmid'],
  [/\bPMC:?\s*(\d{1,9})\b/g, 'pmc'],
  [/\barXiv:\s*(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?\/\d{7}(?:v\d+)?)/gi, 'arxiv'],
  [/\bBibcode:\s*(\S{19})/g, 'bibcode'],
  [/\bS2CID:?\s*(\d+)\b/g, 's2cid'],
  [/\bhdl:\s*(\d[\w.]*\/\S*[\w/])/g, 'hdl'],
  [/\bJSTOR:?\s*(\d+)\b/g, 'jstor'],
  [/\bOCLC:?\s*(\d+)\b/g, 'oclc'],
];

/** Citation-template parameters that hold an identifier. */
const PARAM_IDENTIFIERS: Array<[string, IdentifierKind]> = [
  ['doi', 'doi'],
  ['isbn', 'isbn'],
  ['issn', 'issn'],
  ['eissn', 'issn'],
  ['pmid', 'pmid'],
  ['pmc', 'pmc'],
  ['arxiv', 'arxiv'],
  ['eprint', 'arxiv'],
  ['bibcode', 'bibcode'],
  ['s2cid', 's2cid'],
  ['hdl', 'hdl'],
  ['jstor', 'jstor'],
  ['oclc', 'oclc'],
];

/** Extracts every reference list in document order. */
export function extractReferences(
  lists: readonly Element[],
  markers: ReadonlyMap<string, MarkerInfo[]>,
): ReferencesResult {
  const out: ReferencesResult = { references: [], tags: [], uses: [] };
  const notesByHeading = lists.map((ol) => NOTES_HEADING.test(precedingHeading(ol) ?? ''));
  const mixed = notesByHeading.some(Boolean) && notesByHeading.some((n) => !n);
  // Reference ids are unique in the model; a repeated `li` id (pasted or malformed HTML) is the
  // same note again, and `#cite_note-…` links go to the first one, as in a browser.
  const seen = new Set<string>();
  lists.forEach((ol, listIndex) => {
    const items = ol.children.filter(
      (c): c is Element => isElement(c) && c.name === 'li' && (c.attribs.id ?? '').startsWith('cite_note'),
    );
    const group = groupOf(ol, items, markers) ?? (mixed && notesByHeading[listIndex] ? 'notes' : undefined);
    items.forEach((li, i) => {
      const id = li.attribs.id!;
      if (seen.has(id)) return;
      seen.add(id);
      const ref = readReference(li, id, markers.get(id), out);
      ref.number = i + 1;
      if (group) ref.group = group;
      out.references.push(ref);
    });
  });
  return out;
}

/** The group of one list: Parsoid/legacy `data-mw-group`, the markers' labels, the list style, the ids. */
function groupOf(
  ol: Element,
  items: readonly Element[],
  markers: ReadonlyMap<string, MarkerInfo[]>,
): string | undefined {
  const explicit = ol.attribs['data-mw-group'];
  if (explicit) return explicit;
  for (let el: AnyNode | null = ol.parent; el && isElement(el); el = el.parent) {
    if (tokensOf(el.attribs.typeof).includes('mw:Extension/references')) {
      const g = (dataMw(el) as { attrs?: { group?: unknown } } | undefined)?.attrs?.group;
      if (typeof g === 'string' && g.trim()) return g.trim();
      break;
    }
  }
  for (const li of items) {
    for (const m of markers.get(li.attribs.id!) ?? []) {
      if (m.group) return m.group;
      const label = m.label ?? '';
      const word = label.match(/^([A-Za-z][\w-]*)\s+\d+$/);
      if (word) return word[1];
      if (/^[a-z]+$/.test(label)) return 'lower-alpha';
      if (/^[A-Z]+$/.test(label)) return 'upper-alpha';
    }
  }
  for (let el: AnyNode | null = ol; el && isElement(el); el = el.parent) {
    const style = el.attribs.style?.match(LIST_STYLE_GROUPS);
    if (style) return style[1]!.toLowerCase();
    for (const c of classesOf(el)) {
      const m = c.match(REFLIST_CLASS_GROUP);
      if (m) return m[1];
    }
    if (hasClass(el, 'reflist') || hasClass(el, 'mw-parser-output')) break;
  }
  const ids = items.map((li) => li.attribs.id!.match(GROUP_ID)?.[1]);
  if (ids.length > 0 && ids.every((g) => g !== undefined && g === ids[0])) return ids[0]!.toLowerCase();
  return undefined;
}

/** The text of the heading the element sits under, looking back through siblings and ancestors. */
function precedingHeading(el: Element): string | undefined {
  let cur: Element | null = el;
  while (cur) {
    const siblings: AnyNode[] = cur.parent ? (cur.parent.children as AnyNode[]) : [];
    for (let i = siblings.indexOf(cur) - 1; i >= 0; i--) {
      const s = siblings[i]!;
      if (!isElement(s)) continue;
      if (/^h[1-6]$/.test(s.name)) return textOf(s);
      let last: Element | undefined;
      for (const d of descendants(s)) if (/^h[1-6]$/.test(d.name)) last = d;
      if (last) return textOf(last);
    }
    const parent: AnyNode | null = cur.parent as AnyNode | null;
    cur = parent && isElement(parent) ? parent : null;
  }
  return undefined;
}

/** What one pass over a reference's content collects. */
interface Scan {
  text: TextBuilder;
  cites: Element[];
  coins: Coins[];
  calls: TemplateCall[];
  links: Array<{ a: Element; url: string; text: string; cite?: Element }>;
  tags: Element[];
  lock?: AccessLevel;
  idLock?: AccessLevel;
}

function lockOf(el: Element, prefix: string): AccessLevel | undefined {
  for (const c of classesOf(el)) {
    if (!c.startsWith(prefix)) continue;
    const level = c.slice(prefix.length);
    if ((ACCESS_LEVELS as readonly string[]).includes(level)) return level as AccessLevel;
  }
  return undefined;
}

/** One walk over the reference content: visible text plus every part of interest. */
function scan(node: AnyNode, s: Scan, uses: string[], cite: Element | undefined): void {
  if (node.type === 'text') {
    s.text.append((node as unknown as { data: string }).data);
    return;
  }
  if (!isElement(node)) return;
  for (const call of templateCalls(node)) s.calls.push(call);
  if (hasClass(node, 'Z3988')) {
    if (node.attribs.title) s.coins.push(parseCoins(node.attribs.title));
    return;
  }
  if (isNonText(node)) return;
  const target = markerTarget(node);
  if (target) {
    uses.push(target);
    return;
  }
  if (isTagElement(node)) {
    s.tags.push(node);
    return;
  }
  if (node.name === 'br') {
    s.text.space();
    return;
  }
  s.lock ??= lockOf(node, 'cs1-lock-');
  s.idLock ??= lockOf(node, 'id-lock-');
  let inCite = cite;
  if (node.name === 'cite' || (hasClass(node, 'citation') && !cite)) {
    s.cites.push(node);
    inCite = node;
  }
  if (isExternalLink(node)) {
    s.links.push({
      a: node,
      url: normalizeHref(node.attribs.href!),
      text: textOf(node),
      ...(inCite && { cite: inCite }),
    });
  } else if (node.name === 'a' && node.attribs.href) {
    // Internal links carry identifiers too: Special:BookSources/ISBN.
    s.links.push({ a: node, url: node.attribs.href, text: '', ...(inCite && { cite: inCite }) });
  }
  for (const child of node.children) scan(child, s, uses, inCite);
}

const CITATION_CLASSES: Record<string, NonNullable<Reference['citationClass']>> = {
  web: 'web',
  news: 'news',
  journal: 'journal',
  book: 'book',
  report: 'report',
};

function citationClassOf(
  cite: Element | undefined,
  call: TemplateCall | undefined,
): Reference['citationClass'] {
  if (call) {
    const kind = call.name.replace(/^(?:cite|vcite|vancite)\s+/, '');
    return CITATION_CLASSES[kind] ?? 'other';
  }
  if (!cite) return undefined;
  for (const c of classesOf(cite)) {
    const kind = CITATION_CLASSES[c];
    if (kind) return kind;
  }
  return 'other';
}

const isQuoted = (text: string): boolean => /^["“'‘«]/.test(text);
const isOriginalLink = (text: string): boolean => /^the original$/i.test(text);
const isArchivedLink = (text: string): boolean => /^archived\b/i.test(text);

/** Reads one `li#cite_note-…`. */
function readReference(
  li: Element,
  id: string,
  markers: MarkerInfo[] | undefined,
  out: ReferencesResult,
): Reference {
  const content =
    [...descendants(li)].find((d) => hasClass(d, 'reference-text') || hasClass(d, 'mw-reference-text')) ?? li;
  const s: Scan = { text: new TextBuilder(), cites: [], coins: [], calls: [], links: [], tags: [] };
  scan(content, s, out.uses, undefined);
  const text = s.text.toString();
  const ref = emptyReference(id, text);

  const name = markers?.find((m) => m.name)?.name ?? nameFromId(id);
  if (name) ref.name = name;

  const call = s.calls.find((c) => isCitationTemplate(c.name));
  const firstCite = s.cites[0];
  const citationClass = citationClassOf(firstCite, call);
  if (citationClass) ref.citationClass = citationClass;
  const coins = s.coins[0];

  applyLinks(ref, s, coins);
  applyRenderedText(ref, text, s, coins);
  if (coins) applyCoins(ref, s.coins);
  if (call) applyParams(ref, call);
  for (const extra of s.calls) if (extra.name === 'webarchive') applyWebarchive(ref, extra);
  for (const [re, kind] of TEXT_IDENTIFIERS) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) addIdentifier(ref.identifiers, kind, m[1]!.replace(/[.,;:]+$/, ''));
  }

  const archive = ref.links.find((l) => l.role === 'archive');
  if (archive && !ref.archive.present) ref.archive = { present: true, url: archive.url };
  if (ref.archive.present && !ref.archive.date) {
    const date =
      parseDate(text.match(ARCHIVE_ON)?.[1]) ??
      (ref.archive.url ? parseDate(classifyUrl(ref.archive.url).archiveDate) : undefined);
    if (date) ref.archive.date = date;
  }
  const level = s.lock ?? s.idLock;
  if (level && !ref.accessLevel) ref.accessLevel = level;

  for (const el of s.tags) {
    const tag = readTag(el);
    if (!tag) continue;
    const t: Tag = { kind: tag.kind, text: tag.text, block: -1, sentence: 0, referenceId: id };
    if (tag.date) t.date = tag.date;
    out.tags.push(t);
    if (tag.kind === 'dead-link' && !ref.deadLinkTag) {
      ref.deadLinkTag = { fixAttempted: tag.fixAttempted };
      if (tag.date) ref.deadLinkTag.date = tag.date;
    }
  }
  return ref;
}

/** Legacy ids carry the ref's name: `cite_note-google-5` → `google`. */
function nameFromId(id: string): string | undefined {
  if (GROUP_ID.test(id)) return undefined;
  const m = id.match(/^cite_note-(.+)-\d+$/);
  return m ? m[1]!.replace(/_/g, ' ') : undefined;
}

/**
 * Roles of the reference's links. In a CS1 citation the title link is the source — except
 * with `url-status=dead` (or unfit/usurped), where the title links to the archive and "the
 * original" to the source. "Archived" links to the archive; a quoted link before a book's
 * title is its chapter; resolver links are identifiers.
 */
function applyLinks(ref: Reference, s: Scan, coins: Coins | undefined): void {
  const titleTaken = new Set<Element>();
  const isBookItem =
    coins?.genre === 'bookitem' || (coins?.atitle !== undefined && coins.btitle !== undefined);
  for (const link of s.links) {
    const c = classifyUrl(link.url);
    if (c.role === 'identifier') {
      if (c.identifier) addIdentifier(ref.identifiers, c.identifier.kind, c.identifier.value);
      if (!isExternalLink(link.a)) continue;
      addLink(ref, link.url, 'identifier', link.text);
      continue;
    }
    if (!isExternalLink(link.a)) continue;
    let role: LinkRole;
    if (isArchivedLink(link.text)) role = 'archive';
    else if (isOriginalLink(link.text)) role = 'source';
    else if (link.cite && !titleTaken.has(link.cite)) {
      const cite = link.cite;
      const chapter =
        isQuoted(link.text) && (isBookItem || (hasClass(cite, 'book') && hasItalicOutside(cite, link.a)));
      if (chapter) role = 'chapter';
      else {
        titleTaken.add(cite);
        const deadStyle = s.links.some((o) => o.cite === cite && isOriginalLink(o.text));
        role = deadStyle || c.role === 'archive' ? 'archive' : 'source';
      }
    } else if (c.role === 'archive') role = 'archive';
    else role = link.cite ? 'other' : 'source';
    addLink(ref, link.url, role, link.text);
  }
  // CS1's url-status, read back from how the citation rendered its archive.
  const cs1 = s.links.filter((l) => l.cite !== undefined);
  if (cs1.some((l) => isOriginalLink(l.text))) ref.urlStatus = 'dead';
  else if (cs1.some((l) => isArchivedLink(l.text))) ref.urlStatus = 'live';
  else if (
    ref.links.some((l) => l.role === 'archive') &&
    s.cites.some((c) => /Archived from the original/i.test(textOf(c)))
  ) {
    ref.urlStatus = 'unfit';
  }
}

/** A book title in italics elsewhere in the citation: the quoted link before it is a chapter. */
function hasItalicOutside(cite: Element, link: Element): boolean {
  const inLink = new Set(descendants(link));
  for (const d of descendants(cite)) if (d.name === 'i' && !inLink.has(d) && textOf(d)) return true;
  return false;
}

function addLink(ref: Reference, url: string, role: LinkRole, text?: string): void {
  const existing = ref.links.find((l) => l.url === url);
  if (existing) {
    if (existing.role === 'other' && role !== 'other') existing.role = role;
    return;
  }
  const link: Link = { url, role };
  if (text) link.text = text;
  ref.links.push(link);
}

/** Fields read back from the rendered text, used when nothing more exact says otherwise. */
function applyRenderedText(ref: Reference, text: string, s: Scan, coins: Coins | undefined): void {
  const accessDate = parseDate(text.match(ACCESS_DATE)?.[1]);
  if (accessDate) ref.accessDate = accessDate;
  const inactive = parseDate(text.match(INACTIVE)?.[1]);
  if (inactive) ref.doiInactiveSince = inactive;
  if (coins) return;
  const cite = s.cites[0];
  if (cite) {
    const citeText = textOf(cite);
    const quoted = citeText.match(/["“]([^"”]{2,})["”]/)?.[1];
    const italics = [...descendants(cite)].filter((d) => d.name === 'i').map((i) => textOf(i));
    if (ref.citationClass === 'book') {
      const title = italics[0] ?? quoted;
      if (title) ref.title = squash(title.replace(/[.,]$/, ''));
    } else {
      if (quoted) ref.title = squash(quoted.replace(/[.,]$/, ''));
      const work = italics.find((i) => i && i !== quoted);
      if (work) ref.work = work;
    }
    const date = parseDate(citeText.match(PAREN_DATE)?.[1]);
    if (date) ref.date = date;
    return;
  }
  const titled = s.links.find((l) => isExternalLink(l.a) && hasClass(l.a, 'text') && l.text);
  if (titled && ref.links.find((l) => l.url === titled.url)?.role === 'source') ref.title = titled.text;
  const date = parseDate(text.match(PAREN_DATE)?.[1]);
  if (date) ref.date = date;
}

/** COinS: title, work, date, authors, publisher and identifiers as the template had them. */
function applyCoins(ref: Reference, all: Coins[]): void {
  const coins = all[0]!;
  const t = coinsTitle(coins);
  if (t.title) ref.title = t.title;
  if (t.work) ref.work = t.work;
  if (coins.date) ref.date = coins.date;
  if (coins.publisher) ref.publisher = coins.publisher;
  if (coins.authors.length > 0) ref.authors = coins.authors;
  for (const c of all) for (const id of c.identifiers) addIdentifier(ref.identifiers, id.kind, id.value);
  // `url-status=unfit`/`usurped` hides the original URL from the page; COinS still has it.
  if (coins.url && !ref.links.some((l) => l.role === 'source' || l.url === coins.url)) {
    setRole(ref, coins.url, 'source');
  }
}

const first = (params: Map<string, string>, keys: readonly string[]): string | undefined => {
  for (const k of keys) {
    const v = params.get(k);
    if (v) return v;
  }
  return undefined;
};

/** Authors from `last`/`first`, `lastN`/`firstN`, `author`/`authorN`, `vauthors`, `authors`. */
function authorsOf(p: Map<string, string>): string[] {
  const authors: string[] = [];
  for (let n = 0; n <= 30; n++) {
    const suffix = n === 0 ? '' : String(n);
    const last = p.get(`last${suffix}`) ?? p.get(`surname${suffix}`) ?? p.get(`author${suffix}-last`);
    const given = p.get(`first${suffix}`) ?? p.get(`given${suffix}`) ?? p.get(`author${suffix}-first`);
    const whole = p.get(`author${suffix}`);
    if (last) authors.push(given ? `${last}, ${given}` : last);
    else if (whole) authors.push(whole);
  }
  const list = p.get('vauthors') ?? p.get('authors');
  if (authors.length === 0 && list) for (const a of list.split(/\s*[,;]\s*/)) if (a) authors.push(a);
  return authors;
}

/** Parsoid: the citation template's own parameters, the most exact source of all. */
function applyParams(ref: Reference, call: TemplateCall): void {
  const p = call.params;
  const title = p.get('title');
  if (title) ref.title = title;
  const date = parseDate(p.get('date')) ?? parseDate(p.get('year'));
  if (date) ref.date = date;
  const work = first(p, CS1_WORK_PARAMS);
  if (work) ref.work = work;
  const publisher = p.get('publisher');
  if (publisher) ref.publisher = publisher;
  const authors = authorsOf(p);
  if (authors.length > 0) ref.authors = authors;
  const accessDate = parseDate(first(p, ['access-date', 'accessdate']));
  if (accessDate) ref.accessDate = accessDate;
  const status = first(p, ['url-status', 'dead-url', 'deadurl'])?.toLowerCase();
  if (status)
    ref.urlStatus = status === 'yes' || status === 'true' ? 'dead' : status === 'no' ? 'live' : status;
  const inactive = parseDate(first(p, ['doi-broken-date', 'doi-inactive-date']));
  if (inactive) ref.doiInactiveSince = inactive;
  const access = first(p, ['url-access', 'doi-access', 'access']);
  if (access && (ACCESS_LEVELS as readonly string[]).includes(access))
    ref.accessLevel = access as AccessLevel;
  for (const [key, kind] of PARAM_IDENTIFIERS) {
    const v = p.get(key);
    if (v) addIdentifier(ref.identifiers, kind, v);
  }
  const url = p.get('url');
  if (url) setRole(ref, normalizeHref(url), 'source');
  const chapterUrl = first(p, ['chapter-url', 'chapterurl', 'contribution-url', 'section-url']);
  if (chapterUrl) setRole(ref, normalizeHref(chapterUrl), 'chapter');
  const archiveUrl = first(p, ['archive-url', 'archiveurl']);
  if (archiveUrl) {
    const u = normalizeHref(archiveUrl);
    setRole(ref, u, 'archive');
    ref.archive = { present: true, url: u };
    const archiveDate = parseDate(first(p, ['archive-date', 'archivedate']));
    if (archiveDate) ref.archive.date = archiveDate;
  }
}

/** `{{webarchive|url=…|date=…}}` after a bare citation. */
function applyWebarchive(ref: Reference, call: TemplateCall): void {
  const url = call.params.get('url') ?? call.params.get('url1');
  if (!url) return;
  const u = normalizeHref(url);
  setRole(ref, u, 'archive');
  if (!ref.archive.present) {
    ref.archive = { present: true, url: u };
    const date = parseDate(call.params.get('date') ?? call.params.get('date1'));
    if (date) ref.archive.date = date;
  }
}

/** Gives a link the role a template parameter says it has (adding the link if it was not rendered). */
function setRole(ref: Reference, url: string, role: LinkRole): void {
  if (!/^(?:https?|ftp):\/\//i.test(url)) return;
  const c = classifyUrl(url);
  const finalRole = c.role === 'identifier' ? 'identifier' : role;
  if (c.identifier) addIdentifier(ref.identifiers, c.identifier.kind, c.identifier.value);
  const existing = ref.links.find((l) => l.url === url);
  if (existing) existing.role = finalRole;
  else ref.links.push({ url, role: finalRole });
}
