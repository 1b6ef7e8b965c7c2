import { describe, expect, it } from 'vitest';
import { detectFormat } from '../src/extract/detect.js';
import { readSeedText } from './support/seed.js';

describe('detectFormat', () => {
  it.each([
    ['<!DOCTYPE html><html><body>x</body></html>', 'html'],
    ['<div class="mw-parser-output"><p>x</p></div>', 'html'],
    ["'''Foo''' is a bar.<ref>{{cite web|url=http://x}}</ref>\n\n== History ==\nText [[Baz]].", 'wikitext'],
    ['Title\n\nSome text.^[1]\n\nHistory\n\n[-]\n\nMore [link](#).', 'markdown'],
    ['Just a line of text.', 'markdown'],
  ])('detects %j', (text, format) => {
    expect(detectFormat(text)).toBe(format);
  });

  it('uses the extension only as a tie-breaker', () => {
    expect(detectFormat('plain words', 'a.wiki')).toBe('wikitext');
    expect(detectFormat('plain words', 'a.html')).toBe('html');
  });

  it('reads the seed as markdown', async () => {
    expect(detectFormat(await readSeedText())).toBe('markdown');
  });
});
