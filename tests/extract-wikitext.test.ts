/**
 * The wikitext extractor's rules, each on a small snippet: references and their reuse,
 * list-defined references, notes, short footnotes, citation templates, links in references,
 * maintenance tags, the body (sections, blocks, text), markers and lines, and robustness.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { extractWikitext } from '../src/extract/wikitext.js';
import { parseWikitext, refBody, type TemplateNode, templateParams } from '../src/extract/wikitext-parse.js';
import type { Article as ArticleType, Reference } from '../src/model.js';
import { Article } from '../src/model.js';
import { readFixture, sourceFor } from './support/fixtures.js';

const extract = (text: string, path = 'Test_article.wiki'): ArticleType =>
  extractWikitext(text, sourceFor(text, path, 'wikitext'));

const refById = (a: ArticleType, id: string): Reference => {
  const r = a.references.find((x) => x.id === id);
  if (!r) throw new Error(`no reference ${id} in ${a.references.map((x) => x.id).join(', ')}`);
  return r;
};

/** One reference holding `content`, cited once from a body sentence. */
const single = (content: string): Reference => {
  const a = extract(`Claim.<ref>${content}</ref>\n`);
  expect(a.references).toHaveLength(1);
  return a.references[0]!;
};

describe('references', () => {
  it('makes each <ref>…</ref> a reference cited where it stands', () => {
    const a = extract('First claim.<ref>Source one.</ref> Second claim.<ref>Source two.</ref>\n');
    expect(a.references.map((r) => [r.id, r.number, r.text])).toEqual([
      ['ref-1', 1, 'Source one.'],
      ['ref-2', 2, 'Source two.'],
    ]);
    expect(a.citations.map((c) => [c.referenceId, c.block, c.sentence])).toEqual([
      ['ref-1', 0, 0],
      ['ref-2', 0, 1],
    ]);
    expect(a.blocks[0]!.sentences).toEqual(['First claim.', 'Second claim.']);
  });

  it.each([
    ['double quotes', '<ref name="src">A.</ref>', '<ref name="src" />'],
    ['single quotes', "<ref name='src'>A.</ref>", "<ref name='src'/>"],
    ['a bare name', '<ref name=src>A.</ref>', '<ref name=src/>'],
    ['mixed quoting', '<ref name="src">A.</ref>', '<ref name=src />'],
  ])('defines a named reference once and counts every use (%s)', (_label, def, reuse) => {
    const a = extract(`One.${def} Two.${reuse} Three.${reuse}\n`);
    expect(a.references).toHaveLength(1);
    const r = a.references[0]!;
    expect([r.id, r.name, r.text, r.inlineCitations]).toEqual(['src', 'src', 'A.', 3]);
    expect(a.citations.map((c) => c.sentence)).toEqual([0, 1, 2]);
  });

  it('counts a reuse that comes before the definition', () => {
    const a = extract('Early.<ref name="late"/> Later.<ref name="late">Defined here.</ref>\n');
    expect(a.references).toHaveLength(1);
    expect(refById(a, 'late')).toMatchObject({
      text: 'Defined here.',
      inlineCitations: 2,
      number: 1,
      line: 1,
    });
  });

  it('numbers references by first use and ids unnamed ones by order of definition', () => {
    const a = extract(
      ['A.<ref name="b"/> B.<ref>Anonymous.</ref>', '', 'C.<ref name="b">Named.</ref>'].join('\n'),
    );
    expect(a.references.map((r) => [r.id, r.number])).toEqual([
      ['b', 1],
      ['ref-1', 2],
    ]);
  });

  it('reads list-defined references from {{reflist|refs=…}}, used by name in the body', () => {
    const a = extract(
      [
        'Claim.<ref name="x"/> Other.<ref name="y"/>',
        '== References ==',
        '{{Reflist|refs=',
        '<ref name="y">Why.</ref>',
        '<ref name="x">Ex.</ref>',
        '}}',
      ].join('\n'),
    );
    expect(a.references.map((r) => [r.id, r.number, r.text, r.inlineCitations, r.line])).toEqual([
      ['x', 1, 'Ex.', 1, 5],
      ['y', 2, 'Why.', 1, 4],
    ]);
    expect(a.citations).toHaveLength(2);
  });

  it('reads list-defined references from <references>…</references>', () => {
    const a = extract(
      [
        'Claim.<ref name="a"/>',
        '== Notes ==',
        '<references>',
        '<ref name="a">Aye.</ref>',
        '</references>',
      ].join('\n'),
    );
    expect(a.references).toHaveLength(1);
    expect(refById(a, 'a')).toMatchObject({ text: 'Aye.', inlineCitations: 1, number: 1 });
  });

  it('keeps group= notes and {{efn}}/{{efn-ua}}/{{NoteTag}} apart from references', () => {
    const a = extract(
      [
        'Claim.<ref>Real source.</ref> Aside.<ref group="nb">A note.</ref> More.{{efn|An efn note.}}',
        'Upper.{{efn-ua|Upper note.}} Tagged.{{NoteTag|Old-style note.}} Again.<ref group=nb name=n2>Second.</ref>',
      ].join('\n'),
    );
    const plain = a.references.filter((r) => r.group === undefined);
    expect(plain.map((r) => r.text)).toEqual(['Real source.']);
    const notes = a.references.filter((r) => r.group !== undefined);
    expect(notes.map((r) => [r.group, r.number, r.text])).toEqual([
      ['nb', 1, 'A note.'],
      ['lower-alpha', 1, 'An efn note.'],
      ['upper-alpha', 1, 'Upper note.'],
      ['note', 1, 'Old-style note.'],
      ['nb', 2, 'Second.'],
    ]);
    expect(new Set(a.references.map((r) => r.id)).size).toBe(a.references.length);
  });

  it('reads {{#tag:ref|…|group=…}} as a note and a <ref> inside it as a reference', () => {
    const a = extract('Claim.{{#tag:ref|Note text.<ref name="inner">Inner.</ref>|group="nb"}}\n');
    expect(a.references.find((r) => r.group === 'nb')?.text).toBe('Note text.');
    // Cited where the note is cited (issue 12: it was reported as unused).
    expect(refById(a, 'inner')).toMatchObject({ text: 'Inner.', inlineCitations: 1, number: 1 });
    expect(a.citations.map((c) => [c.referenceId, c.block, c.sentence])).toEqual([
      ['inner', 0, 0],
      ['nb-1', 0, 0],
    ]);
  });

  it('treats {{refn}} without a group as a reference and {{r}}/{{rp}} as uses with pages', () => {
    const a = extract('One.{{refn|name=rn|Refn text.}} Two.{{r|rn|p=12}} Three.<ref name=rn/>{{rp|40–42}}\n');
    expect(a.references).toHaveLength(1);
    expect(a.citations.map((c) => [c.referenceId, c.pages])).toEqual([
      ['rn', undefined],
      ['rn', '12'],
      ['rn', '40–42'],
    ]);
  });

  it('follows <ref follow=…> into the reference it continues', () => {
    const a = extract('A.<ref name="p">Part one.</ref> B.<ref follow="p">Part two.</ref>\n');
    expect(a.references).toHaveLength(1);
    expect(a.references[0]!.text).toBe('Part one. Part two.');
    expect(a.citations).toHaveLength(1);
  });
});

