/**
 * `date-inconsistency`: dates of one reference that cannot all be right. One warning per
 * reference, listing every problem:
 * - retrieved (access date) before published — compared at the coarser precision of the two,
 *   so a year-only `2024` is compared by year only (see `precision.ts`);
 * - publication, access or archive date after the run's clock (`options.now`), compared at
 *   the date's own precision (a year-only date is in the future only from the next year on);
 * - archived before published — only when both dates are day-precise: a publication date is
 *   often the last update, and a padded year or month says nothing about the day.
 */
import type { Finding, Reference } from '../model.js';
import { type AuditContext, referenceFinding, referenceLabel, upperFirst } from './context.js';
import { compareDates, precisionOf, truncateDate } from './precision.js';

/** The problems of one reference's dates, as message fragments; empty when consistent. */
export function dateProblems(ref: Reference, now: string): string[] {
  const problems: string[] = [];
  const today = now.slice(0, 10);
  if (ref.date && ref.accessDate && compareDates(ref.accessDate, ref.date) < 0) {
    problems.push(`retrieved ${ref.accessDate}, before it was published (${show(ref.date)})`);
  }
  inTheFuture(problems, 'published', ref.date, today);
  inTheFuture(problems, 'retrieved', ref.accessDate, today);
  inTheFuture(problems, 'archived', ref.archive.date, today);
  const archived = ref.archive.date;
  if (
    ref.date &&
    archived &&
    precisionOf(ref.date) === 'day' &&
    precisionOf(archived) === 'day' &&
    archived < ref.date
  ) {
    problems.push(`archived ${archived}, before it was published (${ref.date})`);
  }
  return problems;
}

/** A date as precise as it can be trusted to be. */
const show = (date: string): string => truncateDate(date, precisionOf(date));

/** Adds the problem of a date after the run's `today`, compared at the date's own precision. */
function inTheFuture(problems: string[], what: string, date: string | undefined, today: string): void {
  if (date && compareDates(date, today, precisionOf(date)) > 0) {
    problems.push(`${what} ${show(date)}, after the run's date ${today}`);
  }
}

const SUGGESTION =
  'Check the dates against the source and its archive copy; a wrong year or swapped day and month is the usual cause.';

export function auditDates(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const references = ctx.article.references;
  // Indexed: `for…of` allocates an iterator result per reference until the loop is optimised.
  for (let r = 0; r < references.length; r++) {
    const ref = references[r]!;
    const problems = dateProblems(ref, ctx.now);
    if (problems.length === 0) continue;
    findings.push(
      referenceFinding(ctx, ref, {
        kind: 'date-inconsistency',
        severity: 'warning',
        message: `${upperFirst(referenceLabel(ref))} has inconsistent dates: ${problems.join('; ')}.`,
        suggestion: SUGGESTION,
      }),
    );
  }
  return findings;
}
