/**
 * `trailing-content`: text after the reference list that belongs to no reference (an advert
 * glued after the last reference, page debris). One info finding for all of it, quoting its
 * start and naming the reference it follows, where an editor will find it.
 */
import type { Finding, Reference } from '../model.js';
import { type AuditContext, clip, plural, referenceLabel } from './context.js';

/** How much of the trailing content the finding quotes. */
const QUOTE_LENGTH = 120;

/** The last reference defined before `line` (the last reference when lines are unknown). */
function referenceBefore(references: readonly Reference[], line: number): Reference | undefined {
  let before: Reference | undefined;
  for (const ref of references) {
    if (ref.line === undefined || ref.line < line) before = ref;
  }
  return before;
}

export function auditTrailing(ctx: AuditContext): Finding[] {
  const trailing = ctx.article.trailing;
  const first = trailing[0];
  if (!first) return [];
  const after = referenceBefore(ctx.article.references, first.line);
  const where = after ? `after ${referenceLabel(after)}` : 'after the references';
  return [
    {
      kind: 'trailing-content',
      severity: 'info',
      message: `${plural(trailing.length, 'block')} of text ${where} ${trailing.length === 1 ? 'belongs' : 'belong'} to no reference (an advert or page debris?).`,
      referenceIds: after ? [after.id] : [],
      location: { section: ctx.referencesSection, line: first.line },
      quote: clip(trailing.map((t) => t.text).join(' '), QUOTE_LENGTH),
      suggestion: 'Remove it from the article, or move it into the reference it belongs to.',
    },
  ];
}
