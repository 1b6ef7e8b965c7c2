/**
 * `anyOf`: a phrase list as one pattern (issue 14) matches exactly where one of the list's
 * patterns matches, each part keeping its flags, alternatives and anchors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyOf } from '../src/check/phrase-list.js';

describe('anyOf', () => {
  const list = [/^just a moment$/i, /not found\b/i, /页面不存在|Seite fehlt/, /\b404\b/];
  const any = anyOf(list);

  it('matches where some pattern of the list matches, and only there', () => {
    for (const text of [
      'Just a Moment',
      'just a moment!',
      'x NOT FOUND',
      'a 404 b',
      'a4040',
      '页面不存在',
      'Seite fehlt',
      'seite fehlt',
    ])
      expect(any.test(text), text).toBe(list.some((re) => re.test(text)));
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'justamoe nfd404页面不存在Sitefhl '.split('')) }),
        (text) => {
          expect(any.test(text)).toBe(list.some((re) => re.test(text)));
        },
      ),
      { seed: 14 },
    );
  });

  it('keeps a case-sensitive pattern case-sensitive beside case-insensitive ones', () => {
    expect(any.test('Seite fehlt')).toBe(true);
    expect(any.test('SEITE FEHLT')).toBe(false);
  });

  it('refuses flags and groups that would change what the parts mean', () => {
    expect(() => anyOf([/a/g])).toThrow(/flags/);
    expect(() => anyOf([/a/m])).toThrow(/flags/);
    expect(() => anyOf([/(a)\1/])).toThrow(/capturing/);
    expect(() => anyOf([/x(a|b)/i])).toThrow(/capturing/);
    expect(() => anyOf([/x(?:a|b)[(]\(/i])).not.toThrow();
  });
});
