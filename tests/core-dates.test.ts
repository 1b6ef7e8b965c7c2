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

describe('monthYear and daysBetween', () => {
  it('formats the {{dead link}} date', () => {
    expect(monthYear('2026-11-28')).toBe('November 2026');
  });
  it('counts days', () => {
    expect(daysBetween('2026-11-01', '2026-11-04T00:00:00Z')).toBe(3);
  });
});
