import { describe, expect, it } from 'vitest';
import { buildContext } from '../src/audit/context.js';
import {
  auditDuplicates,
  latinPart,
  normalizeUrl,
  pagesOf,
  sameSourceReason,
  titlesMatch,
} from '../src/audit/duplicates.js';
import type { Finding, Link, Reference } from '../src/model.js';
import {
  audit,
  NOW,
  ofKind,
  type ReferenceFields,
  reference,
  referencesOnly,
} from './support/article-builder.js';

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

  it('files a reference once under a key it has twice (two links to one page, work = publisher)', () => {
    const twice = (id: string): Reference =>
      reference(id, {
        title: 'Annual report 2023',
        work: 'The Example Times',
        publisher: 'Example Times',
        date: '2024-01-02',
        links: [
          { url: `https://example.com/report?r=${id}`, role: 'source' },
          { url: 'https://www.example.com/a/', role: 'source' },
          { url: 'https://example.com/a#top', role: 'source' },
        ],
      });
    const a = referencesOnly([
      twice('1'),
      reference('2', { title: 'Other', work: 'Elsewhere' }),
      twice('3'),
      twice('4'),
    ]);
    const found = ofKind(audit(a), 'duplicate-reference');
    expect(found).toHaveLength(1);
    expect(found[0]?.referenceIds).toEqual(['1', '3', '4']);
    expect(found[0]?.message).toContain('same URL example.com/a');
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

/** Duplicate findings of the references alone, through the rule itself. */
const duplicatesOf = (refs: Reference[]): Finding[] =>
  auditDuplicates(buildContext(referencesOnly(refs), NOW));

/** A small deterministic generator (mulberry32), so that every run sees the same inputs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The rule as first written: every pair of references compared with `sameSourceReason`, joined
 * into groups; each group with the set of its reasons.
 */
function pairwiseGroups(refs: readonly Reference[]): Array<{ ids: string[]; reasons: string[] }> {
  const parent = refs.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root]!;
    return root;
  };
  const reasons = refs.map(() => new Set<string>());
  for (let i = 0; i < refs.length; i++)
    for (let j = i + 1; j < refs.length; j++) {
      const reason = sameSourceReason(refs[i]!, refs[j]!);
      if (reason === undefined) continue;
      const [ri, rj] = [find(i), find(j)];
      parent[Math.max(ri, rj)] = Math.min(ri, rj);
      reasons[i]!.add(reason);
    }
  const groups = new Map<number, { ids: string[]; reasons: Set<string> }>();
  refs.forEach((r, i) => {
    const g = groups.get(find(i)) ?? { ids: [], reasons: new Set<string>() };
    g.ids.push(r.id);
    for (const reason of reasons[i]!) g.reasons.add(reason);
    groups.set(find(i), g);
  });
  return [...groups.values()]
    .filter((g) => g.ids.length > 1)
    .map((g) => ({ ids: g.ids, reasons: [...g.reasons].sort() }));
}

/** Groups and reasons as the findings state them. */
const groupsOf = (findings: readonly Finding[]): Array<{ ids: string[]; reasons: string[] }> =>
  findings.map((f) => ({
    ids: f.referenceIds,
    reasons: f.message
      .slice(f.message.lastIndexOf(' — ') + 3, -1)
      .split('; ')
      .sort(),
  }));

