import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateProblems } from '../src/audit/dates.js';
import {
  coarser,
  compareDates,
  type DatePrecision,
  precisionOf,
  truncateDate,
} from '../src/audit/precision.js';
import {
  audit,
  NOW,
  ofKind,
  type ReferenceFields,
  reference,
  referencesOnly,
} from './support/article-builder.js';

const base: ReferenceFields = { title: 'A page', work: 'Example' };
const archivedOn = (date: string) => ({ present: true, date });

describe('date-inconsistency', () => {
  it.each<[string, ReferenceFields, RegExp[]]>([
    ['consistent', { date: '2022-10-11', accessDate: '2022-10-12', archive: archivedOn('2022-10-12') }, []],
    [
      'retrieved the day before publication',
      { date: '2022-10-11', accessDate: '2022-10-10' },
      [/retrieved 2022-10-10, before it was published \(2022-10-11\)/],
    ],
    ['retrieved the day of publication', { date: '2022-10-11', accessDate: '2022-10-11' }, []],
    ['year-only publication, retrieved the same year', { date: '2024-01-01', accessDate: '2024-01-01' }, []],
    [
      'year-only publication, retrieved the year before',
      { date: '2024-01-01', accessDate: '2023-12-26' },
      [/retrieved 2023-12-26, before it was published \(2024\)/],
    ],
    ['month-only publication, retrieved that month', { date: '2024-06-01', accessDate: '2024-06-18' }, []],
    [
      'month-only publication, retrieved the month before',
      { date: '2024-06-01', accessDate: '2024-05-30' },
      [/\(2024-06\)/],
    ],
    [
      'published in the future',
      { date: '2027-03-05' },
      [/published 2027-03-05, after the run's date 2026-11-28/],
    ],
    ['published later this year, year only', { date: '2026-01-01' }, []],
    ['published next year, year only', { date: '2027-01-01' }, [/published 2027,/]],
    ['retrieved in the future', { accessDate: '2026-11-29' }, [/retrieved 2026-11-29, after/]],
    ['archived in the future', { archive: archivedOn('2026-12-24') }, [/archived 2026-12-24, after/]],
    [
      'archived before publication, both to the day',
      { date: '2019-04-14', archive: archivedOn('2019-04-10') },
      [/archived 2019-04-10, before it was published \(2019-04-14\)/],
    ],
    [
      'archived before a year-only publication',
      { date: '2024-01-01', archive: archivedOn('2023-12-26') },
      [],
    ],
    [
      'archived before a month-only publication',
      { date: '2024-06-01', archive: archivedOn('2024-05-20') },
      [],
    ],
    [
      'archived before being retrieved (fine)',
      { date: '2018-01-29', accessDate: '2020-06-03', archive: archivedOn('2020-05-18') },
      [],
    ],
    [
      'several problems at once',
      { date: '2027-05-05', accessDate: '2027-04-30' },
      [/retrieved 2027-04-30, before/, /published 2027-05-05, after/, /retrieved 2027-04-30, after/],
    ],
  ])('%s', (_name, fields, problems) => {
    const ref = reference('14', { ...base, ...fields, line: 307 });
    const found = ofKind(audit(referencesOnly([ref])), 'date-inconsistency');
    if (problems.length === 0) {
      expect(found).toEqual([]);
      return;
    }
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'warning',
      referenceIds: ['14'],
      location: { section: 'References', line: 307 },
    });
    expect(found[0]?.message).toMatch(/^\[14\] has inconsistent dates: /);
    for (const p of problems) expect(found[0]?.message).toMatch(p);
    expect(dateProblems(ref, NOW)).toHaveLength(problems.length);
  });

  it('uses the clock it is given, not the real one', () => {
    const ref = reference('1', { ...base, date: '2025-06-06' });
    expect(dateProblems(ref, '2025-06-05T00:00:00Z')).toHaveLength(1);
    expect(dateProblems(ref, '2025-06-06T00:00:00Z')).toEqual([]);
  });
});

describe('date precision', () => {
  it.each([
    ['2024-01-01', 'year'],
    ['2024-06-01', 'month'],
    ['2024-06-18', 'day'],
    ['2024-06-18T10:00:00Z', 'day'],
  ])('%s is trusted to the %s', (date, precision) => {
    expect(precisionOf(date)).toBe(precision);
  });
  it.each([
    ['2024-01-01', '2024-12-31', 0],
    ['2024-06-01', '2024-06-30', 0],
    ['2024-06-01', '2024-07-01', -1],
    ['2024-06-18', '2024-06-17', 1],
    ['2023-12-26', '2024-01-01', -1],
  ])('compareDates(%s, %s) = %i', (a, b, sign) => {
    expect(compareDates(a, b)).toBe(sign);
  });
});

describe('compareDates without cutting the dates', () => {
  /** As it was before issue 14 session 6: both dates cut to the precision, then compared. */
  const before = (a: string, b: string, precision?: DatePrecision): number => {
    const p = precision ?? coarser(precisionOf(a), precisionOf(b));
    const ta = truncateDate(a, p);
    const tb = truncateDate(b, p);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  };
  const date = fc
    .array(fc.constantFrom('2', '0', '1', '9', '-', 'T', ':', 'Z', 'é'), { maxLength: 24 })
    .map((c) => c.join(''));
  const iso = fc
    .tuple(
      fc.integer({ min: 1990, max: 2030 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 3 }),
    )
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-0${d}`);
  it('orders as the cut dates do', () => {
    fc.assert(
      fc.property(
        fc.oneof(date, iso),
        fc.oneof(date, iso),
        fc.option(fc.constantFrom<DatePrecision>('year', 'month', 'day'), { nil: undefined }),
        (a, b, p) => {
          expect(compareDates(a, b, p)).toBe(before(a, b, p));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
