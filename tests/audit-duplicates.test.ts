import { describe, expect, it } from 'vitest';
import { latinPart, normalizeUrl, pagesOf, sameSourceReason, titlesMatch } from '../src/audit/duplicates.js';
import type { Link } from '../src/model.js';
import { audit, ofKind, type ReferenceFields, reference, referencesOnly } from './support/article-builder.js';

const BOOK = '9781003212980';
const chapter = (title: string, doi: string, pages: string): ReferenceFields => ({
  title,
  work: 'Chinese Power and Artificial Intelligence',
  publisher: 'Routledge',
  date: '2022-06-22',
  text: `Chang (2022-06-22), "${title}", Chinese Power and Artificial Intelligence, Routledge, pp. ${pages}, doi:${doi}, ISBN 978-1-003-21298-0`,
  identifiers: { doi: doi ? [doi] : [], isbn: [BOOK] },
});
const source = (url: string): Link[] => [{ url, role: 'source' }];
const awakening: ReferenceFields = {
  title: "China's AI Awakening",
  work: 'MIT Technology Review',
  date: '2017-10-10',
  authors: ['Knight, Will'],
};

describe('same source or not', () => {
  it.each<[string, ReferenceFields, ReferenceFields, boolean]>([
    [
      'same DOI',
      { title: 'A', identifiers: { doi: ['10.1/x'] } },
      { title: 'B', identifiers: { doi: ['10.1/x'] } },
      true,
    ],
    [
      'chapters of one book: same ISBN, different DOIs',
      chapter('Foreign support', '10.4324/9781003212980-4', '36–54'),
      chapter('State plans', '10.4324/9781003212980-2', '3–18'),
      false,
    ],
    [
      'chapters of one book without DOIs: different chapter titles',
      chapter('Foreign support', '', '36–54'),
      chapter('State plans', '', '36–54'),
      false,
    ],
    [
      'same ISBN, same chapter and pages',
      chapter('State plans', '', '3–18'),
      chapter('State plans', '', '3-18'),
      true,
    ],
    [
      'same ISBN, same chapter, other pages',
      chapter('State plans', '', '3–18'),
      chapter('State plans', '', '20–30'),
      false,
    ],
    [
      'different ISBNs, same title',
      { title: 'High Wire', publisher: 'OUP', identifiers: { isbn: ['9780197682258'] } },
      { title: 'High Wire', publisher: 'OUP', identifiers: { isbn: ['9780197682265'] } },
      false,
    ],
    [
      'same URL, http vs https and www',
      { title: 'A', links: source('http://www.example.com/a/') },
      { title: 'B', links: source('https://example.com/a#top') },
      true,
    ],
    ['same title and work, the same day', awakening, { ...awakening }, true],
    [
      'one title carries its Chinese translation',
      { ...awakening, title: "China's AI Awakening 中国人工智能的崛起" },
      awakening,
      true,
    ],
    ['same title and work, other dates', awakening, { ...awakening, date: '2018-10-10' }, false],
    [
      'same title and work, a year-only date in the same year',
      awakening,
      { ...awakening, date: '2017-01-01' },
      true,
    ],
    ['same title and work, one without date', awakening, { ...awakening, date: undefined }, true],
    ['same title, other work', awakening, { ...awakening, work: 'Wired' }, false],
    ['same title, no work on either', { title: awakening.title }, { title: awakening.title }, false],
    ['same title, other authors', awakening, { ...awakening, authors: ['Smith, Jane'] }, false],
    [
      'work on one, the same name as publisher on the other',
      awakening,
      { ...awakening, work: undefined, publisher: 'The MIT Technology Review' },
      true,
    ],
    [
      'a title and the same title with a subtitle',
      { title: 'High Wire: How China Regulates Big Tech', publisher: 'Oxford University Press' },
      { title: 'High Wire Regulation', publisher: 'Oxford University Press' },
      false,
    ],
    [
      'a long main title and the same with a subtitle',
      { title: 'Understanding China’s AI Strategy: Clues to Chinese Thinking', publisher: 'CNAS' },
      { title: "Understanding China's AI Strategy", publisher: 'CNAS' },
      true,
    ],
    [
      'same periodical (ISSN), different articles',
      {
        title: 'China has become a scientific superpower',
        work: 'The Economist',
        identifiers: { issn: ['0013-0613'] },
      },
      {
        title: 'China is shoring up the great firewall for the AI age',
        work: 'The Economist',
        identifiers: { issn: ['0013-0613'] },
      },
      false,
    ],
    [
      'titles entirely in Chinese, same site, different pages',
      { title: '【人民网】世界人工智能国际联合大会今秋将首次在中国举行---中国科学院', work: 'www.cas.cn' },
      { title: '【中国科学报】“人工智能+”应上升为国家战略---中国科学院', work: 'www.cas.cn' },
      false,
    ],
  ])('%s → %s', (_name, a, b, same) => {
    const reason = sameSourceReason(reference('1', a), reference('2', b));
    expect(reason !== undefined).toBe(same);
  });
});

