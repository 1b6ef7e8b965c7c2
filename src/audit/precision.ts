/**
 * How precise a model date is. `parseDate` pads a year alone to `YYYY-01-01` and a month alone
 * to `YYYY-MM-01`, so the padding cannot be told apart from a real first of the month. The audit
 * therefore reads `YYYY-01-01` as a year and `YYYY-MM-01` as a month: a real 1 January or
 * first of the month is compared more coarsely than it could be, which can hide an
 * inconsistency but never invent one.
 */

export type DatePrecision = 'year' | 'month' | 'day';

const RANK: Record<DatePrecision, number> = { year: 0, month: 1, day: 2 };
const LENGTH: Record<DatePrecision, number> = { year: 4, month: 7, day: 10 };

/** The precision an ISO date (or the date part of an instant) can be trusted to. */
export function precisionOf(isoDate: string): DatePrecision {
  const date = isoDate.slice(0, 10);
  if (date.endsWith('-01-01')) return 'year';
  if (date.endsWith('-01')) return 'month';
  return 'day';
}

/** The coarser of two precisions. */
export const coarser = (a: DatePrecision, b: DatePrecision): DatePrecision => (RANK[a] <= RANK[b] ? a : b);

/** The date cut to a precision: `2024`, `2024-06` or `2024-06-18`. */
export const truncateDate = (isoDate: string, precision: DatePrecision): string =>
  isoDate.slice(0, LENGTH[precision]);

/**
 * Compares two dates at the coarser of their precisions (or at `precision` when given):
 * negative when `a` is earlier, 0 when they cannot be told apart, positive when later.
 */
export function compareDates(a: string, b: string, precision?: DatePrecision): number {
  const p = precision ?? coarser(precisionOf(a), precisionOf(b));
  const ta = truncateDate(a, p);
  const tb = truncateDate(b, p);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** Whether two dates can be the same day, given what their precision allows. */
export const sameDate = (a: string, b: string): boolean => compareDates(a, b) === 0;
