/**
 * Dates as citations write them ("13 August 2016", "November 28, 2017", "2022-06-22",
 * "December 2019", "2017") turned into ISO `YYYY-MM-DD`. A month or year alone is padded with
 * `-01`, so comparisons stay simple; callers that need the precision keep the original text.
 */

const MONTHS: Record<string, number> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** English month names, January first. */
export const MONTH_NAMES: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad = (n: number): string => String(n).padStart(2, '0');

/** Days in month `m` (1–12) of year `y`, in the proleptic Gregorian calendar (as `Date` has it). */
const daysInMonth = (y: number, m: number): number => {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
};

const valid = (y: number, m: number, d: number): boolean => {
  if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
};

const iso = (y: number, m: number, d: number): string | undefined =>
  valid(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : undefined;

const MONTH_RE =
  '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';

const PATTERNS: Array<[RegExp, (m: RegExpMatchArray) => string | undefined]> = [
  [/^(\d{4})-(\d{1,2})-(\d{1,2})(?:T[\d:.]+Z?)?$/, (m) => iso(+m[1]!, +m[2]!, +m[3]!)],
  [
    new RegExp(`^(\\d{1,2})\\s+${MONTH_RE},?\\s+(\\d{4})$`, 'i'),
    (m) => iso(+m[3]!, MONTHS[m[2]!.toLowerCase()]!, +m[1]!),
  ],
  [
    new RegExp(`^${MONTH_RE}\\s+(\\d{1,2}),?\\s+(\\d{4})$`, 'i'),
    (m) => iso(+m[3]!, MONTHS[m[1]!.toLowerCase()]!, +m[2]!),
  ],
  [new RegExp(`^${MONTH_RE},?\\s+(\\d{4})$`, 'i'), (m) => iso(+m[2]!, MONTHS[m[1]!.toLowerCase()]!, 1)],
  [/^(\d{4})-(\d{1,2})$/, (m) => iso(+m[1]!, +m[2]!, 1)],
  [/^(\d{4})$/, (m) => iso(+m[1]!, 1, 1)],
  [/^(\d{4})(\d{2})(\d{2})(\d{6})?$/, (m) => iso(+m[1]!, +m[2]!, +m[3]!)],
];

/**
 * Parses one date as citations write it; returns `undefined` for anything else (seasons,
 * ranges like "2019–2020" take their first year).
 */
export function parseDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  // Most citation dates are ISO days already: those skip the clean-up and the other patterns
  // (the result is the one the first pattern gives), and one written as the answer is written
  // (`2024-05-01`, not `2024-5-1`) is its own answer, not a new string.
  const day = isoDayParts(text);
  if (day === undefined) return parse(text);
  if (!valid(day[0], day[1], day[2])) return undefined;
  return text.length === 10 ? text : iso(day[0], day[1], day[2]);
}

/** The number written by the digits of `text` from `from` to `to`, or -1 if any is no digit. */
function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Reused by `isoDayParts`: the year, month and day it read. */
const DAY_PARTS: [number, number, number] = [0, 0, 0];

/**
 * Year, month and day of a text shaped `YYYY-M-D` (one or two digits for month and day, as
 * `/^(\d{4})-(\d{1,2})-(\d{1,2})$/` reads it), else `undefined`. Read by hand: no match array
 * for each of a long article's dates. The answer is only good until the next call.
 */
function isoDayParts(text: string): readonly [number, number, number] | undefined {
  const n = text.length;
  if (n < 8 || n > 10 || text.charCodeAt(4) !== 45) return undefined;
  // The month's one or two digits end at the second dash; the day's one or two end the text.
  const dash = text.charCodeAt(6) === 45 ? 6 : text.charCodeAt(7) === 45 ? 7 : -1;
  if (dash < 0 || n - dash < 2 || n - dash > 3) return undefined;
  const y = digitsAt(text, 0, 4);
  const m = digitsAt(text, 5, dash);
  const d = digitsAt(text, dash + 1, n);
  if (y < 0 || m < 0 || d < 0) return undefined;
  DAY_PARTS[0] = y;
  DAY_PARTS[1] = m;
  DAY_PARTS[2] = d;
  return DAY_PARTS;
}

function parse(text: string): string | undefined {
  const t = text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^(c\.|circa)\s*/i, '')
    .replace(/[.,;]+$/, '');
  for (const [re, build] of PATTERNS) {
    const m = t.match(re);
    if (m) return build(m);
  }
  const range = t.match(/^(\d{4})\s*[–-]\s*\d{2,4}$/);
  if (range) return iso(+range[1]!, 1, 1);
  return undefined;
}

/** A regular expression source matching any date `parseDate` understands inside running text. */
export const DATE_IN_TEXT = `(?:\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}\\s+${MONTH_RE},?\\s+\\d{4}|${MONTH_RE}\\s+\\d{1,2},?\\s+\\d{4}|${MONTH_RE},?\\s+\\d{4}|\\d{4})`;

/** `2024-11-01` → `November 2024`, the form `{{dead link|date=…}}` expects. */
export function monthYear(isoDate: string): string {
  const [y, m] = isoDate.split('-');
  return `${MONTH_NAMES[Number(m) - 1]} ${y}`;
}

/** Whole days from `a` to `b` (both ISO dates or instants). */
export function daysBetween(a: string, b: string): number {
  return (Date.parse(b) - Date.parse(a)) / 86_400_000;
}

/** The calendar date of an instant, in UTC. */
export const dateOf = (instant: string): string => instant.slice(0, 10);
