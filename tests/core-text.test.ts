import { describe, expect, it } from 'vitest';
import { slugify, splitSentences } from '../src/core/text.js';

describe('slugify', () => {
  it.each([
    ['Artificial intelligence industry in China', 'artificial-intelligence-industry-in-china'],
    ['Ibn al-Haytham', 'ibn-al-haytham'],
    ['Sætre, Magnar', 'sætre-magnar'],
    ['Café / Crème', 'cafe-creme'],
    ['中国', '中国'],
    ['???', 'article'],
  ])('%j → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });
});

describe('splitSentences', () => {
  it('splits on sentence ends before a capital', () => {
    expect(splitSentences('One thing. Another thing! A third? Yes.')).toEqual([
      'One thing.',
      'Another thing!',
      'A third?',
      'Yes.',
    ]);
  });
  it('keeps abbreviations and initials inside a sentence', () => {
    expect(
      splitSentences('The U.S. military and Dr. Smith met Kania, Elsa B. in Washington. Then they left.'),
    ).toEqual(['The U.S. military and Dr. Smith met Kania, Elsa B. in Washington.', 'Then they left.']);
  });
  it('keeps decimals and lower-case continuations', () => {
    expect(splitSentences('It held 19.9 percent. e.g. this stays. Next one.')).toEqual([
      'It held 19.9 percent. e.g. this stays.',
      'Next one.',
    ]);
  });
  it('splits after closing quotes and on CJK full stops', () => {
    expect(splitSentences('He said "no." Then left. 中文句子。第二句。')).toEqual([
      'He said "no."',
      'Then left.',
      '中文句子。',
      '第二句。',
    ]);
  });
});
