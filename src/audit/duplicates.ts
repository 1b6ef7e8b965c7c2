/**
 * `duplicate-reference`: references that cite the same source and could be one named reference.
 * One warning per group (groups are closed under "same source", so three copies make one
 * finding). Two references cite the same source when, tried in this order:
 * 1. they share a DOI — and they do not when both have DOIs and none is shared;
 * 2. they share an ISBN — then only if they cite the same chapter (same title, or neither has
 *    one) and the same pages (equal, or neither gives any): different chapters of one book are
 *    different sources; two references with different ISBNs are not duplicates;
 * 3. they share a source URL (scheme, `www.`, trailing slash and fragment ignored);
 * 4. their titles match, they share a work or publisher, their dates agree when both have one
 *    and their authors overlap when both list some. Titles match when equal after
 *    normalisation (case, punctuation, quotes), when their Latin-script parts are equal (a title
 *    given with its translation: "China's AI Awakening 中国人工智能的崛起"), or when one is the
 *    other's main title (before a `:` or dash subtitle).
 * Explanatory notes (references with a `group`) are never duplicates.
 */
import { slugify } from '../core/text.js';
import { plainUrlParts } from '../core/url.js';
import type { Finding, Reference } from '../model.js';
import { type AuditContext, isNote, referenceLabels } from './context.js';
import { sameDate } from './precision.js';

/** Shortest normalised title (in characters) a partial title match may rest on. */
export const MIN_PARTIAL_TITLE = 12;

