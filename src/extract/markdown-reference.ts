/**
 * One numbered entry of the export's reference list turned into a `Reference`: backlink
 * debris stripped, inline Markdown rendered, citation fields read, real link targets kept.
 */
import { parseDate } from '../core/dates.js';
import { emptyReference, type Link, type LinkRole, type Reference, type Tag } from '../model.js';
import { parseCitation } from './markdown-citation.js';
import { type InlineLink, renderInline } from './markdown-inline.js';

/**
 * The backlink forms the export leaves in front of a reference: `^`, `^a`, `^{a b}`, `[^]`,
 * `[Jump up to:](#)`, `^{Jump up to:}` — in any order and number.
 */
const BACKLINK =
  /^(?:\s+|\^\{\s*Jump up to:?\s*\}|\^\{[a-z ]{1,80}\}|\^[a-z]{1,2}(?=[\s[^]|$)|\^(?=[\s[]|$)|\[\^\]|\[\s*Jump up to:?\s*\]\([^)\n]{0,500}\)|Jump up to:?)/;
/** `[Jump up to:^a ^b "Title". Work](#)`: the backlinks moved inside the link's text. */
const BACKLINK_IN_LINK = /^\[\s*\^?\s*Jump up to:?\s*(?:\^\{[a-z ]{1,80}\}\s*|\^[a-z]{1,2}\s*)*/;

/** Removes the backlink debris in front of a reference's text. */
export function stripBacklinks(content: string): string {
  let s = content;
  for (let m = s.match(BACKLINK); m && m[0].length > 0; m = s.match(BACKLINK)) s = s.slice(m[0].length);
  return s.replace(BACKLINK_IN_LINK, '[');
}

const IDENTIFIER_HOST =
  /^(?:(?:dx\.)?doi\.org|hdl\.handle\.net|pubmed\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov|(?:export\.)?arxiv\.org|ui\.adsabs\.harvard\.edu|api\.semanticscholar\.org|(?:www\.)?jstor\.org|(?:www\.|search\.)?worldcat\.org)$/;
const ARCHIVE_HOST =
  /^(?:web\.archive\.org|wayback\.archive-it\.org|archive\.(?:today|ph|is|li|md|org)|(?:www\.)?webcitation\.org|ghostarchive\.org)$/;
/** Links into the wiki itself (an author's article, a publisher's article) are not sources. */
const WIKI_HOST = /(?:^|\.)(?:wikipedia|wikimedia|wikidata|wiktionary|wikisource|mediawiki)\.org$/;

function hostOf(url: string): string | undefined {
  if (!/^(?:https?:)?\/\//i.test(url)) return undefined;
  try {
    return new URL(url.startsWith('//') ? `https:${url}` : url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The role of a link kept in a reference, or `undefined` for a link that is not a source. */
function linkRole(link: InlineLink): LinkRole | undefined {
  const host = hostOf(link.url);
  if (host === undefined || WIKI_HOST.test(host)) return undefined;
  if (IDENTIFIER_HOST.test(host)) return 'identifier';
  if (ARCHIVE_HOST.test(host) || /^archived$/i.test(link.text)) return 'archive';
  return 'source';
}

function referenceLinks(links: readonly InlineLink[]): Link[] {
  const out: Link[] = [];
  for (const link of links) {
    const role = linkRole(link);
    if (role === undefined || out.some((l) => l.url === link.url)) continue;
    out.push(link.text ? { url: link.url, role, text: link.text } : { url: link.url, role });
  }
  return out;
}

export interface BuiltReference {
  reference: Reference;
  /** Maintenance tags written inside the reference (`[dead link]`). */
  tags: Tag[];
}

/**
 * Builds the reference numbered `number` from its content (the text after `N. `, continuation
 * lines included) found at `line`.
 */
export function buildReference(
  id: string,
  number: number | undefined,
  content: string,
  line: number,
): BuiltReference {
  const rendered = renderInline(stripBacklinks(content));
  const ref = emptyReference(id, rendered.text);
  if (number !== undefined && number > 0) ref.number = number;
  ref.line = line;

  const f = parseCitation(rendered.text, rendered.italics);
  if (f.title !== undefined) ref.title = f.title;
  ref.authors = f.authors;
  if (f.date !== undefined) ref.date = f.date;
  if (f.work !== undefined) ref.work = f.work;
  if (f.publisher !== undefined) ref.publisher = f.publisher;
  if (f.citationClass !== undefined) ref.citationClass = f.citationClass;
  ref.identifiers = f.identifiers;
  if (f.accessDate !== undefined) ref.accessDate = f.accessDate;
  if (f.doiInactiveSince !== undefined) ref.doiInactiveSince = f.doiInactiveSince;

  ref.links = referenceLinks(rendered.links);
  const archiveLink = ref.links.find((l) => l.role === 'archive');
  ref.archive = { present: f.archived || archiveLink !== undefined };
  if (archiveLink) ref.archive.url = archiveLink.url;
  const archiveDate = f.archiveDate ?? parseDate(archiveLink?.url.match(/\/web\/(\d{8})\d*/)?.[1]);
  if (archiveDate !== undefined) ref.archive.date = archiveDate;

  const tags: Tag[] = [];
  for (const marker of rendered.markers) {
    for (const item of marker.items) {
      if (item.kind !== 'tag') continue;
      tags.push({ kind: item.tag, text: item.text, block: -1, sentence: 0, referenceId: id, line });
      if (item.tag === 'dead-link') ref.deadLinkTag = { fixAttempted: /permanent/i.test(item.text) };
    }
  }
  return { reference: ref, tags };
}
