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
  const date = isoDate.length > 10 ? isoDate.slice(0, 10) : isoDate;
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
  const n = LENGTH[precision ?? coarser(precisionOf(a), precisionOf(b))];
  // The two truncated dates compared as strings are, without cutting them: code unit by code
  // unit over their first `n` characters, a shorter one first when it is a prefix.
  const la = Math.min(a.length, n);
  const lb = Math.min(b.length, n);
  for (let i = 0; i < la && i < lb; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** Whether two dates can be the same day, given what their precision allows. */
export const sameDate = (a: string, b: string): boolean => compareDates(a, b) === 0;
