/**
 * `--fail-on KINDS`: which findings make the run exit with 1. Pure.
 */
import { AUDIT_KINDS } from './audit/kinds.js';
import { CHECK_FINDING_KINDS } from './check/findings.js';
import type { Report } from './model.js';

/** `new-…` names: only what this run found that the previous run had not. */
export const FAIL_ON_NEW = ['new-dead', 'new-suspect', 'new-blocked', 'new-unsourced'] as const;

/** Short names accepted besides finding kinds. */
export const FAIL_ON_ALIASES: Readonly<Record<string, readonly string[]>> = {
  dead: ['dead-link'],
  suspect: ['suspect-link'],
  blocked: ['blocked-link'],
  unsourced: ['citation-needed', 'uncited-paragraph', 'uncited-sentence', 'uncited-table'],
  identifiers: ['invalid-identifier', 'doi-unresolvable', 'identifier-unresolved'],
  error: [],
  warning: [],
};

export interface FailOnMatch {
  article: string;
  kind: string;
  count: number;
}

/** Every name `--fail-on` accepts. */
export const FAIL_ON_NAMES: readonly string[] = [
  ...Object.keys(FAIL_ON_ALIASES),
  ...FAIL_ON_NEW,
  ...AUDIT_KINDS,
  ...CHECK_FINDING_KINDS,
];

/** The names of `failOn` that `--fail-on` does not know. */
export const unknownFailOnNames = (failOn: readonly string[]): string[] =>
  failOn.filter((k) => !FAIL_ON_NAMES.includes(k));

/** What the `new-…` names count in one report, from its changes since the last run. */
function newMatches(report: Report, failOn: readonly string[]): FailOnMatch[] {
  const c = report.changes;
  if (!c) return [];
  const counts: Record<(typeof FAIL_ON_NEW)[number], number> = {
    'new-dead': c.newlyDead.length,
    'new-suspect': c.newlySuspect.length,
    'new-blocked': c.newlyBlocked.length,
    'new-unsourced': c.newUnsourcedClaims,
  };
  return FAIL_ON_NEW.filter((k) => failOn.includes(k) && counts[k] > 0).map((kind) => ({
    article: report.article.title,
    kind,
    count: counts[kind],
  }));
}

/**
 * Returns what met the threshold: findings whose kind is listed (directly or through an alias),
 * and, for `error` / `warning`, findings of at least that severity.
 */
export function evaluateFailOn(reports: readonly Report[], failOn: readonly string[]): FailOnMatch[] {
  if (failOn.length === 0) return [];
  const kinds = new Set<string>();
  for (const k of failOn) for (const kind of FAIL_ON_ALIASES[k] ?? [k]) kinds.add(kind);
  const severities = new Set<string>();
  if (failOn.includes('warning')) severities.add('warning').add('error');
  if (failOn.includes('error')) severities.add('error');
  const matches: FailOnMatch[] = [];
  for (const r of reports) {
    const counts = new Map<string, number>();
    for (const f of r.findings) {
      if (kinds.has(f.kind) || severities.has(f.severity)) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    }
    for (const [kind, count] of counts) matches.push({ article: r.article.title, kind, count });
    matches.push(...newMatches(r, failOn));
  }
  return matches;
}
