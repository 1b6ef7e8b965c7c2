/**
 * The duplicate audit against the way it was before issue 14 (session 6) keyed its buckets by
 * integers and read plain URLs without `new URL` (`tests/support/duplicates-reference.ts`): the
 * same findings, in the same order with the same reasons, over generated reference lists whose
 * DOIs, ISBNs, URLs, titles, venues, dates, authors and pages often coincide.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildContext } from '../src/audit/context.js';
import { auditDuplicates } from '../src/audit/duplicates.js';
import { article, NOW, type ReferenceFields, reference } from './support/article-builder.js';
import { auditDuplicatesBefore } from './support/duplicates-reference.js';

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const some = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { maxLength: 2 });

const fields: fc.Arbitrary<ReferenceFields> = fc.record(
  {
    title: pick(
      "China's AI Awakening",
      'China’s AI awakening 中国人工智能的崛起',
      'Chinas AI Awakening',
      'A long enough main title: and its subtitle',
      'A long enough main title',
      'A long enough main title — another subtitle',
      'Short: one',
      'Short',
      '中国人工智能',
    ),
    work: pick('MIT Technology Review', 'The Times', 'Times', 'Nature'),
    publisher: pick('Routledge', 'The Times'),
    date: pick('2017-10-10', '2017-10-01', '2017-01-01', '2018-05-01', '2017-10-11'),
    authors: some(pick('Knight, Will', 'Will Knight', 'Smith, J.', 'Jo')),
    text: pick('Chang (2022), pp. 36–54.', 'p. 12', 'pp. 36 - 54', 'No pages.'),
    links: some(
      pick(
        'http://a.test/x',
        'https://www.a.test/x/',
        'http://a.test/x#f',
        'http://b.test/y?q=1',
        'http://1.2.3.4/z',
        'http://B.test/y?q=1',
        'not a url',
        'http://a.test/./x',
      ).chain((url) =>
        pick('source', 'archive').map((role) => ({ url, role: role as 'source' | 'archive' })),
      ),
    ),
    identifiers: fc.record(
      { doi: some(pick('10.1/a', '10.1/b')), isbn: some(pick('9781003212980', '0306406152')) },
      { requiredKeys: [] },
    ),
    group: pick('lower-alpha'),
  },
  { requiredKeys: [] },
);

describe('duplicate references, against the audit before issue 14 session 6', () => {
  it('finds the same groups, in the same order, for the same reasons', () => {
    fc.assert(
      fc.property(fc.array(fields, { maxLength: 14 }), (list) => {
        const refs = list.map((f, i) => reference(String(i + 1), f));
        const ctx = buildContext(article({ references: refs }), NOW);
        expect(auditDuplicates(ctx)).toEqual(auditDuplicatesBefore(ctx));
      }),
      { numRuns: 3000 },
    );
  });
});
