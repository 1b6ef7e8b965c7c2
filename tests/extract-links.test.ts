/**
 * URL classification shared by the extractors: identifier resolvers, archive snapshots (with
 * their dates) and ordinary sources. Table-driven: `classifyUrl` is pure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyUrl, isArchiveUrl } from '../src/extract/links.js';
import { LINK_ROLES } from '../src/model.js';

describe('classifyUrl — identifier resolvers', () => {
  it.each([
    ['https://doi.org/10.1000/xyz123', 'doi', '10.1000/xyz123'],
    ['http://dx.doi.org/10.1038/nature12373', 'doi', '10.1038/nature12373'],
    ['https://doi.org/10.1234%2Fjoe.2018.42', 'doi', '10.1234/joe.2018.42'],
    ['https://hdl.handle.net/2027/mdp.39015', 'hdl', '2027/mdp.39015'],
    ['https://pubmed.ncbi.nlm.nih.gov/29000001/', 'pmid', '29000001'],
    ['https://www.ncbi.nlm.nih.gov/pubmed/12345', 'pmid', '12345'],
    ['https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567', 'pmc', 'PMC1234567'],
    ['https://pmc.ncbi.nlm.nih.gov/articles/PMC7654321/', 'pmc', 'PMC7654321'],
    ['https://europepmc.org/abstract/MED/31000000', 'pmid', '31000000'],
    ['https://arxiv.org/abs/1706.03762v5', 'arxiv', '1706.03762v5'],
    ['https://arxiv.org/pdf/1706.03762.pdf', 'arxiv', '1706.03762'],
    ['https://arxiv.org/abs/hep-th/9901001', 'arxiv', 'hep-th/9901001'],
    ['https://www.jstor.org/stable/2345678', 'jstor', '2345678'],
    ['https://www.worldcat.org/oclc/123456789', 'oclc', '123456789'],
    ['https://search.worldcat.org/issn/0378-5955', 'issn', '0378-5955'],
    ['/wiki/Special:BookSources/978-0-306-40615-7', 'isbn', '978-0-306-40615-7'],
    ['https://en.wikipedia.org/wiki/Special:BookSources/0306406152', 'isbn', '0306406152'],
    ['./Special:BookSources/9780306406157', 'isbn', '9780306406157'],
    ['https://ui.adsabs.harvard.edu/abs/2018JExam..12...45D', 'bibcode', '2018JExam..12...45D'],
    ['https://api.semanticscholar.org/CorpusID:4567', 's2cid', '4567'],
  ])('%s → %s %s', (url, kind, value) => {
    expect(classifyUrl(url)).toEqual({ role: 'identifier', identifier: { kind, value } });
  });
});

describe('classifyUrl — archives', () => {
  it.each([
    ['https://web.archive.org/web/20200304000000/https://example.com/live', '2020-03-04'],
    [
      'http://web.archive.org/web/20021004080737/wp.netscape.com/newsref/pr/newsrelease577.html',
      '2002-10-04',
    ],
    ['//web.archive.org/web/20150402164428id_/http://example.org/', '2015-04-02'],
    ['https://web.archive.org/web/2015/http://example.org/', '2015-01-01'],
    ['https://wayback.archive.org/web/201703/http://example.org/', '2017-03-01'],
    ['https://archive.ph/2021.01.02-030405/https://bare.example.com/page', '2021-01-02'],
    ['https://archive.today/20190102030405/https://example.com/', '2019-01-02'],
    ['https://archive.is/20180101000000/http://example.com/', '2018-01-01'],
    ['https://webarchive.nationalarchives.gov.uk/20120101000000/http://www.gov.uk/', '2012-01-01'],
    ['https://wayback.archive-it.org/1234/20160101000000/http://example.org/', '2016-01-01'],
    ['https://arquivo.pt/wayback/20100101000000/http://example.pt/', '2010-01-01'],
  ])('%s → archive of %s', (url, date) => {
    expect(classifyUrl(url)).toEqual({ role: 'archive', archiveDate: date });
    expect(isArchiveUrl(url)).toBe(true);
  });

  it('knows archives whose URLs carry no date', () => {
    expect(classifyUrl('http://www.webcitation.org/6ABCdefGh')).toEqual({ role: 'archive' });
    expect(classifyUrl('https://archive.ph/AbCdE')).toEqual({ role: 'archive' });
    expect(classifyUrl('https://perma.cc/ABCD-1234')).toEqual({ role: 'archive' });
  });

  it('treats archive.org items and book scans as sources, not snapshots', () => {
    expect(classifyUrl('https://archive.org/details/bigbook00smit')).toEqual({ role: 'source' });
    expect(isArchiveUrl('https://archive.org/details/bigbook00smit')).toBe(false);
  });
});

describe('classifyUrl — the host pre-check', () => {
  it.each([
    'web.archive.org',
    'wayback.archive.org',
    'web-beta.archive.org',
    'archive.today',
    'archive.vn',
    'webcitation.org',
    'webarchive.loc.gov',
    'archive.wikiwix.com',
    'webarchive.org.uk',
    'ghostarchive.org',
    'vefsafn.is',
    'webarchive.bac-lac.gc.ca',
    'timetravel.mementoweb.org',
    'webarchive.library.unt.edu',
    'swap.stanford.edu',
  ])('still knows the archive %s (any case, with www.)', (host) => {
    expect(classifyUrl(`https://${host}/web/20200304000000/http://example.org/`).role).toBe('archive');
    expect(classifyUrl(`https://WWW.${host.toUpperCase()}/web/20200304000000/http://example.org/`).role).toBe(
      'archive',
    );
  });

  it.each([
    ['https://dx.doi.org/10.1000/xyz', 'doi'],
    ['https://hdl.handle.net/2027/abc', 'hdl'],
    ['https://www.ncbi.nlm.nih.gov/pmc/articles/PMC12345/', 'pmc'],
    ['https://export.arxiv.org/abs/2103.06312', 'arxiv'],
    ['https://search.worldcat.org/oclc/12345', 'oclc'],
    ['https://portal.issn.org/resource/ISSN/0028-0836', 'issn'],
    ['https://api.semanticscholar.org/CorpusID:12345', 's2cid'],
  ])('still knows the resolver of %s', (url, kind) => {
    expect(classifyUrl(url).identifier?.kind).toBe(kind);
  });

  it.each([
    'https://notarchive.org/web/20200304000000/http://example.org/',
    'https://web.archive.org.example.net/web/20200304000000/http://example.org/',
    'https://doi.org.example.net/10.1000/xyz',
    'https://mydoi.org/10.1000/xyz',
  ])('takes a host that only contains a known one for a source: %s', (url) => {
    expect(classifyUrl(url)).toEqual({ role: 'source' });
  });
});

describe('classifyUrl — sources', () => {
  it.each([
    'https://example.com/a',
    'http://www.nytimes.com/1988/04/23/world/a-movie.html',
    'https://doi.org/',
    'https://books.google.com/books?id=abc',
    'ftp://ftp.example.org/file.txt',
    'mailto:someone@example.org',
    'not a url',
    '',
  ])('%s is a source', (url) => {
    expect(classifyUrl(url)).toEqual({ role: 'source' });
  });

  it('never throws and always answers a known role', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })),
        (url) => {
          const c = classifyUrl(url);
          expect(LINK_ROLES).toContain(c.role);
          if (c.archiveDate) expect(c.archiveDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        },
      ),
    );
  });
});
