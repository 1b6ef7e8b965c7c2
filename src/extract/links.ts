/**
 * What a cited URL is: an identifier resolver (doi.org, PubMed, arXiv, …) is checked through
 * that identifier's service, an archive snapshot is an archive copy, anything else is a web
 * source. Shared by the HTML and wikitext extractors; pure (no I/O, no clock).
 */
import { parseDate } from '../core/dates.js';
import { plainUrlParts } from '../core/url.js';
import type { IdentifierKind, LinkRole } from '../model.js';

/** The classification of one URL. */
export interface UrlClass {
  /** `identifier`, `archive`, else `source` (callers refine `source` into `chapter`/`other`). */
  role: LinkRole;
  /** The identifier a resolver link points to, raw (callers normalise with `addIdentifier`). */
  identifier?: { kind: IdentifierKind; value: string };
  /** ISO date of an archive snapshot, from the timestamp in its URL. */
  archiveDate?: string;
}

type IdentifierRule = readonly [host: RegExp, path: RegExp, kind: IdentifierKind];

/**
 * Resolver hosts and the path that carries the identifier (group 1). Hosts are matched on the
 * whole hostname, `www.` removed; paths on the decoded path plus query.
 */
const IDENTIFIER_RULES: readonly IdentifierRule[] = [
  [/^(?:dx\.)?doi\.org$/, /^\/(10\.[^\s]+)$/, 'doi'],
  [/^hdl\.handle\.net$/, /^\/(?:hdl\/)?(\d[^?\s]*)/, 'hdl'],
  [/^pubmed\.ncbi\.nlm\.nih\.gov$/, /^\/(\d+)\/?$/, 'pmid'],
  [/^ncbi\.nlm\.nih\.gov$/, /^\/pubmed\/(\d+)\/?$/, 'pmid'],
  [/^ncbi\.nlm\.nih\.gov$/, /^\/pmc\/articles\/(PMC\d+)\/?/i, 'pmc'],
  [/^pmc\.ncbi\.nlm\.nih\.gov$/, /^\/articles\/(PMC\d+)\/?/i, 'pmc'],
  [/^europepmc\.org$/, /^\/(?:abstract|article)\/MED\/(\d+)\/?$/i, 'pmid'],
  [/^europepmc\.org$/, /^\/(?:abstract|article)\/PMC\/(PMC\d+)\/?$/i, 'pmc'],
  [/^(?:export\.)?arxiv\.org$/, /^\/(?:abs|pdf)\/([^?#\s]+?)(?:\.pdf)?\/?$/, 'arxiv'],
  [/^jstor\.org$/, /^\/stable\/(?:pdf\/)?([^?#\s/]+?)(?:\.pdf)?\/?$/, 'jstor'],
  [/^(?:search\.)?worldcat\.org$/, /^\/oclc\/(\d+)\/?/, 'oclc'],
  [/^(?:search\.)?worldcat\.org$/, /^\/issn\/(\d{4}-?\d{3}[\dXx])\/?/, 'issn'],
  [/^portal\.issn\.org$/, /^\/resource\/issn\/(\d{4}-?\d{3}[\dXx])\/?/i, 'issn'],
  [/^(?:ui\.)?adsabs\.harvard\.edu$/, /^\/(?:abs|#abs)\/([^/?#\s]{19})\/?/, 'bibcode'],
  [/^api\.semanticscholar\.org$/, /^\/CorpusID:(\d+)\/?$/i, 's2cid'],
];

/** Special:BookSources on any wiki (or a relative link to it): `…/Special:BookSources/ISBN`. */
const BOOK_SOURCES = /(?:^|\/)Special:BookSources(?:\/([\dXx-]{10,17})|\?.*\bisbn=([\dXx-]{10,17}))/i;

/**
 * Snapshot services (hostname, `www.` removed). The value is how the snapshot's timestamp is
 * found in the path: a 14-digit Wayback timestamp (8 digits at least), or archive.today's
 * `YYYY.MM.DD-hhmmss`.
 */
const ARCHIVE_HOSTS: readonly RegExp[] = [
  /^(?:web\.|wayback\.)?archive\.org$/,
  /^web-beta\.archive\.org$/,
  /^archive\.(?:today|ph|is|li|md|vn|fo)$/,
  /^webcitation\.org$/,
  /^webarchive\.nationalarchives\.gov\.uk$/,
  /^webarchive\.loc\.gov$/,
  /^wayback\.archive-it\.org$/,
  /^arquivo\.pt$/,
  /^archive\.wikiwix\.com$/,
  /^webarchive\.org\.uk$/,
  /^perma\.cc$/,
  /^ghostarchive\.org$/,
  /^vefsafn\.is$/,
  /^webarchive\.bac-lac\.gc\.ca$/,
  /^timetravel\.mementoweb\.org$/,
  /^webarchive\.library\.unt\.edu$/,
  /^swap\.stanford\.edu$/,
];

/** Any host of {@link ARCHIVE_HOSTS} or {@link IDENTIFIER_RULES} (each pattern is anchored). */
const SPECIAL_HOST = new RegExp(
  [...ARCHIVE_HOSTS, ...IDENTIFIER_RULES.map(([host]) => host)].map((re) => `(?:${re.source})`).join('|'),
);

/** archive.org paths that are snapshots (not book scans or item pages, which are sources). */
const ARCHIVE_ORG_SNAPSHOT = /^\/(?:web|wayback)\//;

const parseUrl = (raw: string): URL | undefined => {
  const s = raw.trim();
  try {
    return new URL(s.startsWith('//') ? `https:${s}` : s);
  } catch {
    return undefined;
  }
};

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * The ISO date of a snapshot from the timestamp in its path: the first 8–14 digit segment
 * (`20200304000000`, `20200304000000id_`), archive.today's `2020.03.04-000000`, or a short
 * Wayback timestamp right after `/web/` (`/web/2015/…`, `/web/201703/…`).
 */
function snapshotDate(path: string): string | undefined {
  const full = path.match(/(?:^|\/)(\d{8})\d{0,6}(?:[a-z]{2}_|\*)?(?=\/|$)/);
  if (full) return parseDate(full[1]);
  const today = path.match(/(?:^|\/)(\d{4})\.(\d{2})\.(\d{2})-\d{6}(?=\/|$)/);
  if (today) return parseDate(`${today[1]}-${today[2]}-${today[3]}`);
  const short = path.match(/^\/(?:web|wayback)\/(\d{4})(\d{2})?(?=\/|$)/);
  if (short) return parseDate(short[2] ? `${short[1]}-${short[2]}` : short[1]);
  return undefined;
}

/**
 * Classifies one URL. Never throws: a URL that does not parse is a `source` (the checker
 * reports it as malformed).
 */
export function classifyUrl(url: string): UrlClass {
  const book = url.match(BOOK_SOURCES);
  if (book) {
    const value = book[1] ?? book[2];
    if (value) return { role: 'identifier', identifier: { kind: 'isbn', value } };
  }
  // Most cited URLs are plain and their hosts are neither archives nor resolvers: one regex
  // and one test answer, without parsing a URL or trying thirty-odd patterns.
  const s = url.trim();
  const plain = plainUrlParts(s.startsWith('//') ? `https:${s}` : s);
  if (plain !== undefined && !SPECIAL_HOST.test(plain.hostname.replace(/^www\./, '')))
    return { role: 'source' };
  const u = parseUrl(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return { role: 'source' };
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  if (!SPECIAL_HOST.test(host)) return { role: 'source' };
  const path = safeDecode(u.pathname);

  // archive.org also hosts scanned books and items: only its `/web/` paths are snapshots.
  const isSnapshotHost = ARCHIVE_HOSTS.some((re) => re.test(host));
  if (isSnapshotHost && (host !== 'archive.org' || ARCHIVE_ORG_SNAPSHOT.test(path))) {
    const date = snapshotDate(path);
    return date ? { role: 'archive', archiveDate: date } : { role: 'archive' };
  }

  const target = path + safeDecode(u.search);
  for (const [hostRe, pathRe, kind] of IDENTIFIER_RULES) {
    if (!hostRe.test(host)) continue;
    const m = (kind === 'bibcode' ? path + u.hash : target).match(pathRe);
    if (m?.[1]) return { role: 'identifier', identifier: { kind, value: m[1] } };
  }
  return { role: 'source' };
}

/** True when the URL is a snapshot in a web archive (Wayback Machine, archive.today, …). */
export const isArchiveUrl = (url: string): boolean => classifyUrl(url).role === 'archive';