describe('short footnotes', () => {
  const bibliography = [
    '== Sources ==',
    '* {{cite book |last=Smith |first=Jane |year=2001 |title=Big Book |isbn=978-0-306-40615-7 |url=https://example.org/big}}',
    '* {{cite journal |last1=Doe |last2=Roe |date=May 1999 |title=Paper |doi=10.1000/XYZ |journal=J}}',
    '* {{cite web |author=Anon Org |title=Page |url=https://example.org/page |ref={{harvid|Org|2010}}}}',
  ].join('\n');

  it('makes each distinct {{sfn}} a reference with the short text, reused for the same pages', () => {
    const a = extract(
      [
        'One.{{sfn|Smith|2001|p=5}} Two.{{sfn|Smith|2001|p=5}} Three.{{sfn|Smith|2001|pp=7–9}}',
        'Four.{{sfn|Doe|Roe|1999|loc=ch. 2}}',
        bibliography,
      ].join('\n'),
    );
    expect(a.references.map((r) => [r.id, r.text, r.inlineCitations])).toEqual([
      ['FOOTNOTESmith20015', 'Smith 2001, p. 5', 2],
      ['FOOTNOTESmith20017–9', 'Smith 2001, pp. 7–9', 1],
      ['FOOTNOTEDoeRoe1999ch. 2', 'Doe & Roe 1999, ch. 2', 1],
    ]);
    expect(a.citations.map((c) => c.pages)).toEqual(['5', '5', '7–9', 'ch. 2']);
  });

  it('resolves a short footnote to the full citation in the bibliography', () => {
    const a = extract(['One.{{sfn|Smith|2001|p=5}} Two.{{sfnp|Doe|Roe|1999}}', bibliography].join('\n'));
    const smith = refById(a, 'FOOTNOTESmith20015');
    expect(smith).toMatchObject({ title: 'Big Book', citationClass: 'book', authors: ['Smith, Jane'] });
    expect(smith.identifiers.isbn).toEqual(['9780306406157']);
    expect(smith.links).toEqual([{ url: 'https://example.org/big', role: 'source' }]);
    const doe = refById(a, 'FOOTNOTEDoeRoe1999');
    expect(doe.identifiers.doi).toEqual(['10.1000/xyz']);
    expect(doe.date).toBe('1999-05-01');
  });

  it('resolves through ref={{harvid|…}} and through {{harvnb}} inside a <ref>', () => {
    const a = extract(
      ['One.{{sfn|Org|2010}} Two.<ref>{{harvnb|Smith|2001|p=9}}.</ref>', bibliography].join('\n'),
    );
    expect(refById(a, 'FOOTNOTEOrg2010').links.map((l) => l.url)).toEqual(['https://example.org/page']);
    // The sfn is defined first, so the <ref> is the second definition.
    const harv = refById(a, 'ref-2');
    expect(harv.text).toBe('Smith 2001, p. 9.');
    expect(harv.title).toBe('Big Book');
  });

  it('leaves an unmatched short footnote as it is', () => {
    const a = extract('One.{{sfn|Nobody|1900}}\n');
    expect(a.references[0]).toMatchObject({ text: 'Nobody 1900', links: [], authors: [] });
  });
});

