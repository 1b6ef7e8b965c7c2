import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/model.js';
import { audit, ofKind, type ReferenceFields, reference, referencesOnly } from './support/article-builder.js';

const only = (fields: ReferenceFields, kind: string): Finding[] =>
  ofKind(audit(referencesOnly([reference('5', { line: 295, ...fields })])), kind);

describe('incomplete-citation', () => {
  const full: ReferenceFields = { title: 'Choking off China’s Access', work: 'CSIS', date: '2022-10-11' };

  it.each<[string, ReferenceFields, string[]]>([
    ['complete', full, []],
    ['no date', { ...full, date: undefined }, ['no date']],
    ['no work, publisher instead', { ...full, work: undefined, publisher: 'CSIS' }, []],
    ['no work nor publisher', { ...full, work: undefined }, ['no publisher or work']],
    [
      'nothing at all',
      { text: 'Some words about a source somewhere.' },
      ['no date', 'no publisher or work', 'nothing to find the source by (no title, link or identifier)'],
    ],
    [
      'a link but no title',
      { ...full, title: undefined, links: [{ url: 'https://example.com/', role: 'source' }] },
      [],
    ],
    [
      'a book with ISBN but no date or publisher',
      { title: 'How China Works', identifiers: { isbn: ['9789819700790'] } },
      [],
    ],
    [
      'an arXiv preprint without venue',
      { title: 'AI Index', date: '2021-03-08', identifiers: { arxiv: ['2103.06312'] } },
      [],
    ],
    [
      'an ISSN pins the periodical, not the article',
      {
        title: 'China has become a scientific superpower',
        work: 'The Economist',
        identifiers: { issn: ['0013-0613'] },
      },
      ['no date'],
    ],
    ['a short citation pointing at a full one', { text: 'Smith & Jones (2020), pp. 12–14.' }, []],
    ['an explanatory note', { text: 'The plan was later revised.', group: 'notes' }, []],
  ])('%s', (_name, fields, gaps) => {
    const found = only(fields, 'incomplete-citation');
    if (gaps.length === 0) {
      expect(found).toEqual([]);
      return;
    }
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', referenceIds: ['5'], location: { line: 295 } });
    expect(found[0]?.message).toBe(`[5] is incomplete: ${gaps.join(', ')}.`);
    expect(found[0]?.suggestion).toMatch(/^Add /);
  });
});

describe('no-archive', () => {
  const page: ReferenceFields = { title: 'A page', work: 'SCMP', date: '2024-08-22' };
  const archived = {
    present: true,
    url: 'https://web.archive.org/web/2024/https://example.com/',
    date: '2024-08-25',
  };

  it.each<[string, ReferenceFields, Finding['severity'] | undefined]>([
    ['access date, no identifier, no archive', { ...page, accessDate: '2024-08-24' }, 'info'],
    [
      'source link, no archive',
      { ...page, links: [{ url: 'https://example.com/a', role: 'source' }] },
      'info',
    ],
    [
      'access date and an ISSN only',
      { ...page, accessDate: '2024-09-27', identifiers: { issn: ['0013-0613'] } },
      'info',
    ],
    ['access date, archived', { ...page, accessDate: '2024-08-24', archive: archived }, undefined],
    [
      'an archive link without archive metadata',
      {
        ...page,
        links: [
          { url: 'https://example.com/a', role: 'source' },
          { url: 'https://archive.ph/abc', role: 'archive' },
        ],
      },
      undefined,
    ],
    [
      'a book with ISBN and an access date',
      { ...page, accessDate: '2024-07-22', identifiers: { isbn: ['9781916682429'] } },
      undefined,
    ],
    ['no access date, no link (not known to be on the web)', page, undefined],
    ['url-status dead, no archive', { ...page, accessDate: '2024-08-24', urlStatus: 'dead' }, 'warning'],
    [
      'dead-link tag, no archive',
      { ...page, accessDate: '2024-08-24', deadLinkTag: { fixAttempted: false } },
      'warning',
    ],
    ['url-status live, no archive', { ...page, accessDate: '2024-08-24', urlStatus: 'live' }, 'info'],
  ])('%s', (_name, fields, severity) => {
    const found = only(fields, 'no-archive');
    if (severity === undefined) {
      expect(found).toEqual([]);
      return;
    }
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity, referenceIds: ['5'] });
    expect(found[0]?.suggestion).toContain('archive');
  });

  it('suggests --archive for a live source', () => {
    const [f] = only({ ...page, accessDate: '2024-08-24' }, 'no-archive');
    expect(f?.message).toBe('[5] is a web source without an archive copy (retrieved 2024-08-24).');
    expect(f?.suggestion).toContain('--archive');
  });
});