/** A reference drawn from small pools, so that DOIs, ISBNs, URLs, venues and titles collide. */
function randomReference(id: string, next: () => number): Reference {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const maybe = <T>(p: number, x: () => T): T | undefined => (next() < p ? x() : undefined);
  const titles = [
    'The rise of artificial intelligence in Shenzhen',
    'The Rise of Artificial Intelligence in Shenzhen: a Report',
    'The rise of artificial intelligence in Shenzhen 深圳人工智能的崛起',
    'Robots on the factory floor',
    'Robots on the factory floor – part two',
    'Market report',
    'Market report: chips',
    '人工智能',
  ];
  const fields: ReferenceFields = {
    text: `Reference ${id}.${pick(['', ' pp. 3–18', ' p. 12', ' pp. 3-18'])}`,
    identifiers: {
      doi: maybe(0.2, () => [pick(['10.1/a', '10.1/b', '10.1/c'])]) ?? [],
      isbn: maybe(0.2, () => [pick(['9780000000001', '9780000000002'])]) ?? [],
    },
    authors: maybe(0.5, () => [pick(['Smith, Jane', 'Wang, Li', 'Jane Smith'])]) ?? [],
    links:
      maybe(0.3, () =>
        source(pick(['https://a.example/x', 'http://www.a.example/x/', 'https://b.example/y'])),
      ) ?? [],
  };
  const title = maybe(0.85, () => pick(titles));
  if (title !== undefined) fields.title = title;
  const work = maybe(0.7, () => pick(['The Daily Planet', 'Daily Planet', 'the daily planet', 'Wired']));
  if (work !== undefined) fields.work = work;
  const publisher = maybe(0.3, () => pick(['Daily Planet', 'Routledge']));
  if (publisher !== undefined) fields.publisher = publisher;
  const date = maybe(0.7, () => pick(['2020-05-04', '2020-01-01', '2020-05-01', '2021-05-04', '2021-01-01']));
  if (date !== undefined) fields.date = date;
  return reference(id, fields);
}

describe('duplicates at scale (issue 11)', () => {
  it('6,000 references sharing one venue: no crash, and exactly the planted duplicates', () => {
    const refs: Reference[] = [];
    for (let i = 1; i <= 6000; i++)
      refs.push(
        reference(String(i), {
          title: `Council approves budget for district ${i}`,
          work: 'The Daily Planet',
          date: `20${String(10 + (i % 10))}-0${1 + (i % 9)}-1${i % 10}`,
          links: source(`https://planet.example/news/${i}`),
        }),
      );
    // Planted: a copy of 17 under another URL; 4000's URL again; 5999 with a subtitle.
    refs.push({ ...refs[16]!, id: '6001', number: 6001, links: source('https://mirror.example/17') });
    refs.push(
      reference('6002', {
        title: 'Other',
        work: 'Wired',
        links: source('https://planet.example/news/4000/'),
      }),
    );
    refs.push(
      reference('6003', {
        title: 'Council approves budget for district 5999: what it means',
        work: 'Daily Planet',
      }),
    );
    const found = duplicatesOf(refs);
    expect(found.map((f) => f.referenceIds)).toEqual([
      ['17', '6001'],
      ['4000', '6002'],
      ['5999', '6003'],
    ]);
    expect(found[0]?.message).toContain('same title, work and date');
    expect(found[1]?.message).toContain('same URL planet.example/news/4000');
    expect(found[2]?.message).toContain('same title and work');
  });

  it('6,000 references citing one book at different pages are not duplicates', () => {
    const refs = Array.from({ length: 6000 }, (_, i) =>
      reference(String(i + 1), {
        title: 'A History of Everything',
        publisher: 'Routledge',
        text: `Smith (2001). A History of Everything. Routledge. p. ${i + 1}. ISBN 978-0-00-000000-1`,
        identifiers: { isbn: ['9780000000001'] },
      }),
    );
    refs.push({ ...refs[41]!, id: '6001', number: 6001 });
    expect(duplicatesOf(refs).map((f) => f.referenceIds)).toEqual([['42', '6001']]);
  });

  it.each(Array.from({ length: 40 }, (_, k) => k + 1))(
    'finds the same groups and reasons as comparing every pair (random article %i)',
    (seed) => {
      const next = random(seed);
      const refs = Array.from({ length: 60 }, (_, i) => randomReference(String(i + 1), next));
      const expected = pairwiseGroups(refs);
      expect(expected.length).toBeGreaterThan(0);
      expect(groupsOf(duplicatesOf(refs))).toEqual(expected);
    },
  );
});