describe('duplicate-reference findings', () => {
  it('reports one warning per group, naming every member', () => {
    const a = referencesOnly([
      reference('64', { ...awakening, title: "China's AI Awakening 中国人工智能的崛起", line: 369 }),
      reference('70', { title: 'Something else', work: 'Reuters', date: '2024-11-01' }),
      reference('87', { ...awakening, line: 398 }),
    ]);
    const found = ofKind(audit(a), 'duplicate-reference');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'warning',
      referenceIds: ['64', '87'],
      location: { section: 'References', line: 369 },
    });
    expect(found[0]?.message).toMatch(/^\[64\] and \[87\] cite the same source/);
    expect(found[0]?.suggestion).toContain('<ref name="knight-2017">');
  });

  it('groups three copies into one finding', () => {
    const a = referencesOnly([
      reference('1', { title: 'A', identifiers: { doi: ['10.1/x'] } }),
      reference('2', { title: 'A', links: source('https://example.com/a') }),
      reference('3', {
        title: 'B',
        identifiers: { doi: ['10.1/x'] },
        links: source('https://example.com/a'),
      }),
    ]);
    const found = ofKind(audit(a), 'duplicate-reference');
    expect(found).toHaveLength(1);
    expect(found[0]?.referenceIds).toEqual(['1', '2', '3']);
    expect(found[0]?.message).toMatch(/^\[1\], \[2\] and \[3\]/);
  });

  it('keeps an existing ref name in the suggestion', () => {
    const a = referencesOnly([
      { ...reference('1', { title: 'A', identifiers: { doi: ['10.1/x'] } }) },
      { ...reference('2', { title: 'A', identifiers: { doi: ['10.1/x'] } }), name: 'plan2017' },
    ]);
    expect(ofKind(audit(a), 'duplicate-reference')[0]?.suggestion).toContain('<ref name="plan2017">');
  });

  it('never treats explanatory notes as duplicates', () => {
    const a = referencesOnly([
      reference('1', { title: 'A', identifiers: { doi: ['10.1/x'] } }),
      reference('2', { title: 'A', identifiers: { doi: ['10.1/x'] }, group: 'notes' }),
    ]);
    expect(ofKind(audit(a), 'duplicate-reference')).toEqual([]);
  });
});

describe('helpers', () => {
  it.each([
    ["China's AI Awakening", 'China’s AI awakening!', true],
    ["China's AI Awakening 中国人工智能的崛起", "China's AI Awakening", true],
    ['AI 中国', 'AI 日本', false],
    ['China', "China's AI Awakening", false],
    ['', '', false],
  ])('titlesMatch(%j, %j) = %s', (a, b, same) => {
    expect(titlesMatch(a, b)).toBe(same);
  });
  it('keeps the Latin-script part of a title', () => {
    expect(latinPart("China's AI Awakening 中国人工智能的崛起")).toBe('chinas ai awakening');
  });
  it('normalises URLs and pages', () => {
    expect(normalizeUrl('HTTPS://WWW.Example.com/a/?q=1#x')).toBe('example.com/a?q=1');
    expect(pagesOf('Routledge, pp. 36 – 54, doi')).toBe('36-54');
    expect(pagesOf('p. 12.')).toBe('12');
    expect(pagesOf('no pages')).toBeUndefined();
  });
});
