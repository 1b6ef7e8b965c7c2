import { describe, expect, it } from 'vitest';
import { MIN_BLOCK_LENGTH } from '../src/audit/uncited.js';
import type { Block, Finding } from '../src/model.js';
import {
  type ArticleParts,
  article,
  audit,
  block,
  cite,
  LONG,
  paragraph,
  reference,
  tag,
} from './support/article-builder.js';

const UNCITED = /^uncited-/;
const uncited = (parts: ArticleParts): Finding[] =>
  audit(article({ references: [reference('1')], ...parts })).filter((f) => UNCITED.test(f.kind));

describe('blocks without any citation', () => {
  it.each<[string, Block, string | undefined, Finding['severity'] | undefined]>([
    ['a body paragraph', paragraph('History', [LONG, LONG], 9), 'uncited-paragraph', 'warning'],
    ['a lead paragraph', paragraph('(lead)', [LONG]), 'uncited-paragraph', 'info'],
    ['a list', block('list', 'History', [LONG, LONG]), 'uncited-list', 'info'],
    ['a table', block('table', 'History', [LONG]), 'uncited-table', 'warning'],
    ['a table in the lead (an infobox)', block('table', '(lead)', [LONG]), 'uncited-table', 'info'],
    ['a block quotation', block('quote', 'History', [LONG]), 'uncited-quote', 'info'],
    ['a caption-sized paragraph', paragraph('History', ['Figure 1: the plan.']), undefined, undefined],
    ['a caption-sized table', block('table', 'History', ['Year | Plan']), undefined, undefined],
  ])('%s', (_name, b, kind, severity) => {
    const found = uncited({ blocks: [b] });
    if (kind === undefined) {
      expect(found).toEqual([]);
      return;
    }
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind,
      severity,
      referenceIds: [],
      location: { section: b.section, block: 0 },
    });
    expect(found[0]?.quote).toBe(LONG);
  });

  it('skips blocks just under the minimum length and flags those at it', () => {
    const short = 'x'.repeat(MIN_BLOCK_LENGTH - 1);
    const enough = 'x'.repeat(MIN_BLOCK_LENGTH);
    expect(uncited({ blocks: [paragraph('History', [short])] })).toEqual([]);
    expect(uncited({ blocks: [paragraph('History', [enough])] })).toHaveLength(1);
  });

  it('says why an uncited lead paragraph is only info (MOS:LEADCITE)', () => {
    const [f] = uncited({ blocks: [paragraph('(lead)', [LONG])] });
    expect(f?.message).toContain('MOS:LEADCITE');
    expect(f?.message).toMatch(/summarises/);
  });

  it('carries the block line', () => {
    const [f] = uncited({ blocks: [paragraph('History', [LONG], 23)] });
    expect(f?.location).toEqual({ section: 'History', block: 0, line: 23 });
  });

  it('leaves a tagged paragraph to its tag finding', () => {
    const findings = audit(
      article({ blocks: [paragraph('History', [LONG, LONG])], tags: [tag('citation-needed', 0, 0)] }),
    );
    expect(findings.map((f) => f.kind)).toEqual(['citation-needed']);
  });

  it('does not flag a cited paragraph, list or table', () => {
    const blocks = [
      paragraph('History', [LONG]),
      block('list', 'History', [LONG]),
      block('table', 'History', [LONG]),
    ];
    expect(uncited({ blocks, citations: [cite('1', 0, 0), cite('1', 1, 0), cite('1', 2, 0)] })).toEqual([]);
  });

  it('counts a marker to a missing reference as a citation (missing-reference reports it)', () => {
    expect(uncited({ blocks: [paragraph('History', [LONG])], citations: [cite('99', 0, 0)] })).toEqual([]);
  });

  it('does not flag a quotation whose introducing sentence is cited', () => {
    const blocks = [paragraph('History', ['He said:', LONG]), block('quote', 'History', [LONG])];
    expect(uncited({ blocks, citations: [cite('1', 0, 1)] })).toEqual([]);
    const kinds = uncited({ blocks, citations: [cite('1', 0, 0)] }).map((f) => f.kind);
    expect(kinds).toEqual(['uncited-sentence', 'uncited-quote']);
  });
});

describe('sentences after the last citation of a paragraph', () => {
  const tail = ['It opened a laboratory in Nanjing.', 'It later introduced its first chip.'];

  it.each<[string, string[], number, number[], string | undefined]>([
    ['cited at the end', [LONG, ...tail], 2, [], undefined],
    ['one trailing sentence', [LONG, tail[0]!], 0, [], tail[0]],
    ['two trailing sentences', [LONG, ...tail], 0, [], tail.join(' ')],
    ['a trailing sentence carrying a tag', [LONG, tail[0]!], 0, [1], undefined],
    ['a tagged and an untagged trailing sentence', [LONG, ...tail], 0, [1], tail[1]],
    ['trailing debris without letters', [LONG, '—'], 0, [], undefined],
  ])('%s', (_name, sentences, citedAt, taggedAt, quote) => {
    const found = uncited({
      blocks: [paragraph('History', sentences)],
      citations: [cite('1', 0, citedAt)],
      tags: taggedAt.map((i) => tag('citation-needed', 0, i)),
    });
    if (quote === undefined) {
      expect(found).toEqual([]);
      return;
    }
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'uncited-sentence', severity: 'warning', quote });
    expect(found[0]?.message).toContain('[1]');
  });

  it('uses the latest cited sentence, whatever the order of the citations', () => {
    const found = uncited({
      blocks: [paragraph('History', [LONG, tail[0]!, tail[1]!])],
      citations: [cite('1', 0, 1), cite('1', 0, 0)],
    });
    expect(found[0]?.quote).toBe(tail[1]);
  });

  it('is info in the lead', () => {
    const found = uncited({ blocks: [paragraph('(lead)', [LONG, tail[0]!])], citations: [cite('1', 0, 0)] });
    expect(found[0]).toMatchObject({ kind: 'uncited-sentence', severity: 'info' });
    expect(found[0]?.message).toContain('MOS:LEADCITE');
  });

  it('does not look at lists and tables sentence by sentence', () => {
    const found = uncited({
      blocks: [block('list', 'History', [LONG, LONG]), block('table', 'History', [LONG, LONG])],
      citations: [cite('1', 0, 0), cite('1', 1, 0)],
    });
    expect(found).toEqual([]);
  });
});
