/**
 * The HTML extractor's rules on small hand-written pages in `tests/fixtures/html/`: legacy
 * (rendered) and Parsoid HTML — references and their fields, link roles (url-status=dead
 * included), identifiers, access locks, COinS, tags, note groups, named reuse, sections,
 * blocks, sentences, skipped chrome — and robustness.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { extractHtml } from '../src/extract/html.js';
import { tagKindOf, tooltipDate } from '../src/extract/html-tags.js';
import type { Article as ArticleType, Reference } from '../src/model.js';
import { Article } from '../src/model.js';
import { readFixture, sourceFor } from './support/fixtures.js';

const extract = (html: string, path = 'Test.html'): ArticleType =>
  extractHtml(html, sourceFor(html, path, 'html'));
const fixture = (name: string): ArticleType => extract(readFixture(`html/${name}`), name);

const refById = (a: ArticleType, id: string): Reference => {
  const r = a.references.find((x) => x.id === id);
  if (!r) throw new Error(`no reference ${id} in ${a.references.map((x) => x.id).join(', ')}`);
  return r;
};
const roles = (r: Reference): Array<[string, string]> => r.links.map((l) => [l.role, l.url]);

describe('legacy references: fields and link roles', () => {
  const a = fixture('legacy-references.html');

  it('reads every li#cite_note-… in order, numbered in its list', () => {
    expect(a.references.map((r) => [r.id, r.number])).toEqual([
      ['cite_note-live-1', 1],
      ['cite_note-dead-2', 2],
      ['cite_note-book-3', 3],
      ['cite_note-4', 4],
      ['cite_note-5', 5],
      ['cite_note-6', 6],
      ['cite_note-7', 7],
      ['cite_note-8', 8],
    ]);
    expect(Article.parse(a)).toEqual(a);
  });

  it('url-status=live: the title is the source, "Archived" the archive', () => {
    const r = refById(a, 'cite_note-live-1');
    expect(roles(r)).toEqual([
      ['source', 'https://example.com/live'],
      ['archive', 'https://web.archive.org/web/20200304000000/https://example.com/live'],
    ]);
    expect(r.links[0]!.text).toBe('"Live page"');
    expect(r.links[1]!.text).toBe('Archived');
    expect(r.archive).toEqual({
      present: true,
      url: 'https://web.archive.org/web/20200304000000/https://example.com/live',
      date: '2020-03-04',
    });
    expect(r.urlStatus).toBe('live');
    expect(r.accessDate).toBe('2020-03-05');
    expect(r.citationClass).toBe('web');
    expect(r.accessLevel).toBe('subscription');
    expect([r.title, r.work, r.date]).toEqual(['Live page', 'Example Times', '2020-03-03']);
    expect(r.text).toBe(
      '"Live page". Example Times. 3 March 2020. Archived from the original on 4 March 2020. Retrieved 5 March 2020.',
    );
    expect(r.name).toBe('live');
  });

  it('url-status=dead: the title links to the archive and "the original" to the source', () => {
    const r = refById(a, 'cite_note-dead-2');
    expect(roles(r)).toEqual([
      ['archive', 'https://web.archive.org/web/20190102030405/http://news.example.org/story'],
      ['source', 'http://news.example.org/story'],
    ]);
    expect(r.urlStatus).toBe('dead');
    expect(r.archive.date).toBe('2019-01-02');
    expect(r.authors).toEqual(['Reporter, Rita']);
    expect(r.citationClass).toBe('news');
    expect(r.accessDate).toBe('2019-01-01');
  });

  it('url-status=dead with an archive host it does not know: the rendering decides', () => {
    const r = refById(a, 'cite_note-7');
    expect(roles(r)).toEqual([
      ['archive', 'https://records.example.gov/snapshots/2018/page'],
      ['source', 'https://gone.example.org/page'],
    ]);
    expect(r.archive).toEqual({
      present: true,
      url: 'https://records.example.gov/snapshots/2018/page',
      date: '2018-09-09',
    });
  });

  it('a book: chapter link, title link, ISBN from Special:BookSources, OCLC from its resolver', () => {
    const r = refById(a, 'cite_note-book-3');
    expect(roles(r)).toEqual([
      ['chapter', 'https://books.example.com/chapter3'],
      ['source', 'https://books.example.com/book'],
      ['identifier', 'https://www.worldcat.org/oclc/123456789'],
    ]);
    expect(r.identifiers.isbn).toEqual(['9780306406157']);
    expect(r.identifiers.oclc).toEqual(['123456789']);
    expect([r.title, r.publisher, r.date, r.citationClass]).toEqual([
      'The Big Book',
      'Example Press',
      '2010-01-01',
      'book',
    ]);
    expect(r.authors).toEqual(['Smith, John']);
  });

  it('a journal: every identifier link is an identifier, normalised; (inactive DATE); id locks', () => {
    const r = refById(a, 'cite_note-4');
    expect(r.links.filter((l) => l.role === 'source').map((l) => l.url)).toEqual([
      'https://journal.example.com/article/42',
    ]);
    expect(r.links.filter((l) => l.role === 'identifier')).toHaveLength(9);
    const { doi, arxiv, bibcode, pmc, pmid, s2cid, jstor, hdl, issn } = r.identifiers;
    expect({ doi, arxiv, bibcode, pmc, pmid, s2cid, jstor, hdl, issn }).toEqual({
      doi: ['10.1234/joe.2018.42'],
      arxiv: ['1801.01234'],
      bibcode: ['2018JExam..12...45D'],
      pmc: ['1234567'],
      pmid: ['29000001'],
      s2cid: ['4567'],
      jstor: ['20000042'],
      hdl: ['2027/example.42'],
      issn: ['0378-5955'],
    });
    expect(r.doiInactiveSince).toBe('2021-05-01');
    expect(r.accessLevel).toBe('free');
    expect(r.authors).toEqual(['Doe, Jane', 'Roe, Richard']);
    expect([r.title, r.work, r.citationClass]).toEqual([
      'A study of things',
      'Journal of Examples',
      'journal',
    ]);
  });

  it('{{dead link}} in a reference: deadLinkTag and a tag tied to the reference', () => {
    const r = refById(a, 'cite_note-5');
    expect(r.deadLinkTag).toEqual({ date: '2021-06-01', fixAttempted: true });
    expect(r.text).not.toContain('dead link');
    expect(a.tags).toContainEqual({
      kind: 'dead-link',
      text: 'permanent dead link',
      date: '2021-06-01',
      block: -1,
      sentence: 0,
      referenceId: 'cite_note-5',
    });
    expect(r.accessDate).toBe('2015-07-07');
  });

  it('a reference without a citation template: its links are sources, identifiers read from text', () => {
    const r = refById(a, 'cite_note-6');
    expect(roles(r)).toEqual([
      ['source', 'https://plain.example.com/a'],
      ['source', 'https://plain.example.com/b'],
    ]);
    expect(r.title).toBe('Plain link title');
    expect(r.date).toBe('2012-01-01');
    expect(r.identifiers.doi).toEqual(['10.5555/plain.1']);
    expect(r.identifiers.isbn).toEqual(['0306406152']);
    expect(r.citationClass).toBeUndefined();
    expect(r.urlStatus).toBeUndefined();
  });

  it('{{webarchive}} after a bare link: the archive and its date', () => {
    const r = refById(a, 'cite_note-8');
    expect(roles(r)).toEqual([
      ['source', 'https://bare.example.com/page'],
      ['archive', 'https://archive.ph/2021.01.02-030405/https://bare.example.com/page'],
    ]);
    expect(r.archive.date).toBe('2021-01-02');
  });
});

describe('legacy page: body, markers, tags and chrome', () => {
  const a = fixture('legacy-page.html');
  const allText = a.blocks.map((b) => b.text).join('\n');

  it('takes the title from h1#firstHeading', () => {
    expect(a.title).toBe('Alpha (thing)');
  });

  it('builds sections from headings (level = h − 1), the lead first', () => {
    expect(a.sections).toEqual([
      { title: '(lead)', level: 1 },
      { title: 'History', level: 1 },
      { title: 'Details', level: 2 },
      { title: 'See also', level: 1 },
      { title: 'References', level: 1 },
      { title: 'External links', level: 1 },
    ]);
  });

  it('makes blocks of paragraphs, lists, tables (infobox and wikitable), quotes and captions', () => {
    expect(a.blocks.map((b) => [b.kind, b.section])).toEqual([
      ['table', '(lead)'],
      ['paragraph', '(lead)'],
      ['paragraph', 'History'],
      ['paragraph', 'History'],
      ['list', 'History'],
      ['table', 'Details'],
      ['quote', 'Details'],
    ]);
    expect(a.blocks[1]!.text).toBe(
      'Alpha is a thing. It was made in 1990 by Dr. Smith. Many people like it.',
    );
    expect(a.blocks[1]!.sentences).toEqual([
      'Alpha is a thing.',
      'It was made in 1990 by Dr. Smith.',
      'Many people like it.',
    ]);
    expect(a.blocks[4]!.sentences).toEqual(['First item', 'Second item', 'Nested item']);
    expect(a.blocks[5]!.sentences).toEqual(['Alpha versions', 'Version Year', 'One 1990', 'Two 1995']);
  });

  it('skips page chrome, hatnotes, maintenance boxes, the TOC, navboxes and apparatus sections', () => {
    for (const chrome of [
      'Jump to content',
      'From Wikipedia',
      'For the letter',
      'needs additional citations',
      'Contents',
      'edit',
      'Beta',
      'Official website',
      'Letters',
      'Navigation menu',
      'Donate',
      'Creative Commons',
      'Categories',
      'Retrieved from',
      'citation = "needed"',
      'font-size',
      'About alpha',
    ]) {
      expect(allText).not.toContain(chrome);
    }
    expect(a.references.flatMap((r) => r.links.map((l) => l.url))).not.toContain(
      'https://official.example.com/',
    );
  });

  it('places one citation per marker on the sentence it follows, with {{rp}} pages', () => {
    expect(a.citations).toEqual([
      { referenceId: 'cite_note-found-4', block: 0, sentence: 1 },
      { referenceId: 'cite_note-alpha-1', block: 1, sentence: 0 },
      { referenceId: 'cite_note-2', block: 1, sentence: 1 },
      { referenceId: 'cite_note-alpha-1', block: 1, sentence: 1 },
      { referenceId: 'cite_note-3', block: 2, sentence: 0 },
      { referenceId: 'cite_note-book-5', block: 3, sentence: 1, pages: '12' },
      { referenceId: 'cite_note-2', block: 4, sentence: 0 },
      { referenceId: 'cite_note-book-5', block: 4, sentence: 2 },
      { referenceId: 'cite_note-found-4', block: 5, sentence: 2 },
      { referenceId: 'cite_note-3', block: 6, sentence: 0 },
    ]);
  });

  it('counts every use of a named reference', () => {
    expect(a.references.map((r) => [r.id, r.name, r.inlineCitations])).toEqual([
      ['cite_note-alpha-1', 'alpha', 2],
      ['cite_note-2', undefined, 2],
      ['cite_note-3', undefined, 2],
      ['cite_note-found-4', 'found', 2],
      ['cite_note-book-5', 'book', 2],
    ]);
  });

  it('reads maintenance tags with their dates, placed on their sentence', () => {
    expect(a.tags).toEqual([
      { kind: 'citation-needed', text: 'citation needed', date: '2020-04-01', block: 1, sentence: 2 },
      { kind: 'who', text: 'who?', date: '2019-05-01', block: 3, sentence: 0 },
    ]);
    expect(allText).not.toContain('citation needed');
    expect(allText).not.toContain('[');
  });
});

describe('note groups', () => {
  const a = fixture('legacy-notes.html');

  it('keeps notes apart from references: by list class, by marker label', () => {
    expect(a.references.map((r) => [r.id, r.group, r.number])).toEqual([
      ['cite_note-1', 'lower-alpha', 1],
      ['cite_note-note-shape-3', 'note', 1],
      ['cite_note-snd-2', undefined, 1],
    ]);
  });

  it('counts a note citing a reference as a use, without a body citation', () => {
    expect(refById(a, 'cite_note-snd-2').inlineCitations).toBe(2);
    expect(a.citations.filter((c) => c.referenceId === 'cite_note-snd-2')).toHaveLength(1);
    expect(refById(a, 'cite_note-1').text).toBe('Some say it is the third letter.');
  });

  it('reads a fragment (no page around it), with .mw-heading wrappers; "Further reading" gives no block', () => {
    expect(a.title).toBe('legacy-notes');
    expect(a.sections.map((s) => s.title)).toEqual(['(lead)', 'Notes', 'References', 'Further reading']);
    expect(a.blocks).toHaveLength(1);
  });

  it('takes the group from a list of its own under a Notes heading', () => {
    const html =
      '<div class="mw-parser-output"><p>A.<sup class="reference"><a href="#cite_note-1">[1]</a></sup> B.<sup class="reference"><a href="#cite_note-2">[2]</a></sup></p>' +
      '<h2><span class="mw-headline">Notes</span></h2><ol class="references"><li id="cite_note-1">A note.</li></ol>' +
      '<h2><span class="mw-headline">References</span></h2><ol class="references"><li id="cite_note-2">A source.</li></ol></div>';
    expect(extract(html).references.map((r) => [r.id, r.group])).toEqual([
      ['cite_note-1', 'notes'],
      ['cite_note-2', undefined],
    ]);
  });

  it('reads the group from legacy group ids', () => {
    const html =
      '<div class="mw-parser-output"><p>A.<sup class="reference"><a href="#cite_note-lower-alpha-1">[1]</a></sup></p>' +
      '<ol class="references"><li id="cite_note-lower-alpha-1">A note.</li></ol></div>';
    const r = extract(html).references[0]!;
    expect([r.group, r.name]).toEqual(['lower-alpha', undefined]);
  });
});

describe('Parsoid HTML', () => {
  const a = fixture('parsoid.html');

  it('reads <section>s, .mw-heading headings and the <title>', () => {
    expect(a.title).toBe('Ada Engine');
    expect(a.sections).toEqual([
      { title: '(lead)', level: 1 },
      { title: 'Design', level: 1 },
      { title: 'Mill', level: 2 },
      { title: 'Notes', level: 1 },
      { title: 'References', level: 1 },
      { title: 'External links', level: 1 },
    ]);
    expect(a.blocks.map((b) => [b.kind, b.section, b.text])).toEqual([
      ['paragraph', '(lead)', 'The Ada Engine was a mechanical computer. It was never finished.'],
      ['paragraph', 'Design', 'The design used punched cards. Cards were cheap.'],
      ['list', 'Mill', 'The mill did arithmetic.\nThe store held numbers.'],
    ]);
  });

  it('makes one citation per mw:Extension/ref marker, named reuse included', () => {
    expect(a.citations).toEqual([
      { referenceId: 'cite_note-lovelace-1', block: 0, sentence: 0 },
      { referenceId: 'cite_note-lovelace-1', block: 1, sentence: 0 },
      { referenceId: 'cite_note-2', block: 1, sentence: 0 },
      { referenceId: 'cite_note-3', block: 1, sentence: 1 },
      { referenceId: 'cite_note-4', block: 2, sentence: 0 },
    ]);
    expect(a.references.map((r) => [r.id, r.group, r.number, r.name, r.inlineCitations])).toEqual([
      ['cite_note-3', 'note', 1, undefined, 1],
      ['cite_note-lovelace-1', undefined, 1, 'lovelace', 2],
      ['cite_note-2', undefined, 2, undefined, 1],
      ['cite_note-4', undefined, 3, undefined, 2],
    ]);
  });

  it('prefers the template parameters (data-mw) over COinS and the rendered text', () => {
    const r = refById(a, 'cite_note-lovelace-1');
    expect(r.title).toBe('The Analytical Engine notes');
    expect(r.date).toBe('2020-05-12');
    expect(r.authors).toEqual(['Lovelace, Ada', 'Babbage, Charles']);
    expect([r.work, r.publisher, r.accessDate, r.urlStatus]).toEqual([
      'Example Org',
      'Example Publishing',
      '2020-05-30',
      'dead',
    ]);
    expect(r.archive).toEqual({
      present: true,
      url: 'https://web.archive.org/web/20200601000000/https://example.org/original',
      date: '2020-06-01',
    });
    expect(roles(r)).toEqual([
      ['archive', 'https://web.archive.org/web/20200601000000/https://example.org/original'],
      ['source', 'https://example.org/original'],
    ]);
  });

  it('reads identifiers, access level and class from the parameters', () => {
    const r = refById(a, 'cite_note-2');
    expect(r.identifiers.doi).toEqual(['10.5555/sketch.1842']);
    expect(r.identifiers.isbn).toEqual(['9780306406157']);
    expect([r.title, r.date, r.accessLevel, r.citationClass]).toEqual([
      'Sketch of the Analytical Engine',
      '1842-01-01',
      'registration',
      'book',
    ]);
    expect(r.authors).toEqual(['Menabrea, Luigi']);
    expect(roles(r)).toEqual([
      ['source', 'https://books.example.org/sketch'],
      ['identifier', 'https://doi.org/10.5555%2FSketch.1842'],
    ]);
  });

  it('reads {{webarchive}} and {{dead link}} transclusions inside a reference', () => {
    const r = refById(a, 'cite_note-4');
    expect(r.archive).toEqual({
      present: true,
      url: 'https://archive.ph/2021.01.02-030405/https://bare.example.net/mill',
      date: '2021-01-02',
    });
    expect(r.deadLinkTag).toEqual({ date: '2023-08-01', fixAttempted: false });
  });

  it('takes a tag date from the template parameters when the tooltip has none', () => {
    expect(a.tags).toEqual([
      { kind: 'citation-needed', text: 'citation needed', date: '2021-03-01', block: 0, sentence: 1 },
      {
        kind: 'dead-link',
        text: 'dead link',
        date: '2023-08-01',
        block: -1,
        sentence: 0,
        referenceId: 'cite_note-4',
      },
    ]);
    expect(a.blocks.map((b) => b.text).join(' ')).not.toContain('Mechanical computer');
    expect(Article.parse(a)).toEqual(a);
  });
});

describe('markers and text details', () => {
  it('resolves percent-encoded marker links to the li id', () => {
    const html =
      '<div class="mw-parser-output"><p>Q.<sup class="reference"><a href="#cite_note-%22Q%22-1">[1]</a></sup></p>' +
      '<ol class="references"><li id="cite_note-&quot;Q&quot;-1"><span class="reference-text">Quoted name.</span></li></ol></div>';
    const a = extract(html);
    expect(a.citations).toEqual([{ referenceId: 'cite_note-"Q"-1', block: 0, sentence: 0 }]);
    expect(a.references[0]!.inlineCitations).toBe(1);
  });

  it('keeps a marker whose note is missing (the audit reports it)', () => {
    const a = extract('<p>Orphan.<sup class="reference"><a href="#cite_note-9">[9]</a></sup></p>');
    expect(a.citations).toEqual([{ referenceId: 'cite_note-9', block: 0, sentence: 0 }]);
    expect(a.references).toEqual([]);
  });

  it('keeps markers out of section titles and reads the content, not a site notice', () => {
    const html =
      '<html><body><div id="siteNotice"><div class="mw-parser-output"><p>Donate today.</p></div></div>' +
      '<div id="mw-content-text"><div class="mw-parser-output"><h2><span class="mw-headline">Origins<sup class="reference"><a href="#cite_note-1">[1]</a></sup></span></h2><p>Body.</p></div></div></body></html>';
    const a = extract(html);
    expect(a.sections.map((s) => s.title)).toEqual(['(lead)', 'Origins']);
    expect(a.blocks.map((b) => b.text)).toEqual(['Body.']);
  });

  it('takes text directly inside a container as a paragraph', () => {
    const a = extract(
      '<div class="mw-parser-output">Loose text.<sup class="reference"><a href="#cite_note-1">[1]</a></sup><p>Next.</p></div>',
    );
    expect(a.blocks.map((b) => [b.kind, b.text])).toEqual([
      ['paragraph', 'Loose text.'],
      ['paragraph', 'Next.'],
    ]);
  });

  it("falls back from <title> to the caller's wiki title", () => {
    const html = '<p>Text.</p>';
    const source = {
      ...sourceFor(html, undefined, 'html'),
      wiki: {
        endpoint: 'https://en.wikipedia.org/w/api.php',
        title: 'Given Title',
        fetchedAt: '2026-01-01T00:00:00Z',
      },
    };
    expect(extractHtml(html, source).title).toBe('Given Title');
    expect(extract('<title>Page - Wikipedia</title><p>Text.</p>').title).toBe('Page');
  });
});

describe('tag kinds', () => {
  it.each([
    ['citation needed', 'citation-needed'],
    ['who?', 'who'],
    ['when?', 'when'],
    ['which?', 'which'],
    ['by whom?', 'by-whom'],
    ['according to whom?', 'according-to-whom'],
    ['dubious', 'dubious'],
    ['original research?', 'original-research'],
    ['better source needed', 'better-source-needed'],
    ['failed verification', 'failed-verification'],
    ['not in citation given', 'failed-verification'],
    ['clarification needed', 'clarification-needed'],
    ['unreliable source?', 'unreliable-source'],
    ['page needed', 'page-needed'],
    ['dead link', 'dead-link'],
    ['permanent dead link', 'dead-link'],
    ['verification needed', 'other'],
  ])('%s → %s', (text, kind) => {
    expect(tagKindOf(text)).toBe(kind);
  });

  it('reads dates from tooltips', () => {
    expect(tooltipDate('This claim needs references to reliable sources. (April 2020)')).toBe('2020-04-01');
    expect(tooltipDate('\u00a0Dead link tagged June 2021')).toBe('2021-06-01');
    expect(tooltipDate('No date here')).toBeUndefined();
  });
});

describe('robustness', () => {
  it('refuses empty input with an InputError', () => {
    expect(() => extract('')).toThrow(InputError);
    expect(() => extract(' \n\t ')).toThrow(InputError);
  });

  /** Blank input is an InputError; anything else gives an article that fits the schema. */
  const expectArticleOrInputError = (html: string): void => {
    if (!html.trim()) {
      expect(() => extract(html)).toThrow(InputError);
      return;
    }
    expect(() => Article.parse(extract(html))).not.toThrow();
  };

  it('never throws anything but InputError on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), expectArticleOrInputError), { numRuns: 300 });
  });

  const PIECES = [
    '<p>',
    '</p>',
    'Claim. ',
    '<sup class="reference"><a href="#cite_note-1">[1]</a></sup>',
    '<sup typeof="mw:Extension/ref" data-mw=\'{"attrs":{"name":',
    '<ol class="references">',
    '<li id="cite_note-1">',
    '<cite class="citation web">',
    '<a class="external text" href="https://web.archive.org/web/2020/x">',
    '<a rel="mw:ExtLink" href="//doi.org/10.1/x">',
    '</a>',
    'Archived from <a class="external" href="http://x">the original</a>',
    '<span class="Z3988" title="rft.date=2020&amp;rft.au=A&amp;rft_id=info:doi/10.1/x">',
    '<sup class="Inline-Template"><span title="(May 2020)">citation needed</span></sup>',
    '<h2>',
    '</h2>',
    '<div class="mw-heading mw-heading3"><h3>Sub</h3></div>',
    '<table class="wikitable"><tr><td>',
    '</td></tr></table>',
    '<ul><li>',
    '</li></ul>',
    '<section>',
    '<span typeof="mw:Transclusion" data-mw=\'{"parts":[{"template":{"target":{"wt":"cite web"},"params":{"url":{"wt":"',
    '"}}}}]}\'>',
    '</ol>',
    '<!--',
    '<script>',
    '&#',
  ];

  it('never throws anything but InputError on shuffled Wikipedia markup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), (parts) =>
        expectArticleOrInputError(parts.join('')),
      ),
      { numRuns: 300 },
    );
  });

  it('never throws anything but InputError on truncated fixtures', () => {
    const pages = ['legacy-page.html', 'legacy-references.html', 'parsoid.html'].map((n) =>
      readFixture(`html/${n}`),
    );
    fc.assert(
      fc.property(fc.constantFrom(...pages), fc.nat(), fc.nat(), (page, a, b) => {
        const start = a % page.length;
        expectArticleOrInputError(page.slice(start, start + (b % (page.length - start + 1))));
      }),
      { numRuns: 200 },
    );
  });
});
