import { describe, expect, it } from 'vitest';
import type { IdentifierKind } from '../src/model.js';
import { audit, ofKind, reference, referencesOnly } from './support/article-builder.js';

const complete = { title: 'A source', work: 'Example', date: '2020-05-05', line: 300 };

const withIdentifier = (kind: IdentifierKind, value: string) =>
  referencesOnly([reference('9', { ...complete, identifiers: { [kind]: [value] } })]);

describe('invalid-identifier', () => {
  it.each<[IdentifierKind, string, RegExp]>([
    ['isbn', '9781003212981', /check digit 1 does not match the other digits \(they give 0\)/],
    ['isbn', '0198534532', /check digit 2 does not match the other digits \(they give 1\)/],
    ['isbn', '97810032129', /10 or 13 digits, this one has 11/],
    ['issn', '0013-0614', /check digit 4 does not match the other digits \(they give 3\)/],
    ['issn', '0013-06', /NNNN-NNNC/],
    ['doi', '10.1/x', /registrant/],
    ['doi', '11.4324/abc', /registrant/],
    ['pmid', '0123', /nine digits/],
    ['arxiv', '2103.063', /2103\.06312/],
    ['oclc', 'ocm123', /digits only/],
  ])('%s %s is an error that says why', (kind, value, why) => {
    const found = ofKind(audit(withIdentifier(kind, value)), 'invalid-identifier');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'error',
      referenceIds: ['9'],
      location: { section: 'References', line: 300 },
    });
    expect(found[0]?.message).toContain(value);
    expect(found[0]?.message).toMatch(/^\[9\]: /);
    expect(found[0]?.message).toMatch(why);
  });

  it.each<[IdentifierKind, string]>([
    ['isbn', '9781003212980'],
    ['isbn', '0198534531'],
    ['isbn', '080442957X'],
    ['issn', '0013-0613'],
    ['issn', '0378-5955'],
    ['doi', '10.4324/9781003212980-4'],
    ['doi', '10.3981/j.issn.1000-7857.2016.15.001'],
    ['pmid', '29345655'],
    ['arxiv', '2103.06312'],
    ['arxiv', 'hep-th/9901001'],
    ['hdl', '10067/2001290151162165141'],
    ['jstor', 'resrep20446'],
  ])('%s %s is valid', (kind, value) => {
    expect(ofKind(audit(withIdentifier(kind, value)), 'invalid-identifier')).toEqual([]);
  });

  it('reports each invalid value of a reference', () => {
    const a = referencesOnly([
      reference('9', {
        ...complete,
        identifiers: { isbn: ['9781003212981', '9781003212980'], doi: ['doi-less'] },
      }),
    ]);
    expect(ofKind(audit(a), 'invalid-identifier').map((f) => f.message)).toHaveLength(2);
  });
});

describe('doi-flagged-inactive', () => {
  it('warns about a DOI marked inactive and suggests checking it', () => {
    const a = referencesOnly([
      reference('9', {
        ...complete,
        doiInactiveSince: '2024-11-01',
        identifiers: { doi: ['10.51593/20230042'] },
      }),
    ]);
    const found = ofKind(audit(a), 'doi-flagged-inactive');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', referenceIds: ['9'] });
    expect(found[0]?.message).toBe('[9]: DOI 10.51593/20230042 is marked inactive since 2024-11-01.');
    expect(found[0]?.suggestion).toContain('https://doi.org/10.51593/20230042');
  });

  it('is silent without the flag', () => {
    const a = referencesOnly([reference('9', { ...complete, identifiers: { doi: ['10.51593/20230042'] } })]);
    expect(ofKind(audit(a), 'doi-flagged-inactive')).toEqual([]);
  });
});
