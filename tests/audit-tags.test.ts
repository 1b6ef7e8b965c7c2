import { describe, expect, it } from 'vitest';
import type { TagKind } from '../src/model.js';
import { article, audit, cite, LONG, ofKind, paragraph, reference, tag } from './support/article-builder.js';

const SENTENCES = [LONG, 'Most agencies hold optimistic views about the economic impact.'];

/** One paragraph in "History" with a citation on sentence 0 and the tag on sentence 1. */
function tagged(kind: TagKind, extra: Parameters<typeof tag>[3] = {}) {
  return article({
    blocks: [paragraph('History', SENTENCES, 12)],
    references: [reference('4')],
    citations: [cite('4', 0, 0), cite('4', 0, 1)],
    tags: [tag(kind, 0, 1, extra)],
  });
}

describe('maintenance tags in the body', () => {
  it.each<[TagKind, string, RegExp]>([
    ['citation-needed', 'citation-needed', /needs a citation/],
    ['who', 'who', /needs to say who/],
    ['when', 'when', /date or time period/],
    ['which', 'which', /which one/],
    ['original-research', 'original-research', /original research/],
    ['dubious', 'dubious', /dubious/],
    ['better-source-needed', 'better-source-needed', /more reliable source/],
    ['failed-verification', 'failed-verification', /not supported by the cited source/],
    ['clarification-needed', 'clarification-needed', /clarifying/],
    ['according-to-whom', 'according-to-whom', /according to whom/],
    ['by-whom', 'by-whom', /by whom/],
    ['unreliable-source', 'unreliable-source', /unreliable/],
    ['page-needed', 'page-needed', /page numbers/],
    ['other', 'maintenance-tag', /maintenance tag/],
    ['dead-link', 'dead-link-tag', /no longer works/],
  ])('%s → one %s warning that says what it asks for', (tagKind, kind, asks) => {
    const findings = audit(tagged(tagKind));
    const found = ofKind(findings, kind);
    expect(found).toHaveLength(1);
    const f = found[0]!;
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(asks);
    expect(f.quote).toBe(SENTENCES[1]);
    expect(f.location).toEqual({ section: 'History', block: 0, line: 12 });
  });

  it.each<[TagKind, string[]]>([
    ['citation-needed', []],
    ['who', []],
    ['better-source-needed', ['4']],
    ['failed-verification', ['4']],
    ['dead-link', ['4']],
  ])('%s names the references cited on its sentence only when it judges the source', (kind, ids) => {
    const findings = audit(tagged(kind));
    const f = findings.find((x) => x.location.block === 0 && x.severity === 'warning');
    expect(f?.referenceIds).toEqual(ids);
  });

  it('includes the tag date and prefers the tag line', () => {
    const [f] = ofKind(audit(tagged('citation-needed', { date: '2024-11-01', line: 14 })), 'citation-needed');
    expect(f?.message).toContain('dated November 2024');
    expect(f?.location.line).toBe(14);
  });

  it('omits the date when the tag has none', () => {
    const [f] = ofKind(audit(tagged('who')), 'who');
    expect(f?.message).not.toContain('dated');
  });

  it('emits one finding per tag, in sentence order within the block', () => {
    const a = article({
      blocks: [paragraph('(lead)', [LONG, LONG, LONG])],
      references: [reference('1')],
      citations: [cite('1', 0, 1)],
      tags: [tag('citation-needed', 0, 0), tag('citation-needed', 0, 2), tag('who', 0, 1)],
    });
    const kinds = audit(a).map((f) => f.kind);
    expect(kinds.filter((k) => k === 'citation-needed')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'who')).toHaveLength(1);
  });

  it('reports a tag on a list item as an item', () => {
    const a = article({
      blocks: [{ kind: 'list', section: 'History', text: LONG, sentences: [LONG] }],
      tags: [tag('citation-needed', 0, 0)],
    });
    expect(ofKind(audit(a), 'citation-needed')[0]?.message).toMatch(/^Item in a list/);
  });
});

describe('tags inside references', () => {
  const ref = reference('12', {
    text: 'Smith, J. (2019-12-05). "A page". Example News.',
    title: 'A page',
    work: 'Example News',
    date: '2019-12-05',
    line: 40,
  });

  it('reports a [dead link] tag as dead-link-tag on its reference', () => {
    const a = article({
      blocks: [paragraph('History', [LONG])],
      references: [ref],
      citations: [cite('12', 0, 0)],
      tags: [tag('dead-link', -1, 0, { referenceId: '12', date: '2024-11-01', line: 41 })],
    });
    const found = ofKind(audit(a), 'dead-link-tag');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'warning',
      referenceIds: ['12'],
      location: { section: 'References', line: 41 },
    });
    expect(found[0]?.message).toMatch(/^\[12\] is tagged \[dead link\] \(dated November 2024\)/);
    expect(found[0]?.quote).toContain('A page');
    expect(found[0]?.suggestion).toContain('archive-url');
  });

  it('reports deadLinkTag once, whether or not the tag is also in article.tags', () => {
    const marked = { ...ref, deadLinkTag: { date: '2024-11-01', fixAttempted: true } };
    const onlyField = article({
      blocks: [paragraph('History', [LONG])],
      references: [marked],
      citations: [cite('12', 0, 0)],
    });
    const both = article({
      blocks: [paragraph('History', [LONG])],
      references: [marked],
      citations: [cite('12', 0, 0)],
      tags: [tag('dead-link', -1, 0, { referenceId: '12', date: '2024-11-01' })],
    });
    for (const a of [onlyField, both]) {
      const found = ofKind(audit(a), 'dead-link-tag');
      expect(found).toHaveLength(1);
      expect(found[0]?.message).toContain('a bot already tried to fix it');
    }
  });

  it('reports another tag in a reference with the tag kind', () => {
    const a = article({
      blocks: [paragraph('History', [LONG])],
      references: [ref],
      citations: [cite('12', 0, 0)],
      tags: [tag('unreliable-source', -1, 0, { referenceId: '12' })],
    });
    expect(ofKind(audit(a), 'unreliable-source')[0]).toMatchObject({
      referenceIds: ['12'],
      location: { section: 'References', line: 40 },
    });
  });

  it('has no tag findings without tags', () => {
    const a = article({
      blocks: [paragraph('History', [LONG])],
      references: [ref],
      citations: [cite('12', 0, 0)],
    });
    expect(audit(a)).toEqual([]);
  });
});
