/**
 * Findings from the network check, read off a checked article: dead, suspect, blocked and
 * failing links, archive copies that are not usable, DOIs and other identifiers that do not
 * resolve, and DOIs flagged inactive that resolve again. Pure: the clock is `now`.
 */

import { dateOf } from '../core/dates.js';
import { archiveParams, suggestFix } from '../fix/index.js';
import type { Article, Finding, IdentifierCheck, Link, Reference, Severity } from '../model.js';
import { describeReason } from './reasons.js';

/** Kinds of the findings this stage emits. */
export const CHECK_FINDING_KINDS = [
  'dead-link',
  'suspect-link',
  'blocked-link',
  'link-error',
  'archive-link-dead',
  'doi-unresolvable',
  'doi-inactive-flag-stale',
  'identifier-unresolved',
] as const;
export type CheckFindingKind = (typeof CHECK_FINDING_KINDS)[number];

export interface CheckFindingOptions {
  /** The run's clock (ISO instant): the date of `{{dead link}}`. */
  now: string;
  /** Dead outcomes needed for a dead verdict, for the suspect message. */
  confirm: number;
}

/** Section titles of reference lists; findings about references point there. */
const REFERENCE_SECTION =
  /^(?:references?|notes?|citations?|footnotes?|notes and references|references and notes|works cited|sources|bibliography)$/i;
const DEFAULT_REFERENCES_SECTION = 'References';

/** Longest quote of a reference's text a finding carries. */
const MAX_QUOTE = 200;

const IDENTIFIER_NAMES: Partial<Record<IdentifierCheck['kind'], string>> = {
  doi: 'DOI',
  hdl: 'handle',
  pmid: 'PMID',
  arxiv: 'arXiv id',
};

function clip(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= MAX_QUOTE) return t;
  const cut = t.slice(0, MAX_QUOTE);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_QUOTE / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const label = (ref: Reference): string =>
  ref.number !== undefined ? `[${ref.number}]` : `reference "${ref.name ?? ref.id}"`;

/** Builds the findings of one article; the factory keeps location and quote alike across kinds. */
function findingFactory(article: Article) {
  const section =
    [...article.sections].reverse().find((s) => REFERENCE_SECTION.test(s.title.trim()))?.title ??
    DEFAULT_REFERENCES_SECTION;
  return (
    ref: Reference,
    kind: CheckFindingKind,
    severity: Severity,
    message: string,
    suggestion?: string,
  ): Finding => {
    const finding: Finding = {
      kind,
      severity,
      message,
      referenceIds: [ref.id],
      location: ref.line === undefined ? { section } : { section, line: ref.line },
    };
    const quote = clip(ref.text);
    if (quote) finding.quote = quote;
    if (suggestion !== undefined) finding.suggestion = suggestion;
    return finding;
  };
}

type Make = ReturnType<typeof findingFactory>;

/** How long a streak has lasted, for messages: ` (3 checks since 2026-11-20)`. */
function streakText(link: Link): string {
  const c = link.check;
  if (!c?.streak || c.streak < 2 || !c.since) return '';
  return ` (${c.streak} checks since ${dateOf(c.since)})`;
}

function sourceLinkFinding(
  ref: Reference,
  link: Link,
  make: Make,
  options: CheckFindingOptions,
): Finding | undefined {
  const c = link.check;
  if (!c) return undefined;
  switch (c.verdict) {
    case 'dead': {
      // Already handled by the editors: an archive copy is given and the citation says the URL is dead.
      if (ref.archive.present && ref.urlStatus === 'dead') return undefined;
      const suggestion = suggestFix(ref, link, c, options.now);
      return make(
        ref,
        'dead-link',
        'error',
        `${label(ref)} ${link.url} is dead: ${describeReason(c.reason)}${streakText(link)}.${snapshotText(ref, c)}`,
        suggestion,
      );
    }
    case 'suspect': {
      const seen = c.counted ?? c.streak ?? 1;
      const message = `${label(ref)} ${link.url} looks dead (${describeReason(c.reason)}); ${seen} of ${options.confirm} checks so far, it is rechecked before being called dead.`;
      const suggestion = !ref.archive.present && c.snapshot ? archiveParams(c.snapshot, 'live') : undefined;
      return make(ref, 'suspect-link', 'warning', message, suggestion);
    }
    case 'blocked':
      return make(
        ref,
        'blocked-link',
        'info',
        `${label(ref)} ${link.url} could not be checked: ${describeReason(c.reason)}${streakText(link)}.`,
      );
    case 'error':
      return make(
        ref,
        'link-error',
        'info',
        `${label(ref)} ${link.url} could not be checked: ${describeReason(c.reason)}${streakText(link)}.`,
      );
    default:
      return undefined;
  }
}