describe('citation templates', () => {
  it.each([
    ['cite web', 'web'],
    ['Cite news', 'news'],
    ['cite journal', 'journal'],
    ['cite book', 'book'],
    ['cite magazine', 'news'],
    ['cite report', 'report'],
    ['cite encyclopedia', 'book'],
    ['cite AV media', 'other'],
  ])('{{%s}} has citation class %s', (name, cls) => {
    expect(single(`{{${name}|title=T|url=https://e.org/}}`).citationClass).toBe(cls);
  });

  it('infers the class of {{citation}} from its parameters', () => {
    expect(single('{{citation|title=T|journal=J}}').citationClass).toBe('journal');
    expect(single('{{Citation|title=T|isbn=0-306-40615-2}}').citationClass).toBe('book');
    expect(single('{{citation|title=T|url=https://e.org/}}').citationClass).toBe('web');
  });

  it('reads the common fields', () => {
    const r = single(
      '{{cite news |last=Doe |first=John |title=Headline |url=https://news.example/a |date=13 August 2016 |newspaper=The Paper |publisher=Paper Co |access-date=2017-01-02}}',
    );
    expect(r).toMatchObject({
      title: 'Headline',
      authors: ['Doe, John'],
      date: '2016-08-13',
      work: 'The Paper',
      publisher: 'Paper Co',
      accessDate: '2017-01-02',
      links: [{ url: 'https://news.example/a', role: 'source' }],
    });
    expect(r.text).toBe('Doe, John (13 August 2016). "Headline". The Paper. Paper Co.');
  });

  it.each([
    ['last1/first1 and last2/first2', '|last1=Ann |first1=A. |last2=Bee |first2=B.', ['Ann, A.', 'Bee, B.']],
    ['author and author2', '|author=Org One |author2=Org Two', ['Org One', 'Org Two']],
    ['vauthors', '|vauthors=Smith J, Jones AB', ['Smith J', 'Jones AB']],
    ['surname/given', '|surname=Cee |given=C.', ['Cee, C.']],
  ])('reads authors from %s', (_label, params, authors) => {
    expect(single(`{{cite journal|title=T${params}}}`).authors).toEqual(authors);
  });

  it.each([
    ['website', 'W'],
    ['work', 'W'],
    ['journal', 'W'],
    ['magazine', 'W'],
    ['periodical', 'W'],
    ['newspaper', 'W'],
  ])('reads %s= as the work', (param, value) => {
    expect(single(`{{cite web|title=T|${param}=${value}}}`).work).toBe(value);
  });

  it('takes year= when there is no date=', () => {
    expect(single('{{cite book|title=T|year=1998}}').date).toBe('1998-01-01');
  });

  it.each([
    ['archive-url', 'archive-date', 'url-status=dead'],
    ['archiveurl', 'archivedate', 'deadurl=yes'],
  ])('reads %s / %s / %s', (urlParam, dateParam, status) => {
    const r = single(
      `{{cite web|url=http://old.example/p|title=T|${urlParam}=https://web.archive.org/web/20150101000000/http://old.example/p|${dateParam}=1 January 2015|${status}|accessdate=March 3, 2014}}`,
    );
    expect(r.links).toEqual([
      { url: 'http://old.example/p', role: 'source' },
      { url: 'https://web.archive.org/web/20150101000000/http://old.example/p', role: 'archive' },
    ]);
    expect(r.archive).toEqual({
      present: true,
      url: 'https://web.archive.org/web/20150101000000/http://old.example/p',
      date: '2015-01-01',
    });
    expect(r.urlStatus).toBe('dead');
    expect(r.accessDate).toBe('2014-03-03');
  });

  it('maps legacy deadurl=no to live', () => {
    expect(single('{{cite web|url=https://e.org/|title=T|deadurl=no}}').urlStatus).toBe('live');
  });

  it('reads every identifier, normalised', () => {
    const r = single(
      '{{cite journal|title=T|doi=doi:10.1234/ABC.5|doi-broken-date=1 March 2020|isbn=978-0-306-40615-7|issn=0317-8471|pmid=12345|pmc=PMC67890|arxiv=1501.00001v2|bibcode=2015ApJ...800...1A|s2cid=424242|hdl=10013/epic.1|jstor=3562296|oclc=ocm0012345}}',
    );
    expect(r.identifiers).toEqual({
      doi: ['10.1234/abc.5'],
      isbn: ['9780306406157'],
      issn: ['0317-8471'],
      pmid: ['12345'],
      pmc: ['67890'],
      arxiv: ['1501.00001'],
      bibcode: ['2015ApJ...800...1A'],
      s2cid: ['424242'],
      hdl: ['10013/epic.1'],
      jstor: ['3562296'],
      oclc: ['0012345'],
    });
    expect(r.doiInactiveSince).toBe('2020-03-01');
  });

  it('reads eprint= as an arXiv id', () => {
    expect(single('{{cite arXiv|eprint=hep-th/9901001|title=T}}').identifiers.arxiv).toEqual([
      'hep-th/9901001',
    ]);
  });

  it('gives chapter-url the chapter role', () => {
    const r = single(
      '{{cite book|title=Book|chapter=Ch|chapter-url=https://e.org/ch|url=https://e.org/book}}',
    );
    expect(r.links).toEqual([
      { url: 'https://e.org/book', role: 'source' },
      { url: 'https://e.org/ch', role: 'chapter' },
    ]);
    expect(r.text).toBe('"Ch". Book.');
  });

  it('reads url-access as the access level', () => {
    expect(single('{{cite news|url=https://e.org/|title=T|url-access=subscription}}').accessLevel).toBe(
      'subscription',
    );
  });
});

