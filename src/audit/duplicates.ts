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

/** The Latin-script words of a title (and its digits), normalised. */
export const latinPart = (title: string): string =>
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

export const titlesMatch = (a: string, b: string): boolean => formsMatch(titleForms(a), titleForms(b));

const normalizeVenue = (v: string): string => normalizeTitle(v).replace(/^the /, '');

/** A URL reduced to what identifies the page. */
export function normalizeUrl(raw: string): string {
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
export function pagesOf(text: string): string | undefined {
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

function profile(ref: Reference): Profile {
  return {
    ref,
    dois: new Set(ref.identifiers.doi),
    isbns: new Set(ref.identifiers.isbn),
    urls: new Set(ref.links.filter((l) => l.role === 'source').map((l) => normalizeUrl(l.url))),
    venues: new Set([ref.work, ref.publisher].flatMap((v) => (v ? [normalizeVenue(v)] : [])).filter(Boolean)),
    authors: authorWords(ref.authors),
    pages: pagesOf(ref.text),
    title: ref.title === undefined ? undefined : titleForms(ref.title),
  };
}

function shared<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): T | undefined {
  for (const x of a) if (b.has(x)) return x;
  return undefined;
}

/**
 * Pairs of profiles that share a DOI, ISBN, URL or venue — the only pairs any rule can call the
 * same source — each once, `i < j`, in order.
 */
function candidatePairs(profiles: readonly Profile[]): Array<[number, number]> {
  const buckets = new Map<string, number[]>();
  profiles.forEach((p, i) => {
    const keys = [
      ...[...p.dois].map((v) => `doi ${v}`),
      ...[...p.isbns].map((v) => `isbn ${v}`),
      ...[...p.urls].map((v) => `url ${v}`),
      ...[...p.venues].map((v) => `venue ${v}`),
    ];
    for (const key of keys) {
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
  });
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const bucket of buckets.values()) {
    for (let x = 0; x < bucket.length; x++) {
      for (let y = x + 1; y < bucket.length; y++) {
        const i = bucket[x]!;
        const j = bucket[y]!;
        const id = i * profiles.length + j;
        if (seen.has(id)) continue;
        seen.add(id);
        pairs.push([i, j]);
      }
    }
  }
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
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
    this.#parent[i] = root;
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
  const profiles = ctx.article.references.filter((r) => !isNote(r)).map(profile);
  const groups = new Groups(profiles.length);
  const reasons = new Map<number, Set<string>>();
  for (const [i, j] of candidatePairs(profiles)) {
    const reason = sameSource(profiles[i]!, profiles[j]!);
    if (reason === undefined) continue;
    groups.union(i, j);
    const root = groups.find(i);
    const set = reasons.get(root) ?? new Set<string>();
    set.add(reason);
    reasons.set(root, set);
  }
  const members = new Map<number, Reference[]>();
  profiles.forEach((p, i) => {
    const root = groups.find(i);
    const list = members.get(root);
    if (list) list.push(p.ref);
    else members.set(root, [p.ref]);
  });
  const findings: Finding[] = [];
  for (const [root, refs] of members) {
    if (refs.length < 2) continue;
    // A later union can move the root; collect reasons from every member's original root.
    const why = new Set<string>(
      [...reasons].filter(([r]) => groups.find(r) === root).flatMap(([, s]) => [...s]),
    );
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
