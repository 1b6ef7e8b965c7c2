import { describe, expect, it } from 'vitest';
import {
  addIdentifier,
  identifierProblem,
  isValidIsbn,
  isValidIssn,
  normalizeDoi,
  normalizeIdentifier,
  normalizeIsbn,
} from '../src/core/identifiers.js';
import { emptyIdentifiers } from '../src/model.js';

describe('normalisation', () => {
  it.each([
    ['doi:10.4324/9781003212980-4', '10.4324/9781003212980-4'],
    ['https://doi.org/10.1038/D41586-018-00604-6', '10.1038/d41586-018-00604-6'],
    ['10.3981/j.issn.1000-7857.2016.15.001.', '10.3981/j.issn.1000-7857.2016.15.001'],
    ['http://dx.doi.org/10.1000/a%2Fb', '10.1000/a/b'],
  ])('DOI %j → %s', (raw, value) => {
    expect(normalizeDoi(raw)).toBe(value);
  });
  it.each([
    ['ISBN 978-1-003-21298-0', '9781003212980'],
    ['0-19-853453-1', '0198534531'],
    ['ISBN-13: 978-0393292398', '9780393292398'],
    ['080442957x', '080442957X'],
  ])('ISBN %j → %s', (raw, value) => {
    expect(normalizeIsbn(raw)).toBe(value);
  });
  it('normalises the other kinds', () => {
    expect(normalizeIdentifier('issn', '00178012')).toBe('0017-8012');
    expect(normalizeIdentifier('pmc', 'PMC123456')).toBe('123456');
    expect(normalizeIdentifier('arxiv', 'arXiv:2103.06312v2')).toBe('2103.06312');
    expect(normalizeIdentifier('hdl', 'hdl:10067/2001290151162165141')).toBe('10067/2001290151162165141');
  });
  it('adds each value once', () => {
    const ids = emptyIdentifiers();
    addIdentifier(ids, 'doi', 'doi:10.1/X');
    addIdentifier(ids, 'doi', '10.1/x');
    expect(ids.doi).toEqual(['10.1/x']);
  });
});

describe('validation', () => {
  it.each(['9781003212980', '9780393292398', '0198534531', '080442957X', '9781916682429'])(
    'valid ISBN %s',
    (isbn) => {
      expect(isValidIsbn(isbn)).toBe(true);
    },
  );
  it.each(['9781003212981', '0198534532', '12345', '978100321298X'])('invalid ISBN %s', (isbn) => {
    expect(isValidIsbn(isbn)).toBe(false);
  });
  it.each(['0261-3077', '0017-8012', '1059-1028', '0013-0613', '1000-7857', '1750-8916'])(
    'valid ISSN %s',
    (issn) => {
      expect(isValidIssn(issn)).toBe(true);
    },
  );
  it('invalid ISSN', () => {
    expect(isValidIssn('0261-3078')).toBe(false);
  });
  it.each([
    ['doi', '10.4324/9781003212980-4', undefined],
    ['doi', '10.12/x', 'doi-syntax'],
    ['doi', 'not-a-doi', 'doi-syntax'],
    ['isbn', '12345', 'isbn-length-5'],
    ['isbn', '9781003212981', 'isbn-check-digit'],
    ['pmid', '29345655', undefined],
    ['pmid', '0123', 'pmid-syntax'],
    ['arxiv', '2103.06312', undefined],
    ['arxiv', 'hep-th/9901001', undefined],
    ['arxiv', '21.1', 'arxiv-syntax'],
    ['oclc', '1029611044', undefined],
  ] as const)('%s %s → %s', (kind, value, problem) => {
    expect(identifierProblem(kind, value)).toBe(problem);
  });
});