describe('citation parameters, each rendered once', () => {
  it('records a tag inside a parameter once, though several rules read that parameter', () => {
    // `{{citation}}` reads `url` for its class and again for the link.
    const a = extract(
      'Claim.<ref>{{citation |url=http://a.test/x{{dead link|date=May 2020}} |title=T}}</ref>\n',
    );
    expect(a.tags).toHaveLength(1);
    expect(a.tags[0]).toMatchObject({ kind: 'dead-link', date: '2020-05-01', referenceId: 'ref-1' });
    expect(a.references[0]).toMatchObject({ citationClass: 'web', title: 'T' });
    expect(a.references[0]!.links).toEqual([{ url: 'http://a.test/x', role: 'source' }]);
  });

  it('takes a blank parameter for an absent one', () => {
    const r = single('{{cite web |url=http://a.test/x |title= |website=W }}');
    expect(r.title).toBeUndefined();
    expect(r.work).toBe('W');
    expect(r.text).toBe('W.');
  });
});

describe('the tree builder', () => {
  it('trims parameter values without changing the tree they come from', () => {
    const t = parseWikitext('{{cite web | url = http://a.test/ |  title =  T  | |x=}}')[0] as TemplateNode;
    const parts = JSON.stringify(t.parts);
    expect(
      [...templateParams(t)].map(([k, nodes]) => [k, nodes.map((n) => n.kind === 'text' && n.text)]),
    ).toEqual([
      ['url', ['http://a.test/']],
      ['title', ['T']],
      ['1', [' ']],
      ['x', []],
    ]);
    expect(JSON.stringify(t.parts)).toBe(parts);
  });

  it('goes on after a <ref> body parsed inside a template, and after an unclosed <ref>', () => {
    const src = '{{a|b<ref name=x>{{c|d}} [[e]]</ref>f}} [[g|h]] <ref>open {{i}} [[j]]';
    const nodes = parseWikitext(src);
    expect(nodes.map((n) => n.kind)).toEqual([
      'template',
      'text',
      'link',
      'text',
      'template',
      'text',
      'link',
    ]);
    const a = nodes[0] as TemplateNode;
    const ref = a.parts[1]!.nodes[1]!;
    expect(ref).toMatchObject({ kind: 'ref', start: 5, end: 36, attrs: { name: 'x' } });
    expect(ref.kind === 'ref' && refBody(src, ref)?.map((n) => n.kind)).toEqual(['template', 'text', 'link']);
    expect(a.parts[1]!.nodes[2]).toEqual({ kind: 'text', start: 36, text: 'f' });
    expect(nodes[3]).toEqual({ kind: 'text', start: 47, text: ' <ref>open ' });
  });
});

