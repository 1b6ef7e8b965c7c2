import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, monthYear, parseDate } from '../src/core/dates.js';

describe('parseDate', () => {
  it.each([
    ['2022-06-22', '2022-06-22'],
    ['13 August 2016', '2016-08-13'],
    ['November 28, 2017', '2017-11-28'],
    ['Sept. 3, 2020', '2020-09-03'],
    ['December 2019', '2019-12-01'],
    ['2017', '2017-01-01'],
    ['2019–2020', '2019-01-01'],
    ['2024-11', '2024-11-01'],
    ['20240115120000', '2024-01-15'],
    ['  1 November 2024. ', '2024-11-01'],
    ['c. 1999', '1999-01-01'],
  ])('%j → %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });

  it.each(['', 'Spring 2020', '31 February 2020', '2020-13-01', 'yesterday', undefined])(
    'refuses %j',
    (text) => {
      expect(parseDate(text)).toBeUndefined();
    },
  );
});

describe('parseDate — ISO days (read without the clean-up)', () => {
  it.each([
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['2020-1-5', '2020-01-05'],
    ['2020-12-5', '2020-12-05'],
    ['2020-1-15', '2020-01-15'],
    [' 2020-01-05 ', '2020-01-05'],
    ['2020-01-05.', '2020-01-05'],
  ])('%j → %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2100-02-29',
    '2021-04-31',
    '0999-01-01',
    '3000-01-01',
    '2020-00-10',
    '2020-1-',
    '2020--1-5',
    '2020-123-1',
    '2020-1-123',
    '2020-1x-05',
  ])('refuses %j', (text) => {
    expect(parseDate(text)).toBeUndefined();
  });

  it('accepts exactly the days the calendar has, as Date counts them', () => {
    for (const y of [1600, 1700, 1896, 1900, 1999, 2000, 2023, 2024, 2100, 2400]) {
      for (let m = 1; m <= 12; m++) {
        const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        for (let d = 27; d <= 32; d++) {
          const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          if (y < 1000 || d > last) expect(parseDate(text), text).toBeUndefined();
          else expect(parseDate(text), text).toBe(text);
        }
      }
    }
  });
});

describe('monthYear and daysBetween', () => {
  it('formats the {{dead link}} date', () => {
    expect(monthYear('2026-11-28')).toBe('November 2026');
  });
  it('counts days', () => {
    expect(daysBetween('2026-11-01', '2026-11-04T00:00:00Z')).toBe(3);
  });
});

describe('parseDate reads ISO days by hand', () => {
  // A text with a space after it skips the hand-read ISO day and takes the general patterns,
  // whose first reads ISO days as the hand-reading does (and the space is trimmed away).
  it('gives what the general patterns give', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .array(fc.constantFrom('2', '0', '1', '9', '3', '-', ' ', 'T', 'a', '٣'), { maxLength: 12 })
            .map((c) => c.join('')),
          // Shaped like ISO days, give or take a digit or a character.
          fc
            .tuple(
              fc.stringMatching(/^\d{3,5}$/),
              fc.constantFrom('-', '/', ''),
              fc.stringMatching(/^\d{0,3}$/),
              fc.constantFrom('-', '.', ''),
              fc.stringMatching(/^\d{0,3}$/),
              fc.constantFrom('', 'T', 'T10:00Z', 'a', ' ', '٣'),
            )
            .map((parts) => parts.join('')),
        ),
        (text) => {
          expect(parseDate(text)).toBe(parseDate(`${text} `));
        },
      ),
      { numRuns: 10000 },
    );
  });
});