/** Case, quotes and punctuation removed; letters and digits of every script kept. */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Characters `latinPart` removes. */
const NON_LATIN_RE = /[^\p{Script=Latin}\p{N}\s'’:,.!?-]+/gu;

/** The Latin-script words of a title (and its digits), normalised. */
export const latinPart = (title: string): string => normalizeTitle(title.replace(NON_LATIN_RE, ' '));

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

function titleForms(title: string): TitleForms {
  const full = normalizeTitle(title);
  // A title all in Latin script is its own Latin part: normalised once.
  const latinOnly = title.replace(NON_LATIN_RE, ' ');
  return { full, latin: latinOnly === title ? full : normalizeTitle(latinOnly), main: mainTitle(title) };
}

function formsMatch(a: TitleForms, b: TitleForms): boolean {
  if (!a.full || !b.full) return false;
  if (a.full === b.full) return true;
  if (a.latin.length >= MIN_PARTIAL_TITLE && a.latin === b.latin) return true;
  return (
    (a.main !== undefined && a.main.length >= MIN_PARTIAL_TITLE && a.main === b.full) ||
    (b.main !== undefined && b.main.length >= MIN_PARTIAL_TITLE && b.main === a.full)
  );
}

export const titlesMatch = (a: string, b: string): boolean => formsMatch(titleForms(a), titleForms(b));

const normalizeVenue = (v: string): string => normalizeTitle(v).replace(/^the /, '');

/** A URL reduced to what identifies the page. */
export function normalizeUrl(raw: string): string {
  const trimmed = raw.trim();
  const plain = plainUrlParts(trimmed);
  if (plain !== undefined)
    return `${plain.hostname.replace(/^www\./, '')}${plain.pathname.replace(/\/+$/, '')}${plain.search}`;
  try {
    const u = new URL(trimmed);
    const host = u.hostname.toLowerCase().replace(/^www\./, '');
    const path = u.pathname.replace(/\/+$/, '');
    return `${host}${path}${u.search}`;
  } catch {
    return raw.trim().toLowerCase();
  }
}

/** Pages a full citation names (`pp. 36–54`, `p. 12`), dashes unified. */
export function pagesOf(text: string): string | undefined {
  const m = text.match(/\bpp?\.\s*([\dxivlc]+(?:\s*[-–—]\s*[\dxivlc]+)?)/i);
  return m ? m[1]!.replace(/\s*[-–—]\s*/, '-').toLowerCase() : undefined;
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * Words of the authors' names (surnames and given names), to see whether two lists overlap.
 * A profile's collections are lists, not sets: they hold a value or two, and a list repeating
 * one answers every question the same (`shared` finds the same first value).
 */
const authorWords = (authors: readonly string[]): readonly string[] =>
  authors.length === 0
    ? NONE
    : authors.flatMap((a) => normalizeTitle(a).split(' ')).filter((w) => w.length >= 3);

interface Profile {
  ref: Reference;
  dois: readonly string[];
  isbns: readonly string[];
  urls: readonly string[];
  venues: readonly string[];
  authors: readonly string[];
  pages: string | undefined;
  title: TitleForms | undefined;
}

/**
 * A reference's normalised forms. `venueOf` normalises a work or publisher; the audit passes a
 * memo of {@link normalizeVenue}, since a few venues (one website, one newspaper) recur across
 * hundreds of references.
 */
function profile(ref: Reference, venueOf: (venue: string) => string = normalizeVenue): Profile {
  let urls = NONE;
  for (let k = 0; k < ref.links.length; k++) {
    const l = ref.links[k]!;
    if (l.role !== 'source') continue;
    // Most references have one source link: a list of one holds it without the room for
    // sixteen more that a first `push` makes (a profile lives until the audit ends).
    if (urls === NONE) urls = [normalizeUrl(l.url)];
    else (urls as string[]).push(normalizeUrl(l.url));
  }
  const work = ref.work ? venueOf(ref.work) : '';
  const publisher = ref.publisher ? venueOf(ref.publisher) : '';
  const venues = work
    ? publisher && publisher !== work
      ? [work, publisher]
      : [work]
    : publisher
      ? [publisher]
      : NONE;
  return {
    ref,
    dois: ref.identifiers.doi,
    isbns: ref.identifiers.isbn,
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

function shared<T>(a: readonly T[], b: readonly T[]): T | undefined {
  for (let k = 0; k < a.length; k++) if (b.includes(a[k]!)) return a[k];
  return undefined;
}

/** Where a profile is filed, and where it looks for the profiles that could cite its source. */
interface Keys {
  /** Buckets this profile is filed under. */
  file: number[];
  /** Buckets whose members this profile is compared with. */
  look: number[];
}

/** Largest id + 1 that {@link KeyIds} can hand out: a `Map` holds fewer entries than this. */
const ID_RADIX = 2 ** 26;

/**
 * Small dense ids for the strings bucket keys are made of, and for pairs of ids: a key is one
 * small integer instead of a string of its parts (a venue, a title, a year…) that every bucket
 * lookup would flatten and hash. Equal parts give equal ids, different parts different ones.
 */
class KeyIds {
  readonly #strings = new Map<string, number>();
  readonly #pairs = new Map<number, number>();

  of(s: string): number {
    let id = this.#strings.get(s);
    if (id === undefined) {
      id = this.#strings.size;
      this.#strings.set(s, id);
    }
    return id;
  }

  /** The id of the pair `(a, b)` of ids (or small codes). */
  pair(a: number, b: number): number {
    const key = a * ID_RADIX + b;
    let id = this.#pairs.get(key);
    if (id === undefined) {
      id = this.#pairs.size;
      this.#pairs.set(key, id);
    }
    return id;
  }
}

/**
 * What a key is of: the last three bits of every key, above them the class (see `classOf`) for
 * URL and title keys, then the id of the key's parts. Keys of one kind are built from the same
 * parts the same way, so two keys are equal exactly when their kinds and parts are. Ids stay
 * below 2^25 (a `Map`'s size), so every key is an exact integer.
 */
const DOI_KEY = 0;
const ISBN_KEY = 1;
const URL_KEY = 2;
const FULL_KEY = 3;
const MAIN_KEY = 4;
const LATIN_KEY = 5;
const keyOf = (kind: number, id: number, cls = 0): number => (id * 4 + cls) * 8 + kind;

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
/** Which of DOI and ISBN a profile has: bit 1 a DOI, bit 2 an ISBN. */
const classOf = (p: Profile): number => (p.dois.length > 0 ? 1 : 0) | (p.isbns.length > 0 ? 2 : 0);

const CLASSES = [0, 1, 2, 3] as const;

/**
 * The classes a profile of class `has` looks in: those some profile has (`present`), without
 * DOIs when it has one, without ISBNs when it has one.
 */
const partnersOf = (has: number, present: ReadonlySet<number>): number[] =>
  CLASSES.filter((c) => present.has(c) && (has & c) === 0);

/** Ids of the year parts of title keys: `dated` and `undated` beside the years. */
interface YearIds {
  dated: number;
  undated: number;
}

/**
 * The keys of the profile `keysOf` works on, with explicit lengths: they are copied out at their
 * size when it is done (every profile's keys live until the candidates are found, and lists
 * grown by `push` have room for sixteen), and the room is reused for the next profile.
 */
const scratch = { file: [] as number[], fileCount: 0, look: [] as number[], lookCount: 0 };

const fileKey = (key: number): void => {
  scratch.file[scratch.fileCount++] = key;
};
const lookKey = (key: number): void => {
  scratch.look[scratch.lookCount++] = key;
};

/** `partnersByClass`: for each class, the classes it looks in (see {@link partnersOf}). */
function keysOf(
  p: Profile,
  partnersByClass: readonly (readonly number[])[],
  ids: KeyIds,
  years: YearIds,
): Keys {
  scratch.fileCount = 0;
  scratch.lookCount = 0;
  addKeys(p, partnersByClass, ids, years);
  return {
    file: scratch.file.slice(0, scratch.fileCount),
    look: scratch.look.slice(0, scratch.lookCount),
  };
}

/** Adds the keys of `p` to `scratch` (see {@link keysOf}). */
function addKeys(
  p: Profile,
  partnersByClass: readonly (readonly number[])[],
  ids: KeyIds,
  years: YearIds,
): void {
  // Indexed loops: for-of allocates an iterator result per step until the code is optimised.
  for (let k = 0; k < p.dois.length; k++) {
    const key = keyOf(DOI_KEY, ids.of(p.dois[k]!));
    fileKey(key);
    lookKey(key);
  }
  if (p.isbns.length > 0) {
    const chapter = p.title === undefined ? '\u0001' : `t${p.title.full}`;
    const pages = p.pages ?? '\u0001';
    for (let k = 0; k < p.isbns.length; k++) {
      const key = keyOf(ISBN_KEY, ids.of(`${p.isbns[k]!}\0${chapter}\0${pages}`));
      fileKey(key);
      lookKey(key);
    }
  }
  // Rules 3 and 4 never join two references that both have DOIs or both have ISBNs (rules 1
  // and 2 decide those), so URL and title keys carry which of the two a reference has.
  const has = classOf(p);
  // Only classes some reference has: a newspaper-heavy article looks in one bucket, not four.
  const partners = partnersByClass[has]!;
  const both = (kind: number, id: number, filed: boolean, looked: boolean): void => {
    if (filed) fileKey(keyOf(kind, id, has));
    if (looked) for (let k = 0; k < partners.length; k++) lookKey(keyOf(kind, id, partners[k]!));
  };
  for (let k = 0; k < p.urls.length; k++) both(URL_KEY, ids.of(p.urls[k]!), true, true);
  const t = p.title;
  if (t === undefined || !t.full || p.venues.length === 0) return;
  // Keys of the title rule, then the year: filed under its year and `dated` (or `undated`),
  // looked up in its year and `undated` (or, undated, in both).
  const date = p.ref.date;
  const year = date === undefined ? undefined : ids.of(date.slice(0, 4));
  /** Title keys of `titleId` at `venue`: filed as `fileAs`, looked up as `lookAs` (and `alsoLookAs`). */
  const titled = (
    titleId: number,
    venue: number,
    fileAs: number,
    lookAs: number,
    alsoLookAs?: number,
  ): void => {
    const vt = ids.pair(venue, titleId);
    const own = ids.pair(vt, year ?? years.undated);
    both(fileAs, own, true, false);
    if (year !== undefined) both(fileAs, ids.pair(vt, years.dated), true, false);
    const other = ids.pair(vt, year === undefined ? years.dated : years.undated);
    both(lookAs, own, false, true);
    both(lookAs, other, false, true);
    if (alsoLookAs !== undefined) {
      both(alsoLookAs, own, false, true);
      both(alsoLookAs, other, false, true);
    }
  };
  const full = ids.of(t.full);
  const latin = t.latin.length >= MIN_PARTIAL_TITLE ? ids.of(t.latin) : undefined;
  const main = t.main !== undefined && t.main.length >= MIN_PARTIAL_TITLE ? ids.of(t.main) : undefined;
  for (let k = 0; k < p.venues.length; k++) {
    const venue = ids.of(p.venues[k]!);
    // Its full title: filed as such, looked up as a full title and as another's main title.
    titled(full, venue, FULL_KEY, FULL_KEY, MAIN_KEY);
    if (latin !== undefined) titled(latin, venue, LATIN_KEY, LATIN_KEY);
    // Its main title: filed as such, looked up as another's full title.
    if (main !== undefined) titled(main, venue, MAIN_KEY, FULL_KEY);
  }
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
  const partnersByClass = CLASSES.map((c) => partnersOf(c, present));
  const ids = new KeyIds();
  const years: YearIds = { dated: ids.of('dated'), undated: ids.of('undated') };
  const keys = profiles.map((p) => keysOf(p, partnersByClass, ids, years));
  const buckets = new Map<number, number[]>();
  // Indexed loops here and below: `for…of` allocates an iterator result per step until the
  // loop is optimised, and these run over every key of every profile.
  keys.forEach((k, i) => {
    const file = k.file;
    for (let f = 0; f < file.length; f++) {
      const key = file[f]!;
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
    const look = k.look;
    for (let l = 0; l < look.length; l++) {
      const key = look[l]!;
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
    for (let x = 0; x < found.length; x++) visit(i, found[x]!);
  });
}

/** Same chapter of a book: the same title, or no title on either. */
const sameChapter = (a: Profile, b: Profile): boolean =>
  a.title === undefined || b.title === undefined ? a.title === b.title : a.title.full === b.title.full;

/** Why two references cite the same source, or undefined when they do not. */
export function sameSourceReason(a: Reference, b: Reference): string | undefined {
  return sameSource(profile(a), profile(b));
}

function sameSource(a: Profile, b: Profile): string | undefined {
  const doi = shared(a.dois, b.dois);
  if (doi) return `same DOI ${doi}`;
  if (a.dois.length > 0 && b.dois.length > 0) return undefined;
  const isbn = shared(a.isbns, b.isbns);
  if (isbn) {
    if (!sameChapter(a, b) || a.pages !== b.pages) return undefined;
    return `same ISBN ${isbn}${a.pages ? ` and pages ${a.pages}` : ''}`;
  }
  if (a.isbns.length > 0 && b.isbns.length > 0) return undefined;
  const url = shared(a.urls, b.urls);
  if (url) return `same URL ${url}`;
  if (!a.title || !b.title || !shared(a.venues, b.venues) || !formsMatch(a.title, b.title)) return undefined;
  const da = a.ref.date;
  const db = b.ref.date;
  if (da && db && !sameDate(da, db)) return undefined;
  if (a.authors.length > 0 && b.authors.length > 0 && !shared(a.authors, b.authors)) return undefined;
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
export function suggestRefName(refs: readonly Reference[]): string {
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

export function auditDuplicates(ctx: AuditContext): Finding[] {
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
  // `forEach`, not `for…of`: no entry array and no iterator result per group (a group per
  // reference when there are no duplicates), in the same order.
  members.forEach((refs, root) => {
    if (refs.length < 2) return;
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
  });
  return findings;
}