describe('links inside references', () => {
  it('takes bare and bracketed URLs as source links, with the label', () => {
    const r = single('See http://bare.example/x, and [https://label.example/y The Label] too.');
    expect(r.links).toEqual([
      { url: 'http://bare.example/x', role: 'source' },
      { url: 'https://label.example/y', role: 'source', text: 'The Label' },
    ]);
    expect(r.text).toBe('See http://bare.example/x, and The Label too.');
  });

  it('recognises an archive snapshot among plain links', () => {
    const r = single('[https://web.archive.org/web/20200101000000/http://x.example/ Archived copy]');
    expect(r.links[0]!.role).toBe('archive');
    expect(r.archive.present).toBe(true);
  });

  it('reads {{webarchive|url=…|date=…}} as the archive copy', () => {
    const r = single(
      '[http://x.example/ X] {{webarchive|url=https://web.archive.org/web/20160303000000/http://x.example/|date=3 March 2016}}',
    );
    expect(r.links.map((l) => l.role)).toEqual(['archive', 'source']);
    expect(r.archive).toEqual({
      present: true,
      url: 'https://web.archive.org/web/20160303000000/http://x.example/',
      date: '2016-03-03',
    });
  });

  it('reads {{dead link}} inside a reference as its tag and a dead-link Tag', () => {
    const a = extract(
      'Claim.<ref>[http://gone.example/ Gone] {{dead link|date=November 2016|fix-attempted=yes}}</ref>\n',
    );
    const r = a.references[0]!;
    expect(r.deadLinkTag).toEqual({ date: '2016-11-01', fixAttempted: true });
    expect(a.tags).toEqual([
      {
        kind: 'dead-link',
        text: 'dead link',
        date: '2016-11-01',
        block: -1,
        sentence: 0,
        referenceId: 'ref-1',
        line: 1,
      },
    ]);
  });

  it('attaches {{dead link}} and {{cbignore}} written right after </ref> to that reference', () => {
    const a = extract(
      'Claim.<ref name="g">[http://gone.example/ Gone]</ref>{{dead link|date=May 2012}}{{cbignore}} Next.\n',
    );
    const r = refById(a, 'g');
    expect(r.deadLinkTag).toEqual({ date: '2012-05-01', fixAttempted: false });
    expect(r.noAutoFix).toBe(true);
    expect(a.tags[0]).toMatchObject({ kind: 'dead-link', referenceId: 'g', block: 0, sentence: 0 });
  });

  it('reads {{cbignore}} inside a reference', () => {
    expect(single('{{cite web|url=https://e.org/|title=T}}{{cbignore}}').noAutoFix).toBe(true);
  });

  it('finds URLs in templates it does not know', () => {
    expect(single('{{Some template|link=https://unknown.example/z}}').links).toEqual([
      { url: 'https://unknown.example/z', role: 'source' },
    ]);
  });

  it('strips sentence punctuation and decodes &amp; in URLs', () => {
    expect(single('At http://e.example/a?b=1&amp;c=2.').links[0]!.url).toBe('http://e.example/a?b=1&c=2');
  });
});

describe('maintenance tags', () => {
  it.each([
    ['citation needed', 'citation-needed'],
    ['Citation needed', 'citation-needed'],
    ['Citation Needed', 'citation-needed'],
    ['cn', 'citation-needed'],
    ['fact', 'citation-needed'],
    ['Fact', 'citation-needed'],
    ['citation required', 'citation-needed'],
    ['cite needed', 'citation-needed'],
    ['who', 'who'],
    ['when', 'when'],
    ['which', 'which'],
    ['dubious', 'dubious'],
    ['better source needed', 'better-source-needed'],
    ['better source', 'better-source-needed'],
    ['failed verification', 'failed-verification'],
    ['fv', 'failed-verification'],
    ['original research inline', 'original-research'],
    ['or', 'original-research'],
    ['clarify', 'clarification-needed'],
    ['by whom', 'by-whom'],
    ['according to whom', 'according-to-whom'],
    ['unreliable source?', 'unreliable-source'],
    ['page needed', 'page-needed'],
  ])('{{%s}} is a %s tag with its date', (name, kind) => {
    const a = extract(`First sentence. Second claim.{{${name}|date=March 2010}} Third.\n`);
    expect(a.tags).toHaveLength(1);
    expect(a.tags[0]).toMatchObject({ kind, date: '2010-03-01', block: 0, sentence: 1, line: 1 });
    expect(a.blocks[0]!.sentences).toEqual(['First sentence.', 'Second claim.', 'Third.']);
  });

  it('keeps the text of {{citation needed span}}', () => {
    const a = extract('Intro. {{citation needed span|Spanned claim.|date=July 2019}} After.\n');
    expect(a.blocks[0]!.sentences).toEqual(['Intro.', 'Spanned claim.', 'After.']);
    expect(a.tags[0]).toMatchObject({ kind: 'citation-needed', sentence: 1, date: '2019-07-01' });
  });

  it('tags a maintenance template inside a reference with the reference', () => {
    const a = extract('Claim.<ref>Some book.{{page needed|date=June 2011}}</ref>\n');
    expect(a.tags[0]).toMatchObject({ kind: 'page-needed', block: -1, referenceId: 'ref-1' });
  });
});

