/**
 * The offline audit: rules that read an extracted article and report what an editor should fix
 * without touching the network — maintenance tags, uncited claims, broken reference
 * bookkeeping, duplicates, invalid identifiers, incomplete citations, missing archives,
 * inconsistent dates and stray content. Every rule is a pure function of the article and the
 * run's clock.
 */
import type { Article, Finding } from '../model.js';
import { auditCompleteness } from './completeness.js';
import { type AuditContext, buildContext } from './context.js';
import { auditDates } from './dates.js';
import { auditDuplicates } from './duplicates.js';
import { auditIdentifiers } from './identifiers.js';
import { sortFindings } from './order.js';
import { auditReferences } from './references.js';
import { auditTags } from './tags.js';
import { auditTrailing } from './trailing.js';
import { auditUncited } from './uncited.js';

export { AUDIT_KIND_DESCRIPTIONS, AUDIT_KINDS } from './kinds.js';
export { type FindingsSummary, summarizeFindings } from './summary.js';

export interface AuditOptions {
  /** The run's clock, ISO instant; dates after it are "in the future". */
  now: string;
}

/** The audit's rules, each reading the shared context. */
const RULES: ReadonlyArray<(ctx: AuditContext) => Finding[]> = [
  auditTags,
  auditUncited,
  auditReferences,
  auditDuplicates,
  auditIdentifiers,
  auditCompleteness,
  auditDates,
  auditTrailing,
];

/** Every offline finding about the article, in a deterministic order (see `order.ts`). */
export function auditArticle(article: Article, options: AuditOptions): Finding[] {
  const ctx = buildContext(article, options.now);
  return sortFindings(
    ctx,
    RULES.flatMap((rule) => rule(ctx)),
  );
}
