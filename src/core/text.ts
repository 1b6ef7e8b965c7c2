/** Small text utilities shared by the extractors and the reporters. */

/** A file-name-safe slug: `Artificial intelligence industry in China` → `artificial-intelligence-industry-in-china`. */
export function slugify(title: string): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
  return s || 'article';
}

/** Whitespace that `squash` would change inside a string: anything but a lone space. */
const UNSQUASHED_RE = /[^\S ]| {2}/;

/** Collapses runs of whitespace and trims. */
export const squash = (s: string): string =>
  // Most text is already squashed: a replace would copy it all the same.
  UNSQUASHED_RE.test(s) ? s.replace(/\s+/g, ' ').trim() : s.trim();

const ABBREVIATIONS =
  /(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs|etc|e\.g|i\.e|cf|al|Inc|Ltd|Co|No|Vol|pp|ed|eds|U\.S|U\.K|D\.C|Gen|Gov|Sen|Rep|approx|ca|c)\.|\b[A-Z]\.)$/;

/** Where a sentence may end (see `splitSentences`). */
const SENTENCE_END_RE = /[.!?。！？]["'”’)\]]*(?=\s+["'“‘([]?[\p{Lu}\p{N}\p{Script=Han}])|[。！？](?=\S)/gu;

/**
 * Splits plain text into sentences. Conservative: a sentence ends at `.`, `!`, `?` or `。`
 * (optionally followed by closing quotes or brackets) before whitespace and an upper-case
 * letter, digit, quote or CJK character — and not after a known abbreviation or an initial.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  // `exec` on the module's regex (nothing in the loop uses it), not `matchAll`: no iterator
  // and no copy of the regex per call. A match is never empty, so `exec` moves on by itself.
  const re = SENTENCE_END_RE;
  re.lastIndex = 0;
  let start = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const end = m.index + m[0].length;
    const candidate = text.slice(start, end);
    if (/[.]$/.test(m[0]) && ABBREVIATIONS.test(candidate.trimEnd())) continue;
    const s = candidate.trim();
    if (s) out.push(s);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/**
 * Index of the last of `starts` (ascending) that is below `offset`, or -1 when none is: the
 * sentence a marker at `offset` follows. A binary search, so that a paragraph with tens of
 * thousands of markers and sentences stays linear overall.
 */
export function lastStartBefore(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
