/**
 * Issue 11, scale of the audit: a paragraph with tens of thousands of citations is extracted and
 * audited with every marker on the sentence it follows, in every input format, and the audit
 * survives more citations than a call's arguments may hold. Behaviour only: the times are
 * measured in `bench/audit-scale-bench.ts`.
 */
import { describe, expect, it } from 'vitest';
import { auditArticle } from '../src/audit/index.js';
import { extractArticle } from '../src/extract/index.js';
import type { InputFormat } from '../src/model.js';
import { article, audit, cite, paragraph, reference } from './support/article-builder.js';
import { claim, PARAGRAPH_REFERENCES, paragraphArticle } from './support/large-articles.js';

const CITATIONS = 20_000;

describe('one paragraph with 20,000 citations', () => {
  it.each<InputFormat>(['wikitext', 'html', 'markdown'])('%s: every marker on its own sentence', (format) => {
    const a = extractArticle({ text: paragraphArticle(format, CITATIONS), format });
    const body = a.blocks.findIndex((b) => b.sentences.length >= CITATIONS);
    expect(body).toBeGreaterThanOrEqual(0);
    const sentences = a.blocks[body]!.sentences;
    const inBody = a.citations.filter((c) => c.block === body);
    expect(inBody).toHaveLength(CITATIONS);
    const expected = Array.from({ length: CITATIONS }, (_, i) => i);
    expect(inBody.map((c) => c.sentence)).toEqual(expected);
    expect(inBody.map((c) => sentences[c.sentence])).toEqual(expected.map(claim));
    expect(new Set(inBody.map((c) => c.referenceId)).size).toBe(PARAGRAPH_REFERENCES);
    const findings = auditArticle(a, { now: '2026-12-01T00:00:00.000Z' });
    expect(findings.filter((f) => f.kind === 'uncited-sentence' || f.kind === 'unused-reference')).toEqual(
      [],
    );
  });
});

describe('more citations or sentences in one paragraph than a call may take as arguments', () => {
  it.each<InputFormat>(['wikitext', 'html'])(
    '%s: a paragraph of 200,000 sentences is one block',
    (format) => {
      const n = 200_000;
      const text = Array.from({ length: n }, (_, i) => claim(i)).join(' ');
      const source =
        format === 'html'
          ? `<html><body><div class="mw-parser-output"><p>${text}</p></div></body></html>`
          : `== Body ==\n${text}\n`;
      const a = extractArticle({ text: source, format });
      expect(a.blocks).toHaveLength(1);
      expect(a.blocks[0]!.sentences).toHaveLength(n);
      expect(a.blocks[0]!.sentences.at(-1)).toBe(claim(n - 1));
    },
  );

  it('finds the sentences after the last of 200,000 citations', () => {
    const n = 200_000;
    const sentences = Array.from({ length: n + 1 }, (_, i) => claim(i));
    const found = audit(
      article({
        blocks: [paragraph('History', sentences)],
        references: [reference('1')],
        citations: Array.from({ length: n }, (_, i) => cite('1', 0, i)),
      }),
    ).filter((f) => f.kind === 'uncited-sentence');
    expect(found).toHaveLength(1);
    expect(found[0]?.quote).toBe(claim(n));
  });
});