describe('body', () => {
  it('takes the title from the wiki, else the file name, else the first bold phrase', () => {
    const text = "'''Bold Name''' is a thing.\n";
    const wiki = extractWikitext(text, {
      ...sourceFor(text, undefined, 'wikitext'),
      wiki: {
        endpoint: 'https://en.wikipedia.org/w/api.php',
        title: 'Wiki Title',
        fetchedAt: '2026-01-01T00:00:00Z',
      },
    });
    expect(wiki.title).toBe('Wiki Title');
    expect(extract(text, 'dir/Some_Article.wiki').title).toBe('Some Article');
    expect(extract(text, 'corpus/Allen-R.-Morris.txt').title).toBe('Allen R. Morris');
    expect(extractWikitext(text, sourceFor(text, undefined, 'wikitext')).title).toBe('Bold Name');
  });

  it('builds sections with levels and a lead', () => {
    const a = extract(
      ['Lead text.', '== History ==', 'H.', '=== Early ===', 'E.', '==Later==', 'L.'].join('\n'),
    );
    expect(a.sections).toEqual([
      { title: '(lead)', level: 1, line: 1 },
      { title: 'History', level: 1, line: 2 },
      { title: 'Early', level: 2, line: 4 },
      { title: 'Later', level: 1, line: 6 },
    ]);
    expect(a.blocks.map((b) => [b.section, b.text, b.line])).toEqual([
      ['(lead)', 'Lead text.', 1],
      ['History', 'H.', 3],
      ['Early', 'E.', 5],
      ['Later', 'L.', 7],
    ]);
  });

  it('joins the lines of a paragraph and splits paragraphs at blank lines', () => {
    const a = extract('Line one\ncontinues. Second.\n\nNew paragraph.\n');
    expect(a.blocks.map((b) => [b.kind, b.sentences])).toEqual([
      ['paragraph', ['Line one continues.', 'Second.']],
      ['paragraph', ['New paragraph.']],
    ]);
  });

  it('makes lists, tables and quotes blocks of their own', () => {
    const a = extract(
      [
        'Intro.',
        '* First item.',
        '* Second item<ref>S.</ref>',
        '# Numbered.',
        '; Term : Definition.',
        ': Indented.',
        '{| class="wikitable"',
        '|+ Caption',
        '|-',
        '! Header A !! Header B',
        '|-',
        '| style="color:red" | Cell one. || Cell two.<ref>T.</ref>',
        '|-',
        '| Multi',
        'line cell.',
        '|}',
        '<blockquote>Quoted words.</blockquote>',
        '{{quote|text=Template quote.|author=Someone<ref>Q.</ref>}}',
      ].join('\n'),
    );
    expect(a.blocks.map((b) => [b.kind, b.text])).toEqual([
      ['paragraph', 'Intro.'],
      ['list', 'First item.\nSecond item\nNumbered.\nTerm : Definition.\nIndented.'],
      ['table', 'Caption\nHeader A | Header B\nCell one. | Cell two.\nMulti line cell.'],
      ['quote', 'Quoted words.'],
      ['quote', 'Template quote.'],
    ]);
    expect(a.blocks[1]!.sentences).toEqual([
      'First item.',
      'Second item',
      'Numbered.',
      'Term : Definition.',
      'Indented.',
    ]);
    expect(a.citations.map((c) => [c.referenceId, c.block, c.sentence])).toEqual([
      ['ref-1', 1, 1],
      ['ref-2', 2, 4],
      ['ref-3', 4, 0],
    ]);
    expect(a.blocks[2]!.line).toBe(7);
  });

  it.each([
    ['[[Target page|shown label]]', 'shown label'],
    ['[[Target page]]s', 'Target pages'],
    ['[[Foo (bar)|]]', 'Foo'],
    ['[https://e.org/ external label]', 'external label'],
    ["'''bold''' and ''italic''", 'bold and italic'],
    ['{{lang|fr|bonjour}}', 'bonjour'],
    ['{{lang-de|Guten Tag}}', 'Guten Tag'],
    ['{{convert|1|km}}', '1 km'],
    ['{{convert|2|to|3|mi|km}}', '2 to 3 mi'],
    ['{{nowrap|kept together}}', 'kept together'],
    ['a<br />b', 'a b'],
    ['a<!-- hidden -->b', 'ab'],
    [
      '<nowiki>[[not a link]] {{not a template}} <ref>no</ref></nowiki>',
      '[[not a link]] {{not a template}} <ref>no</ref>',
    ],
    ['AT&amp;T&nbsp;Inc', 'AT&T Inc'],
    ['<span style="x">styled</span>', 'styled'],
    ['Text[[Category:Things]]', 'Text'],
    ['Text[[fr:Chose]]', 'Text'],
    ['[[:Category:Things]]', 'Category:Things'],
  ])('renders %s as %s', (wikitext, text) => {
    const a = extract(`${wikitext}\n`);
    expect(a.blocks.map((b) => b.text)).toEqual([text]);
  });

  it.each([
    ['{{Infobox person|name=X<ref>R.</ref>|image=X.jpg}}Text', ['X', 'Text']],
    ['{{Infobox person|name=X}}Text', ['Text']],
    ['[[File:Pic.jpg|thumb|upright=1.2|A caption.<ref>R.</ref>]]Text', ['A caption.', 'Text']],
    ['[[File:Pic.jpg|thumb|A caption without a source]]Text', ['Text']],
    ['[[File:Pic.jpg|thumb|200px]]Text', ['Text']],
  ])('renders %s as blocks %j: citing infoboxes and captions are blocks of their own', (wikitext, texts) => {
    const a = extract(`${wikitext}\n`);
    expect(a.blocks.map((b) => b.text)).toEqual(texts);
  });

  it('keeps <nowiki> content out of the references', () => {
    const a = extract('Text <nowiki><ref>not a ref</ref></nowiki> and <!-- <ref>commented</ref> --> more.\n');
    expect(a.references).toEqual([]);
    expect(a.citations).toEqual([]);
  });

  it('reads an infobox as a table block citing its references, and drops navboxes', () => {
    const a = extract(
      [
        '{{Infobox thing',
        '| born = 1900<ref>Birth record.</ref>',
        '}}',
        "'''Thing''' is a thing.",
        '{{Navbox|list=x}}',
      ].join('\n'),
    );
    expect(a.blocks.map((b) => [b.kind, b.text, b.line])).toEqual([
      ['table', '1900', 1],
      ['paragraph', 'Thing is a thing.', 4],
    ]);
    expect(a.references.map((r) => [r.text, r.number, r.inlineCitations])).toEqual([['Birth record.', 1, 1]]);
    expect(a.citations).toMatchObject([{ referenceId: 'ref-1', block: 0, sentence: 0 }]);
  });

  it('skips apparatus sections as blocks but counts the references defined there', () => {
    const a = extract(
      [
        'Body.<ref name="n"/>',
        '== See also ==',
        '* [[Other]]',
        '== Notes ==',
        '{{reflist|refs=<ref name="n">Defined late.</ref>}}',
        '== Further reading ==',
        '* A book.',
        '== External links ==',
        '* [https://official.example Official site]',
        '== Bibliography ==',
        '* {{cite book|title=B}}',
      ].join('\n'),
    );
    expect(a.blocks.map((b) => b.text)).toEqual(['Body.']);
    expect(a.references.map((r) => r.text)).toEqual(['Defined late.']);
    expect(a.sections.map((s) => s.title)).toEqual([
      '(lead)',
      'See also',
      'Notes',
      'Further reading',
      'External links',
      'Bibliography',
    ]);
  });

  it('resumes the body after an apparatus section ends at the same level', () => {
    const a = extract(
      ['== See also ==', '* X', '=== Sub ===', '* Y', '== Legacy ==', 'Real text.'].join('\n'),
    );
    expect(a.blocks.map((b) => [b.section, b.text])).toEqual([['Legacy', 'Real text.']]);
  });

  it('places a citation at the sentence it follows, even after the full stop', () => {
    const a = extract(
      'One claim.<ref>A</ref> Two claim. <ref>B</ref>Three claim,<ref>C</ref> still three.\n',
    );
    expect(a.citations.map((c) => c.sentence)).toEqual([0, 1, 2]);
    expect(a.blocks[0]!.sentences).toEqual(['One claim.', 'Two claim.', 'Three claim, still three.']);
  });

  it('records lines on references, citations, tags and blocks', () => {
    const a = extract(
      [
        'Lead.',
        '',
        'Para<ref name="a">',
        'multi-line',
        '</ref> end.{{cn|date=May 2020}}',
        '',
        'Again.<ref name="a"/>',
      ].join('\n'),
    );
    expect(a.references[0]!.line).toBe(3);
    expect(a.citations.map((c) => c.line)).toEqual([3, 7]);
    expect(a.tags[0]!.line).toBe(5);
    expect(a.blocks.map((b) => b.line)).toEqual([1, 3, 7]);
  });

  it('reads an XML-escaped export', () => {
    const a = extract(
      'Claim.&lt;ref name=&quot;x&quot;&gt;Source &amp;amp; more.&lt;/ref&gt; Again.&lt;ref name=&quot;x&quot;/&gt;\n',
    );
    expect(a.references.map((r) => [r.id, r.text])).toEqual([['x', 'Source & more.']]);
    expect(a.citations).toHaveLength(2);
  });

  it('extracts a fixture article end to end', () => {
    const text = readFixture('wikitext/sample.wiki');
    const a = extract(text, 'tests/fixtures/wikitext/sample.wiki');
    expect(() => Article.parse(a)).not.toThrow();
    expect(a.title).toBe('sample');
    expect(a.references.map((r) => r.id)).toEqual(['smith', 'ref-2', 'FOOTNOTEJones199912', 'lower-alpha-1']);
    expect(a.citations.map((c) => [c.referenceId, c.block, c.sentence])).toEqual([
      ['smith', 0, 0],
      ['ref-2', 0, 1],
      ['lower-alpha-1', 1, 0],
      ['FOOTNOTEJones199912', 1, 1],
      ['smith', 2, 0],
    ]);
    expect(a.tags.map((t) => [t.kind, t.block, t.sentence])).toEqual([['citation-needed', 2, 1]]);
    expect(refById(a, 'FOOTNOTEJones199912').identifiers.isbn).toEqual(['9780306406157']);
  });
});

