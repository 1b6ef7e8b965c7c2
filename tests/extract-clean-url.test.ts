/**
 * `cleanUrl` returns a URL with nothing to clean after one scan (issue 14, session 6): the
 * same URLs as running every step, over generated URLs with the characters the steps react to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanUrl } from '../src/extract/wikitext-refs.js';
import { decodeEntities } from '../src/extract/wikitext-render.js';
import { HIDDEN, unmask } from '../src/extract/wikitext-source.js';

/** `cleanUrl` as it was before: every step on every URL. */
function cleanUrlBefore(raw: string): string {
  let url = decodeEntities(unmask(raw.trim()));
  if (url.startsWith('[')) url = url.slice(1);
  url = url.replace(/'{2,}.*$/, '');
  for (;;) {
    const before = url;
    url = url.replace(/[.,;:!?]+$/, '');
    if (url.endsWith(')') && !url.includes('(')) url = url.slice(0, -1);
    if (url === before) break;
  }
  return url;
}

const PIECES = [
  'http://a.test/',
  'x',
  '/',
  '(',
  ')',
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  "'",
  "''",
  '[',
  '&amp;',
  '&#41;',
];
const ODD = [' ', '\n', HIDDEN, '\ue004', '\ue00b', '&', 'é'];

describe('cleanUrl', () => {
  it('cleans as running every step does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES, ...ODD), { maxLength: 10 }), (pieces) => {
        const raw = pieces.join('');
        expect(cleanUrl(raw)).toBe(cleanUrlBefore(raw));
      }),
      { numRuns: 10000 },
    );
  });
});
