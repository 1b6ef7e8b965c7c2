/**
 * Golden test on the seed article. Every expectation below was written by reading
 * `references/artificial-intelligence-industry-in-china.md` (and counting with grep), not from
 * the extractor's output.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { extractMarkdown } from '../src/extract/markdown.js';
import { type Article, Article as ArticleSchema, emptyIdentifiers, type Identifiers } from '../src/model.js';
import { readSeed, seedSource } from './support/fixtures.js';

type Ids = Partial<Identifiers>;
/** [id, identifiers, archive date (null: not archived), access date (null: none)] */
type Row = [string, Ids, string | null, string | null];

const BOOK_1 = '9781003212980';
const CAS = ['2023-05-04', '2023-05-05'] as const;

const REFERENCES: Row[] = [
  ['1', { doi: ['10.4324/9781003212980-4'], isbn: [BOOK_1] }, null, null],
  ['2', {}, '2021-02-15', '2020-04-30'],
  ['3', { doi: ['10.4324/9781003212980-2'], isbn: [BOOK_1] }, null, null],
  ['4', { oclc: ['1029611044'] }, '2024-01-14', '2024-02-16'],
  ['5', {}, '2022-10-12', '2022-10-12'],
  ['6', {}, '2023-03-03', '2023-03-03'],
  ['7', {}, '2024-07-11', '2024-07-11'],
  ['8', {}, '2024-07-16', '2024-07-16'],
  ['9', { doi: ['10.3981/j.issn.1000-7857.2016.15.001'], issn: ['1000-7857'] }, '2022-01-20', '2022-02-07'],
  ['10', {}, null, null],
  ['11', { doi: ['10.1007/978-981-19-8505-8_2'], isbn: ['9789811985041'] }, null, null],
  ['12', {}, ...CAS],
  ['13', {}, ...CAS],
  ['14', {}, '2018-04-13', '2018-04-02'],
  ['15', {}, '2020-07-18', '2020-06-03'],
  ['16', {}, ...CAS],
  ['17', {}, ...CAS],
  ['18', { issn: ['0261-3077'] }, '2024-05-25', '2024-05-19'],
  ['19', { issn: ['0261-3077'] }, '2024-02-20', '2024-05-19'],
  ['20', {}, '2024-05-19', '2024-05-19'],
  [
    '21',
    { bibcode: ['2018Natur.553..260C'], doi: ['10.1038/d41586-018-00604-6'], pmid: ['29345655'] },
    null,
    null,
  ],
  ['22', { doi: ['10.1080/14765284.2022.2081485'], issn: ['1476-5284'], s2cid: ['249301337'] }, null, null],
  ['23', {}, ...CAS],
  ['24', {}, '2023-11-19', '2024-05-21'],
  ['25', { doi: ['10.1093/oso/9780197682258.001.0001'], isbn: ['9780197682258'] }, null, null],
  ['26', {}, '2024-08-16', '2024-08-19'],
  ['27', {}, '2024-05-25', '2024-05-21'],
  ['28', { isbn: ['9781916682429'] }, '2024-07-17', '2024-07-22'],
  ['29', {}, '2024-05-21', '2024-05-21'],
  ['30', {}, null, '2024-08-24'],
  ['31', {}, null, '2024-08-24'],
  ['32', {}, null, '2024-08-24'],
  ['33', {}, null, '2024-08-24'],
  ['34', { jstor: ['resrep20446'] }, '2019-02-07', '2019-03-11'],
  ['35', { doi: ['10.4324/9781003212980-3'], isbn: [BOOK_1] }, null, null],
  ['36', { doi: ['10.1007/978-981-97-0080-6'], isbn: ['9789819700790'] }, null, null],
  ['37', { doi: ['10.51593/20190031'], s2cid: ['242961679'] }, '2024-04-10', '2024-04-10'],
  ['38', { doi: ['10.1126/science.aat2458'] }, null, null],
  ['39', {}, '2023-04-09', '2024-02-16'],
  ['40', {}, '2019-05-28', '2020-04-30'],
  ['41', {}, '2020-05-16', null],
  ['42', { arxiv: ['2103.06312'] }, null, null],
  ['43', {}, '2023-04-07', '2023-04-07'],
  ['44', {}, null, '2024-10-18'],
  ['45', { isbn: ['9780393292398'] }, null, null],
  ['46', { issn: ['0017-8012'] }, '2024-01-20', '2024-02-16'],
  ['47', { issn: ['1059-1028'] }, '2024-02-25', '2024-02-25'],
  ['48', {}, '2023-04-15', '2023-04-15'],
  ['49', {}, '2024-05-25', '2024-05-21'],
  ['50', { issn: ['0013-0613'] }, '2023-12-26', '2023-12-26'],
  ['51', {}, '2024-07-17', '2024-07-17'],
  ['52', {}, null, '2024-11-30'],
  ['53', {}, '2024-04-02', '2024-04-08'],
  ['54', { issn: ['0261-3077'] }, '2024-05-25', '2024-04-08'],
  ['55', {}, '2024-04-08', '2024-04-08'],
  ['56', {}, '2022-02-05', '2022-02-04'],
  ['57', {}, '2024-02-04', '2024-02-16'],
  ['58', { doi: ['10.51593/20230042'] }, '2024-06-18', '2024-06-18'],
  ['59', {}, '2024-02-18', '2024-02-17'],
  ['60', {}, '2020-05-08', '2020-04-30'],
  ['61', {}, '2024-02-18', '2024-02-17'],
  ['62', {}, '2024-05-25', '2024-02-17'],
  ['63', { doi: ['10.51593/20200022'] }, null, null],
  ['64', {}, '2020-05-13', '2020-04-30'],
  ['65', { issn: ['0362-4331'] }, '2020-04-07', '2020-04-30'],
  ['66', {}, '2020-04-12', '2020-04-30'],
  ['67', {}, '2024-02-20', '2024-02-19'],
  ['68', { issn: ['0362-4331'] }, '2024-02-20', '2024-02-20'],
  ['69', {}, null, '2024-11-03'],
  ['70', {}, null, '2024-11-01'],
  ['71', {}, '2020-03-02', '2020-04-30'],
  ['72', {}, '2020-01-09', '2020-04-30'],
  ['73', { issn: ['0013-0613'] }, null, '2024-09-27'],
  ['74', {}, '2022-02-03', '2022-02-04'],
  ['75', { bibcode: ['2020Engin...6..302W'], doi: ['10.1016/j.eng.2019.12.015'] }, null, null],
  ['76', {}, '2022-02-04', '2022-02-04'],
  ['77', {}, '2022-02-04', '2022-02-04'],
  ['78', { doi: ['10.4324/9781003350064-12'], isbn: ['9781032395081'] }, null, null],
  ['79', {}, '2024-03-29', '2024-05-25'],
  ['80', {}, '2024-03-31', '2024-05-25'],
  [
    '81',
    { doi: ['10.1016/j.clsr.2023.105897'], hdl: ['10067/2001290151162165141'] },
    '2024-05-26',
    '2024-05-26',
  ],
  ['82', {}, '2018-04-09', '2018-04-10'],
  ['83', {}, '2020-01-10', '2020-01-10'],
  ['84', {}, '2024-06-03', '2024-06-03'],
  ['85', {}, null, null],
  ['86', { doi: ['10.1093/cjip/poab005'], issn: ['1750-8916'] }, null, null],
  ['87', {}, '2018-03-24', '2018-04-03'],
  ['88', {}, '2024-08-24', '2024-08-23'],
  ['89', { doi: ['10.1093/qje/qjad012'], issn: ['0033-5533'] }, null, null],
  ['90', { issn: ['0362-4331'] }, '2019-06-08', '2024-02-25'],
  ['91', {}, '2024-02-26', '2024-02-25'],
  ['92', {}, '2024-02-26', '2024-02-25'],
  ['93', {}, '2024-02-26', '2024-02-26'],
];