describe('robustness', () => {
  it('throws InputError on binary input', () => {
    expect(() => extract('abc\u0000def')).toThrow(InputError);
  });

  it('handles unclosed and stray markup as text', () => {
    const a = extract('Open {{template and [[link and <ref>unclosed ref. Stray }} and ]] here.\n');
    expect(a.blocks).toHaveLength(1);
    expect(a.references).toEqual([]);
    expect(a.blocks[0]!.text).toContain('Stray');
  });

  it('cannot be fooled by marker characters in the input', () => {
    const a = extract('Claim \u00020\u0003 here.<ref>R</ref>\n');
    expect(a.citations).toHaveLength(1);
  });

  const valid = (a: ArticleType): void => {
    Article.parse(a);
    const ids = new Set(a.references.map((r) => r.id));
    expect(ids.size).toBe(a.references.length);
    for (const c of a.citations) {
      expect(ids.has(c.referenceId)).toBe(true);
      expect(c.block).toBeLessThan(a.blocks.length);
    }
    for (const t of a.tags) expect(t.block).toBeLessThan(a.blocks.length);
  };

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        valid(extract(s.replaceAll('\u0000', '')));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random mixes of wikitext markup', () => {
    const piece = fc.constantFrom(
      '{{',
      '}}',
      '{{{',
      '}}}',
      '<ref',
      '<ref>',
      '<ref name="a">',
      '<ref name=a/>',
      '</ref>',
      '<references>',
      '</references>',
      '[[',
      ']]',
      '[',
      ']',
      '|',
      '=',
      '==',
      '\n',
      '\n\n',
      '*',
      '{|',
      '|}',
      '|-',
      '<!--',
      '-->',
      '<nowiki>',
      '</nowiki>',
      "'''",
      'cite web|url=http://x.example/',
      'sfn|A|2000',
      'efn|',
      'cn',
      'reflist|refs=',
      'text. ',
      'http://u.example/ ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (parts) => {
        valid(extract(parts.join('')));
      }),
      { numRuns: 1000 },
    );
  });

  it('stays linear on deeply unbalanced input', () => {
    const a = extract(`${'{{'.repeat(5000)}x${'[['.repeat(5000)}\n${'<ref>'.repeat(2000)}`);
    expect(Article.safeParse(a).success).toBe(true);
  });
});
