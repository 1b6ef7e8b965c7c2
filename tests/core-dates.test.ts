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
    [' 2020-01-05 ', '2020-01-05'],
    ['2020-01-05.', '2020-01-05'],
  ])('%j → %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });

  it.each(['2023-02-29', '1900-02-29', '2100-02-29', '2021-04-31', '0999-01-01', '3000-01-01', '2020-00-10'])(
    'refuses %j',
    (text) => {
      expect(parseDate(text)).toBeUndefined();
    },
  );

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