/** Markers citing a reference, counted with grep over the body (lines 1–286). */
const INLINE_CITATIONS: Record<string, number> = {
  '1': 2,
  '2': 3,
  '3': 5,
  '4': 7,
  '8': 5,
  '9': 4,
  '14': 5,
  '25': 8,
  '28': 15,
  '57': 4,
  '60': 4,
  '73': 2,
  '85': 1,
  '86': 3,
  '93': 1,
};

/** The source lines of the reference list: runs separated by page breaks. */
const REFERENCE_LINES: Array<[first: number, firstLine: number, last: number]> = [
  [1, 291, 6],
  [7, 300, 18],
  [19, 315, 30],
  [31, 330, 42],
  [43, 345, 56],
  [57, 362, 68],
  [69, 377, 80],
  [81, 392, 93],
];

describe('seed golden: Artificial intelligence industry in China', () => {
  let article: Article;
  const ref = (id: string) => article.references.find((r) => r.id === id)!;

  beforeAll(() => {
    const text = readSeed();
    article = extractMarkdown(text, seedSource(text));
  });

  it('is a valid Article', () => {
    expect(ArticleSchema.safeParse(article).success).toBe(true);
    expect(article.title).toBe('Artificial intelligence industry in China');
  });

  it('has the sections of the export, every heading at level 2', () => {
    expect(article.sections.map((s) => [s.title, s.line])).toEqual([
      ['(lead)', 5],
      ['History', 19],
      ['Late 1970s to early 2010s', 27],
      ['Late 2010s to early 2020s', 37],
      ['CHINA Government goals', 99],
      ['Research and development', 109],
      ['Population', 127],
      ['Facial recognition', 133],
      ['Censorship and content controls', 139],
      ['Impact', 153],
      ['Economic impact', 157],
      ['Military impact', 167],
      ['Academia', 183],
      ['Ethical concerns', 191],
      ['Judicial system', 199],
      ['Leading companies', 211],
      ['Assessment', 244],
      ['Public polling', 262],
      ['Human rights', 268],
      ['See also', 274],
      ['References', 287],
    ]);
    expect(article.sections[0]!.level).toBe(1);
    expect(article.sections.slice(1).every((s) => s.level === 2)).toBe(true);
  });

  it('has 93 references numbered 1..93 on their source lines', () => {
    expect(article.references.map((r) => r.id)).toEqual(Array.from({ length: 93 }, (_, i) => String(i + 1)));
    expect(article.references.map((r) => r.number)).toEqual(Array.from({ length: 93 }, (_, i) => i + 1));
    for (const [first, firstLine, last] of REFERENCE_LINES) {
      for (let n = first; n <= last; n++) expect(ref(String(n)).line).toBe(firstLine + n - first);
    }
  });

  it.each(REFERENCES)('reference %s: identifiers, archive, access date', (id, ids, archived, accessed) => {
    const r = ref(id);
    expect(r.identifiers).toEqual({ ...emptyIdentifiers(), ...ids });
    expect(r.archive).toEqual(archived === null ? { present: false } : { present: true, date: archived });
    expect(r.accessDate).toBe(accessed ?? undefined);
    expect(r.links).toEqual([]);
  });

  it('marks the inactive DOIs of references 9 and 58, and no other', () => {
    expect(
      article.references.filter((r) => r.doiInactiveSince).map((r) => [r.id, r.doiInactiveSince]),
    ).toEqual([
      ['9', '2024-11-01'],
      ['58', '2024-11-01'],
    ]);
  });

  it('reads titles, authors, dates, works and publishers', () => {
    expect(ref('1')).toMatchObject({
      authors: ['Chang, Huey-Meei', 'Hannas, William C.'],
      date: '2022-06-22',
      title: 'Foreign support, alliances, and technology transfer',
      work: 'Chinese Power and Artificial Intelligence',
      publisher: 'Routledge',
    });
    expect(ref('2')).toMatchObject({
      date: '2017-01-01',
      title: 'How China is preparing for an AI-powered Future',
    });
    expect(ref('4')).toMatchObject({ date: '2017-11-28', publisher: 'Center for a New American Security' });
    expect(ref('7').title).toBe('生成中国式AI：审查之外，科技公司的烦恼清单');
    expect(ref('9').authors).toEqual(['蔡自兴']);
    expect(ref('18')).toMatchObject({ work: 'The Guardian', authors: ['Milmo, Dan', 'Hawkins, Amy'] });
    expect(ref('21')).toMatchObject({ work: 'Nature', citationClass: 'journal' });
    expect(ref('34')).toMatchObject({
      publisher: 'Center for a New American Security',
      citationClass: 'report',
    });
    expect(ref('37')).toMatchObject({ date: '2019-12-01', authors: ['Ashwin Acharya', 'Zachary Arnold'] });
    expect(ref('39').authors).toEqual(['21 世纪经济报道']);
    expect(ref('40').authors).toEqual(['Tilley, Aaron']);
    expect(ref('68').title).toBe(
      'Biden Issues New Order to Block Chinese Investment in Technology in the U.S.',
    );
    expect(ref('82').title).toBe('Chinese AI startup dwarfs global rivals with $4.5 billion valuation');
    expect(ref('10').authors).toEqual([]);
  });

  it('strips the backlink debris from every reference', () => {
    for (const r of article.references) {
      expect(r.text).not.toMatch(/Jump up|^\^|^\[\^\]|\^\{|\^[a-z]\s/);
    }
    expect(ref('35').text).toMatch(
      /^Sutter, Karen M\.; Arnold, Zachary \(2022-06-22\), "China's AI companies/,
    );
    expect(ref('73').text).toMatch(/^"China has become a scientific superpower"\. The Economist\./);
    expect(ref('86').text).toMatch(/^Zeng, Jinghan \(2021-09-16\)\./);
  });

  it('counts 162 inline markers, all citing existing references', () => {
    expect(article.citations).toHaveLength(162);
    const ids = new Set(article.references.map((r) => r.id));
    expect(article.citations.filter((c) => !ids.has(c.referenceId))).toEqual([]);
    expect(article.references.reduce((sum, r) => sum + r.inlineCitations, 0)).toBe(162);
    for (const c of article.citations) expect(article.blocks[c.block]!.sentences[c.sentence]).toBeDefined();
  });

  it('counts inline citations per reference from the body markers', () => {
    for (const [id, count] of Object.entries(INLINE_CITATIONS))
      expect([id, ref(id).inlineCitations]).toEqual([id, count]);
    expect(article.references.every((r) => r.inlineCitations >= 1)).toBe(true);
  });

  it('keeps the pages of page-citing markers', () => {
    const pages = (line: number) =>
      article.citations.filter((c) => c.line === line).map((c) => [c.referenceId, c.pages ?? null]);
    expect(pages(53)).toEqual([
      ['24', null],
      ['25', '283'],
    ]);
    expect(pages(266)).toEqual([
      ['25', '283'],
      ['28', '101'],
      ['25', '283'],
      ['88', null],
    ]);
    expect(pages(171)).toContainEqual(['4', '12-14']);
    expect(pages(107)).toEqual([
      ['3', null],
      ['36', '167'],
    ]);
  });

  it('finds 3 citation-needed tags, 1 who and 1 original-research', () => {
    expect(article.tags.map((t) => [t.kind, t.line])).toEqual([
      ['citation-needed', 13],
      ['citation-needed', 31],
      ['citation-needed', 45],
      ['who', 161],
      ['original-research', 197],
    ]);
  });

  it('makes no citation of [2017], [smart court reform] or [public domain]', () => {
    expect(article.citations.some((c) => c.referenceId === '2017')).toBe(false);
    const texts = article.blocks.map((b) => b.text).join('\n');
    expect(texts).toContain('(State Council Document [2017] No. 35)');
    expect(texts).toContain('goals of SCR [smart court reform].');
    expect(ref('60').text).toContain('which is in the public domain.');
    expect(article.tags.some((t) => /public domain|smart court/.test(t.text))).toBe(false);
  });

  it('joins the two paragraphs split mid-sentence by page breaks', () => {
    const pla = article.blocks.find((b) => b.text.includes('wrote in the PLA Daily that the'))!;
    expect(pla.text).toContain(
      'wrote in the PLA Daily that the "transferability of social resources" between economic and military ends',
    );
    expect(pla.line).toBe(41);
    const cnas = article.blocks.find((b) => b.text.includes('to similarly'))!;
    expect(cnas.text).toContain(
      'the U.S. policymaking community to similarly prioritize cultivating expertise',
    );
    expect(cnas.line).toBe(250);
  });

  it('has the two tables and the two lists, and no See also or hatnote block', () => {
    expect(
      article.blocks.filter((b) => b.kind !== 'paragraph').map((b) => [b.kind, b.line, b.sentences.length]),
    ).toEqual([
      ['table', 76, 4],
      ['list', 86, 8],
      ['table', 224, 5],
      ['list', 232, 11],
    ]);
    expect(article.blocks.find((b) => b.line === 86)!.sentences[4]).toContain(
      'Central Cyberspace Administration; National Development and Reform Commission; Ministry of Science and Technology',
    );
    expect(article.blocks.some((b) => b.section === 'See also')).toBe(false);
    expect(article.blocks.some((b) => b.text.startsWith('Further information'))).toBe(false);
    expect(article.blocks.every((b) => !b.text.includes('](#)') && !b.text.includes('^['))).toBe(true);
  });

  it('puts the advert in trailing and none of it in any reference', () => {
    expect(article.trailing.map((t) => t.line)).toEqual([408, 413, 420, 427]);
    const trailing = article.trailing.map((t) => t.text).join('\n');
    expect(trailing).toContain('WELCOME TO PRESALE1 ADVISORY BOARD');
    expect(trailing).toContain('Amal Elazari');
    expect(trailing).toContain('连接愛与和平');
    for (const r of article.references) expect(r.text).not.toMatch(/PRESALE|Elazari|连接愛与和平/);
    expect(ref('93').text).toBe(
      '"China\'s AI-Tocracy Quells Protests and Boosts AI Innovation". IEEE Spectrum. Archived from the original on 2024-02-26. Retrieved 2024-02-26.',
    );
  });

  it('keeps the quotation on the line of reference 80 in reference 80', () => {
    expect(ref('80').text).toContain(
      '"We must be alert to the erosion of judicial power by technology companies and capital," she added.',
    );
  });
});
