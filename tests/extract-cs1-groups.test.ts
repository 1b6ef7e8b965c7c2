/**
 * `applyCitation` asks only about the parameter groups a citation has (`citationGroups`):
 * the same reference, text and links as asking about every alias, over generated citations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_GROUPS,
  applyCitation,
  citationGroups,
  citationSurnames,
  yearIn,
} from '../src/extract/wikitext-cs1.js';
import { emptyReference } from '../src/model.js';

/** Names of every group, a few of each, and names of no group. */
const NAMES = [
  'url',
  'archive-url',
  'archiveurl',
  'archive-date',
  'url-status',
  'urlstatus',
  'deadurl',
  'dead-url',
  'access-date',
  'accessdate',
  'doi-broken-date',
  'doi-inactive-date',
  'title',
  'trans-title',
  'chapter',
  'contribution',
  'chapter-url',
  'section-url',
  'date',
  'year',
  'work',
  'website',
  'journal',
  'newspaper',
  'publisher',
  'agency',
  'url-access',
  'last',
  'last1',
  'first1',
  'author',
  'author2',
  'last3',
  'given3',
  'subject1',
  'vauthors',
  'authors',
  'editor',
  'editor1-last',
  'doi',
  'isbn',
  'issn',
  'pmid',
  'eprint',
  'oclc',
  'transcript-url',
  'map-url',
  'ref',
  'page',
  'quote',
  'language',
];
const VALUES = [
  '',
  'x',
  'Smith',
  '2020-03-01',
  'May 2019',
  'http://a.test/p',
  '10.1000/x',
  'dead',
  'yes',
  'free',
];

describe('citation parameter groups', () => {
  it('give what asking about every alias gives', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('cite web', 'cite book', 'citation', 'cite', 'cite journal'),
        fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...VALUES)), { maxLength: 10 }),
        (name, pairs) => {
          const params = new Map(pairs);
          const run = (groups: number) => {
            const asked: string[] = [];
            const links: unknown[] = [];
            const value = (key: string): string | undefined => {
              asked.push(key);
              return params.get(key);
            };
            const ref = emptyReference('r', '');
            const text = applyCitation(
              ref,
              name,
              value,
              { link: (url, role) => links.push([url, role]) },
              groups,
            );
            const surnames = citationSurnames(value, groups);
            // Asking about an absent parameter has no effect: only the present ones must match.
            return { ref, text, links, surnames, present: asked.filter((k) => params.has(k)) };
          };
          expect(run(citationGroups(params))).toEqual(run(ALL_GROUPS));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('yearIn', () => {
  it('finds what /\\b(\\d{4}[a-z]?)\\b/ finds', () => {
    const pieces = [
      '1',
      '2',
      '9',
      '0',
      '2024',
      '1999a',
      'a',
      'b',
      'z',
      'A',
      '_',
      '-',
      ' ',
      '–',
      'é',
      '١',
      'c.',
      ',',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
        const s = parts.join('');
        expect(yearIn(s)).toBe(s.match(/\b(\d{4}[a-z]?)\b/)?.[1]);
      }),
      { numRuns: 5000 },
    );
  });
});
