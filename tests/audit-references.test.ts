import { describe, expect, it } from 'vitest';
import { article, audit, cite, LONG, ofKind, paragraph, reference } from './support/article-builder.js';

const complete = { title: 'A report', work: 'Example', date: '2020-05-05' };

describe('missing-reference', () => {
  it('reports a marker that points at no reference, once per id with its count', () => {
    const a = article({
      blocks: [paragraph('History', [LONG, LONG], 30)],
      references: [reference('1', complete)],
      citations: [cite('1', 0, 0), cite('7', 0, 0, { line: 31 }), cite('7', 0, 1)],
    });
    const found = ofKind(audit(a), 'missing-reference');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'error',
      referenceIds: ['7'],
      location: { section: 'History', block: 0, line: 31 },
      quote: LONG,
    });
    expect(found[0]?.message).toContain('[7]');
    expect(found[0]?.message).toContain('2 times');
  });

  it.each([
    ['every marker has its reference', ['1'], 0],
    ['two different missing ids', ['8', 'x'], 2],
  ])('%s', (_name, ids, count) => {
    const a = article({
      blocks: [paragraph('History', [LONG])],
      references: [reference('1', complete)],
      citations: ids.map((id) => cite(id, 0, 0)),
    });
    expect(ofKind(audit(a), 'missing-reference')).toHaveLength(count);
  });
});

describe('unused-reference', () => {
  it.each([
    ['cited by a marker', { inlineCitations: 1 }, true, 0],
    ['counted as cited by the extractor, no marker seen', { inlineCitations: 2 }, false, 0],
    ['cited by a marker, count not filled in', { inlineCitations: 0 }, true, 0],
    ['never cited', { inlineCitations: 0 }, false, 1],
    ['an explanatory note never cited', { inlineCitations: 0, group: 'notes' }, false, 0],
  ])('%s → %i', (_name, fields, marked, count) => {
    const a = article({
      blocks: [paragraph('History', [LONG])],
      references: [reference('1', complete), reference('2', { ...complete, line: 50, ...fields })],
      citations: [cite('1', 0, 0), ...(marked ? [cite('2', 0, 0)] : [])],
    });
    const found = ofKind(audit(a), 'unused-reference');
    expect(found).toHaveLength(count);
    if (count === 1) {
      expect(found[0]).toMatchObject({
        severity: 'warning',
        referenceIds: ['2'],
        location: { section: 'References', line: 50 },
      });
      expect(found[0]?.message).toBe('[2] is not cited anywhere in the text.');
    }
  });

  it('names an unnumbered reference by its name', () => {
    const a = article({
      references: [{ ...reference('ref-1', { ...complete, inlineCitations: 0 }), name: 'smith' }],
    });
    expect(ofKind(audit(a), 'unused-reference')[0]?.message).toBe(
      'Reference "smith" is not cited anywhere in the text.',
    );
  });

  it('puts reference findings in the article’s reference-list section', () => {
    const a = article({
      sections: [
        { title: '(lead)', level: 1 },
        { title: 'Notes', level: 2 },
        { title: 'Works cited', level: 2 },
      ],
      references: [reference('1', { ...complete, inlineCitations: 0 })],
    });
    expect(ofKind(audit(a), 'unused-reference')[0]?.location.section).toBe('Works cited');
  });
});
