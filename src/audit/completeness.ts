/**
 * Whether a reader can find and judge a source: `incomplete-citation` (one warning per
 * reference listing every gap) and `no-archive` (a web source with no archive copy).
 *
 * Decisions:
 * - An identifier of the item itself (DOI, ISBN, PMID, arXiv, JSTOR, OCLC, …) pins the source,
 *   so a date or a publisher missing beside it is not a gap: the identifier's record has
 *   them. An ISSN names the periodical, not the article, and pins nothing.
 * - A short citation (`Smith 2020, p. 5`) without title, link or identifier points at a full
 *   citation elsewhere (Harvard style) and is not reported.
 * - Explanatory notes (references with a `group`) are not citations and are skipped.
 * - Web source: a reference with a source link, or — since exports can lose the URLs — one with
 *   an access date and no identifier of the item. `no-archive` is `info` (archiving is
 *   prevention), `warning` when the link is already marked dead (`url-status`, `[dead link]`).
 */

import type { Finding } from '../model.js';
import { IDENTIFIER_KINDS, type Reference } from '../model.js';
import { type AuditContext, isNote, referenceFinding, referenceLabel, upperFirst } from './context.js';

/** Identifier kinds that name one item (not a periodical). */
export const ITEM_IDENTIFIER_KINDS = IDENTIFIER_KINDS.filter((k) => k !== 'issn');

export function hasItemIdentifier(ref: Reference): boolean {
  for (let k = 0; k < ITEM_IDENTIFIER_KINDS.length; k++)
    if (ref.identifiers[ITEM_IDENTIFIER_KINDS[k]!].length > 0) return true;
  return false;
}

/** `Smith 2020`, `Smith & Jones (2020), pp. 12–14`, `Smith 2020a: 5`. */
const SHORT_CITATION =
  /^\p{Lu}[^()\d]{0,80}?\s\(?\d{4}[a-z]?\)?(?:[,:]\s*(?:pp?\.\s*)?[\dxivlc]+(?:\s*[-–]\s*[\dxivlc]+)?)?\.?$/u;

const hasLink = (ref: Reference): boolean => ref.links.length > 0 || ref.archive.url !== undefined;

interface Gap {
  what: string;
  fix: string;
}

/** What a reference lacks for a reader to find and judge it; empty when complete. */
export function citationGaps(ref: Reference): Gap[] {
  const pinned = hasItemIdentifier(ref);
  if (!ref.title && !hasLink(ref) && !pinned && SHORT_CITATION.test(ref.text.trim())) return [];
  const gaps: Gap[] = [];
  if (!ref.date && !pinned) gaps.push({ what: 'no date', fix: '|date=' });
  if (!ref.work && !ref.publisher && !pinned) {
    gaps.push({
      what: 'no publisher or work',
      fix: '|work= (|website=, |newspaper=, |journal=) or |publisher=',
    });
  }
  if (!ref.title && !hasLink(ref) && !pinned) {
    gaps.push({
      what: 'nothing to find the source by (no title, link or identifier)',
      fix: '|title= and |url= or an identifier (|doi=, |isbn=, …)',
    });
  }
  return gaps;
}

function incompleteCitations(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const references = ctx.article.references;
  // Indexed loops over the references: `for…of` allocates an iterator result per step until
  // the loop is optimised, and these run once, over thousands of references.
  for (let r = 0; r < references.length; r++) {
    const ref = references[r]!;
    if (isNote(ref)) continue;
    const gaps = citationGaps(ref);
    if (gaps.length === 0) continue;
    findings.push(
      referenceFinding(ctx, ref, {
        kind: 'incomplete-citation',
        severity: 'warning',
        message: `${upperFirst(referenceLabel(ref))} is incomplete: ${gaps.map((g) => g.what).join(', ')}.`,
        suggestion: `Add ${gaps.map((g) => g.fix).join('; ')} from the source.`,
      }),
    );
  }
  return findings;
}

const DEAD_URL_STATUSES: ReadonlySet<string> = new Set(['dead', 'unfit', 'usurped']);

/** A source read on the web, whose page can change or vanish. */
export const isWebSource = (ref: Reference): boolean =>
  ref.links.some((l) => l.role === 'source') || (ref.accessDate !== undefined && !hasItemIdentifier(ref));

const isArchived = (ref: Reference): boolean =>
  ref.archive.present || ref.links.some((l) => l.role === 'archive');

const isMarkedDead = (ref: Reference): boolean =>
  ref.deadLinkTag !== undefined || (ref.urlStatus !== undefined && DEAD_URL_STATUSES.has(ref.urlStatus));

function missingArchives(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const references = ctx.article.references;
  for (let r = 0; r < references.length; r++) {
    const ref = references[r]!;
    if (!isWebSource(ref) || isArchived(ref)) continue;
    const dead = isMarkedDead(ref);
    const label = upperFirst(referenceLabel(ref));
    findings.push(
      referenceFinding(ctx, ref, {
        kind: 'no-archive',
        severity: dead ? 'warning' : 'info',
        message: dead
          ? `${label} is marked dead and has no archive copy: readers cannot check it.`
          : `${label} is a web source without an archive copy${ref.accessDate ? ` (retrieved ${ref.accessDate})` : ''}.`,
        suggestion: dead
          ? 'Look for a snapshot close to the access date (citewatch looks one up when online) and add |archive-url=, |archive-date= and |url-status=dead.'
          : 'Archive it (citewatch check --archive) and add |archive-url= and |archive-date=.',
      }),
    );
  }
  return findings;
}

export function auditCompleteness(ctx: AuditContext): Finding[] {
  return [...incompleteCitations(ctx), ...missingArchives(ctx)];
}
