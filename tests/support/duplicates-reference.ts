/**
 * The `duplicate-reference` audit as it was before issue 14 (session 6) keyed its candidate
 * buckets by small integers instead of strings and read plain URLs without `new URL`: word for
 * word, only `auditDuplicates` renamed `auditDuplicatesBefore` (the module's other exports made
 * private, `titlesMatch` and `sameSourceReason` left out). Kept only as the reference of `tests/audit-duplicates-differential.test.ts`.
 */

import { type AuditContext, isNote, referenceLabels } from '../../src/audit/context.js';
import { sameDate } from '../../src/audit/precision.js';
import { slugify } from '../../src/core/text.js';
import type { Finding, Reference } from '../../src/model.js';

/** Shortest normalised title (in characters) a partial title match may rest on. */
const MIN_PARTIAL_TITLE = 12;

/** Case, quotes and punctuation removed; letters and digits of every script kept. */
function normalizeTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The Latin-script words of a title (and its digits), normalised. */
const latinPart = (title: string): string =>
  normalizeTitle(title.replace(/[^\p{Script=Latin}\p{N}\s'’:,.!?-]+/gu, ' '));

/** The title before its subtitle, normalised; undefined when there is no subtitle. */
function mainTitle(title: string): string | undefined {
  const m = title.match(/^(.+?)(?:\s*[:：]\s+|\s+[-–—]\s+)\S/u);
  return m ? normalizeTitle(m[1]!) : undefined;
}

/** A title's normalised forms, computed once per reference. */
interface TitleForms {
  full: string;
  latin: string;
  main: string | undefined;
}

const titleForms = (title: string): TitleForms => ({
  full: normalizeTitle(title),
  latin: latinPart(title),
  main: mainTitle(title),
});

function formsMatch(a: TitleForms, b: TitleForms): boolean {
  if (!a.full || !b.full) return false;
  if (a.full === b.full) return true;
  if (a.latin.length >= MIN_PARTIAL_TITLE && a.latin === b.latin) return true;
  return (
    (a.main !== undefined && a.main.length >= MIN_PARTIAL_TITLE && a.main === b.full) ||
    (b.main !== undefined && b.main.length >= MIN_PARTIAL_TITLE && b.main === a.full)
  );
}

const normalizeVenue = (v: string): string => normalizeTitle(v).replace(/^the /, '');

/** A URL reduced to what identifies the page. */
function normalizeUrl(raw: string): string {
  try {
    const u = new URL(raw.trim());
    const host = u.hostname.toLowerCase().replace(/^www\./, '');
    const path = u.pathname.replace(/\/+$/, '');
    return `${host}${path}${u.search}`;
  } catch {
    return raw.trim().toLowerCase();
  }
}

/** Pages a full citation names (`pp. 36–54`, `p. 12`), dashes unified. */
function pagesOf(text: string): string | undefined {
  const m = text.match(/\bpp?\.\s*([\dxivlc]+(?:\s*[-–—]\s*[\dxivlc]+)?)/i);
  return m ? m[1]!.replace(/\s*[-–—]\s*/, '-').toLowerCase() : undefined;
}

/** Words of the authors' names (surnames and given names), to see whether two lists overlap. */
const authorWords = (authors: readonly string[]): Set<string> =>
  new Set(authors.flatMap((a) => normalizeTitle(a).split(' ')).filter((w) => w.length >= 3));

interface Profile {
  ref: Reference;
  dois: ReadonlySet<string>;
  isbns: ReadonlySet<string>;
  urls: ReadonlySet<string>;
  venues: ReadonlySet<string>;
  authors: ReadonlySet<string>;
  pages: string | undefined;
  title: TitleForms | undefined;
}

/**
 * A reference's normalised forms. `venueOf` normalises a work or publisher; the audit passes a
 * memo of {@link normalizeVenue}, since a few venues (one website, one newspaper) recur across
 * hundreds of references.
 */
function profile(ref: Reference, venueOf: (venue: string) => string = normalizeVenue): Profile {
  const urls = new Set<string>();
  for (const l of ref.links) if (l.role === 'source') urls.add(normalizeUrl(l.url));
  const venues = new Set<string>();
  for (const v of [ref.work, ref.publisher]) {
    const venue = v ? venueOf(v) : '';
    if (venue) venues.add(venue);
  }
  return {
    ref,
    dois: new Set(ref.identifiers.doi),
    isbns: new Set(ref.identifiers.isbn),
    urls,
    venues,
    authors: authorWords(ref.authors),
    pages: pagesOf(ref.text),
    title: ref.title === undefined ? undefined : titleForms(ref.title),
  };
}

/** `normalizeVenue` remembering its answers, for one audit. */
function venueMemo(): (venue: string) => string {
  const known = new Map<string, string>();
  return (venue) => {
    let normal = known.get(venue);
    if (normal === undefined) {
      normal = normalizeVenue(venue);
      known.set(venue, normal);
    }
    return normal;
  };
}

function shared<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): T | undefined {
  for (const x of a) if (b.has(x)) return x;
  return undefined;
}

/** Where a profile is filed, and where it looks for the profiles that could cite its source. */
interface Keys {
  /** Buckets this profile is filed under. */
  file: string[];
  /** Buckets whose members this profile is compared with. */
  look: string[];
}

/**
 * The buckets of a profile. Two profiles can only be the same source when one looks in a bucket
 * the other is filed under, and every rule has such a pair of keys; the keys are as narrow as
 * the rules allow, so that a venue shared by thousands of references (one newspaper, one
 * journal) gives thousands of small buckets, not one bucket of millions of pairs:
 * - DOI and URL: the value itself;
 * - ISBN: the value with the chapter title and the pages, which rule 2 requires equal;
 * - title and venue: the venue with the full title, or the Latin part (long enough), or the
 *   main title looking for that full title; then the year, which equal dates share — an
 *   undated reference is compared with every dated one and the other way round;
 * - URL and title keys also say whether the reference has a DOI and an ISBN: two references
 *   that both have one are decided by rule 1 or 2 alone (one book cited at 6000 pages stays
 *   6000 small buckets).
 */
/** Which of DOI and ISBN a profile has: `--`, `d-`, `-i` or `di`. */
const classOf = (p: Profile): string => `${p.dois.size > 0 ? 'd' : '-'}${p.isbns.size > 0 ? 'i' : '-'}`;

const CLASSES = ['--', 'd-', '-i', 'di'] as const;
const UNDATED_FILED = ['undated'];
const UNDATED_LOOKED = ['undated', 'dated'];

/**
 * The classes a profile of class `has` looks in: those some profile has (`present`), without
 * DOIs when it has one, without ISBNs when it has one.
 */
const partnersOf = (has: string, present: ReadonlySet<string>): string[] =>
  CLASSES.filter(
    (c) => present.has(c) && !(has[0] === 'd' && c[0] === 'd') && !(has[1] === 'i' && c[1] === 'i'),
  );

/** `partnersByClass`: for each class, the classes it looks in (see {@link partnersOf}). */
function keysOf(p: Profile, partnersByClass: ReadonlyMap<string, readonly string[]>): Keys {
  const file: string[] = [];
  const look: string[] = [];
  const both = (key: string): void => {
    file.push(key);
    look.push(key);
  };
  for (const v of p.dois) both(`doi\0${v}`);
  if (p.isbns.size > 0) {
    const chapter = p.title === undefined ? '\u0001' : `t${p.title.full}`;
    const pages = p.pages ?? '\u0001';
    for (const v of p.isbns) both(`isbn\0${v}\0${chapter}\0${pages}`);
  }
  // Rules 3 and 4 never join two references that both have DOIs or both have ISBNs (rules 1
  // and 2 decide those), so URL and title keys carry which of the two a reference has.
  const has = classOf(p);
  // Only classes some reference has: a newspaper-heavy article looks in one bucket, not four.
  const partners = partnersByClass.get(has)!;
  const later = (key: string): void => {
    file.push(`${key}\0${has}`);
    for (const c of partners) look.push(`${key}\0${c}`);
  };
  for (const v of p.urls) later(`url\0${v}`);
  const t = p.title;
  if (t === undefined || !t.full || p.venues.size === 0) return { file, look };
  // Keys of the title rule, then the year: filed under its year and `dated` (or `undated`),
  // looked up in its year and `undated` (or, undated, in both).
  const year = p.ref.date?.slice(0, 4);
  const filed = year === undefined ? UNDATED_FILED : [year, 'dated'];
  const looked = year === undefined ? UNDATED_LOOKED : [year, 'undated'];
  const fileTitled = (f: string): void => {
    for (const y of filed) file.push(`${f}\0${y}\0${has}`);
  };
  const lookTitled = (l: string): void => {
    for (const y of looked) for (const c of partners) look.push(`${l}\0${y}\0${c}`);
  };
  for (const v of p.venues) {
    const full = `full\0${v}\0${t.full}`;
    fileTitled(full);
    lookTitled(full);
    lookTitled(`main\0${v}\0${t.full}`);
    if (t.latin.length >= MIN_PARTIAL_TITLE) {
      const latin = `latin\0${v}\0${t.latin}`;
      fileTitled(latin);
      lookTitled(latin);
    }
    if (t.main !== undefined && t.main.length >= MIN_PARTIAL_TITLE) {
      fileTitled(`main\0${v}\0${t.main}`);
      lookTitled(`full\0${v}\0${t.main}`);
    }
  }
  return { file, look };
}

/** First index in an ascending list whose value is above `i`. */
function firstAbove(list: readonly number[], i: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Calls `visit(i, j)` for every pair of profiles that could cite the same source (see
 * {@link keysOf}), each once, `i < j`, in order. Memory stays linear: candidates are gathered
 * one `i` at a time, never as a list (or set) of all pairs.
 */
function forEachCandidate(profiles: readonly Profile[], visit: (i: number, j: number) => void): void {
  const present = new Set(profiles.map(classOf));
  const partnersByClass = new Map(CLASSES.map((c) => [c, partnersOf(c, present)]));
  const keys = profiles.map((p) => keysOf(p, partnersByClass));
  const buckets = new Map<string, number[]>();
  keys.forEach((k, i) => {
    for (const key of k.file) {
      const bucket = buckets.get(key);
      // Profiles are filed in order, so a key the profile has already filed ends its bucket.
      if (!bucket) buckets.set(key, [i]);
      else if (bucket[bucket.length - 1] !== i) bucket.push(i);
    }
  });
  // stamp[j] === i + 1 when j is already a candidate of i.
  const stamp = new Int32Array(profiles.length);
  const found: number[] = [];
  keys.forEach((k, i) => {
    found.length = 0;
    for (const key of k.look) {
      const bucket = buckets.get(key);
      if (!bucket) continue;
      for (let x = firstAbove(bucket, i); x < bucket.length; x++) {
        const j = bucket[x]!;
        if (stamp[j] === i + 1) continue;
        stamp[j] = i + 1;
        found.push(j);
      }
    }
    found.sort((a, b) => a - b);
    for (const j of found) visit(i, j);
  });
}

/** Same chapter of a book: the same title, or no title on either. */
const sameChapter = (a: Profile, b: Profile): boolean =>
  a.title === undefined || b.title === undefined ? a.title === b.title : a.title.full === b.title.full;

function sameSource(a: Profile, b: Profile): string | undefined {
  const doi = shared(a.dois, b.dois);
  if (doi) return `same DOI ${doi}`;
  if (a.dois.size > 0 && b.dois.size > 0) return undefined;
  const isbn = shared(a.isbns, b.isbns);
  if (isbn) {
    if (!sameChapter(a, b) || a.pages !== b.pages) return undefined;
    return `same ISBN ${isbn}${a.pages ? ` and pages ${a.pages}` : ''}`;
  }
  if (a.isbns.size > 0 && b.isbns.size > 0) return undefined;
  const url = shared(a.urls, b.urls);
  if (url) return `same URL ${url}`;
  if (!a.title || !b.title || !shared(a.venues, b.venues) || !formsMatch(a.title, b.title)) return undefined;
  const da = a.ref.date;
  const db = b.ref.date;
  if (da && db && !sameDate(da, db)) return undefined;
  if (a.authors.size > 0 && b.authors.size > 0 && !shared(a.authors, b.authors)) return undefined;
  return da && db ? 'same title, work and date' : 'same title and work';
}

/** Disjoint sets over reference positions. */
class Groups {
  readonly #parent: number[];
  constructor(size: number) {
    this.#parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    let root = i;
    while (this.#parent[root] !== root) root = this.#parent[root]!;
    // Every node on the path now points at the root, so long chains are walked once.
    for (let k = i; this.#parent[k] !== root; ) {
      const next = this.#parent[k]!;
      this.#parent[k] = root;
      k = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.#parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** A name for the merged reference: an existing one, else author and year, else the title. */
function suggestRefName(refs: readonly Reference[]): string {
  const named = refs.find((r) => r.name !== undefined);
  if (named?.name) return named.name;
  const first = refs[0]!;
  const author = first.authors[0];
  const surname = author ? (author.includes(',') ? author.split(',')[0]! : author.split(/\s+/).at(-1)!) : '';
  const year = refs.find((r) => r.date)?.date?.slice(0, 4);
  const base = surname
    ? slugify(surname)
    : slugify(first.title ?? first.id)
        .split('-')
        .slice(0, 4)
        .join('-');
  return year ? `${base}-${year}` : base;
}

function describeSource(ref: Reference): string {
  const parts = [ref.work ?? ref.publisher, ref.date].filter(Boolean);
  const title = ref.title ? `"${ref.title}"` : (ref.identifiers.doi[0] ?? ref.identifiers.isbn[0] ?? ref.id);
  return parts.length > 0 ? `${title} (${parts.join(', ')})` : title;
}

export function auditDuplicatesBefore(ctx: AuditContext): Finding[] {
  const venueOf = venueMemo();
  const profiles = ctx.article.references.filter((r) => !isNote(r)).map((r) => profile(r, venueOf));
  const groups = new Groups(profiles.length);
  const reasons = new Map<number, Set<string>>();
  forEachCandidate(profiles, (i, j) => {
    const reason = sameSource(profiles[i]!, profiles[j]!);
    if (reason === undefined) return;
    groups.union(i, j);
    const root = groups.find(i);
    const set = reasons.get(root) ?? new Set<string>();
    set.add(reason);
    reasons.set(root, set);
  });
  const members = new Map<number, Reference[]>();
  profiles.forEach((p, i) => {
    const root = groups.find(i);
    const list = members.get(root);
    if (list) list.push(p.ref);
    else members.set(root, [p.ref]);
  });
  // A later union can move the root; collect reasons from every member's original root, once.
  const reasonsByRoot = new Map<number, Set<string>>();
  for (const [r, set] of reasons) {
    const root = groups.find(r);
    const why = reasonsByRoot.get(root);
    if (why) for (const reason of set) why.add(reason);
    else reasonsByRoot.set(root, new Set(set));
  }
  const findings: Finding[] = [];
  for (const [root, refs] of members) {
    if (refs.length < 2) continue;
    const why = reasonsByRoot.get(root) ?? new Set<string>();
    const first = refs[0]!;
    const location: Finding['location'] = { section: ctx.referencesSection };
    if (first.line !== undefined) location.line = first.line;
    findings.push({
      kind: 'duplicate-reference',
      severity: 'warning',
      message: `${referenceLabels(refs)} cite the same source: ${describeSource(first)} — ${[...why].join('; ')}.`,
      referenceIds: refs.map((r) => r.id),
      location,
      suggestion: `Merge them into one named reference, e.g. <ref name="${suggestRefName(refs)}">, keeping the most complete citation (and its archive copy), and cite it by name at every marker.`,
    });
  }
  return findings;
}