/**
 * What a dead link's message adds about its replacement: a failed lookup (no `{{dead link}}`
 * until the archive has answered), or an undated citation's snapshot to check by eye.
 */
function snapshotText(ref: Reference, c: NonNullable<Link['check']>): string {
  if (ref.archive.present && ref.archive.url) return '';
  if (!c.snapshot && c.snapshotLookup === 'failed')
    return ' The Wayback lookup failed (will retry); no {{dead link}} until the archive answers.';
  if (!c.snapshot && c.snapshotLookup === 'unusable')
    return ' The Wayback capture found is no copy of the page (a soft 404 or an excluded page): pick one by hand.';
  if (!c.snapshot && c.snapshotLookup === undefined)
    return ' No Wayback lookup was made, so no {{dead link}} is suggested.';
  if (c.snapshot && c.snapshotBefore)
    return ` Undated citation: the snapshot is the one closest before ${c.snapshotBefore} — check it shows the cited content.`;
  return '';
}

function archiveLinkFinding(ref: Reference, link: Link, make: Make): Finding | undefined {
  const c = link.check;
  if (!c || c.outcome === 'alive' || c.outcome === 'skipped') return undefined;
  // A refusing or failing archive says nothing about the copy: it is unchecked, not unusable.
  if (c.outcome === 'blocked' || c.outcome === 'error') {
    return make(
      ref,
      c.outcome === 'blocked' ? 'blocked-link' : 'link-error',
      'info',
      `${label(ref)} the archive copy ${link.url} could not be checked: ${describeReason(c.reason)}${streakText(link)}.`,
    );
  }
  return make(
    ref,
    'archive-link-dead',
    'warning',
    `${label(ref)} the archive copy ${link.url} is not usable: ${describeReason(c.reason)}.`,
  );
}

function identifierFinding(
  ref: Reference,
  check: IdentifierCheck,
  make: Make,
  options: CheckFindingOptions,
): Finding | undefined {
  const name = IDENTIFIER_NAMES[check.kind] ?? check.kind;
  if (check.kind === 'doi') {
    const flagged = ref.doiInactiveSince !== undefined;
    if (check.outcome === 'resolves' && flagged) {
      return make(
        ref,
        'doi-inactive-flag-stale',
        'warning',
        `${label(ref)} DOI ${check.value} is marked inactive since ${ref.doiInactiveSince}, but it resolves again.`,
        'remove |doi-broken-date=',
      );
    }
    // A DOI the citation already flags inactive is reported by the audit; unflagged ones here.
    if (check.outcome === 'unresolved' && !flagged) {
      return make(
        ref,
        'doi-unresolvable',
        'error',
        `${label(ref)} DOI ${check.value} does not resolve: ${describeReason(check.reason)}.`,
        `check the DOI for typos; if it is right, mark it |doi-broken-date=${dateOf(options.now)}`,
      );
    }
    return undefined;
  }
  if (check.outcome !== 'unresolved') return undefined;
  return make(
    ref,
    'identifier-unresolved',
    'error',
    `${label(ref)} ${name} ${check.value} does not resolve: ${describeReason(check.reason)}.`,
  );
}

/** Every finding of the network check for one checked article, in reference order. */
export function checkFindings(article: Article, options: CheckFindingOptions): Finding[] {
  const make = findingFactory(article);
  const out: Finding[] = [];
  for (const ref of article.references) {
    // Made for the references with a finding only (most have none).
    let seen: Set<string> | undefined;
    for (const link of ref.links) {
      const finding =
        link.role === 'archive'
          ? archiveLinkFinding(ref, link, make)
          : link.role === 'identifier'
            ? undefined
            : sourceLinkFinding(ref, link, make, options);
      if (!finding) continue;
      const key = `${finding.kind} ${link.url}`;
      if (!seen) seen = new Set();
      else if (seen.has(key)) continue;
      seen.add(key);
      out.push(finding);
    }
    for (const check of ref.identifierChecks) {
      const finding = identifierFinding(ref, check, make, options);
      if (finding) out.push(finding);
    }
  }
  return out;
}
