/**
 * `--fail-on KINDS`: which findings make the run exit with 1. Pure.
 */
import type { Report } from './model.js';

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
  }
  return matches;
}
