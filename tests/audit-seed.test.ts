/**
 * The audit on the seed article, as extracted by `extractMarkdown`. Expectations come from
 * reading `references/artificial-intelligence-industry-in-china.md`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { auditArticle } from '../src/audit/index.js';
import { extractMarkdown } from '../src/extract/markdown.js';
import type { Finding } from '../src/model.js';
import { NOW, ofKind } from './support/article-builder.js';
import { readSeed, seedSource } from './support/fixtures.js';

describe('audit of the seed article', () => {
  let findings: Finding[];
  beforeAll(() => {
    const text = readSeed();
    findings = auditArticle(extractMarkdown(text, seedSource(text)), { now: NOW });
  });

  it('finds exactly one duplicate: [64] and [87], "China’s AI Awakening"', () => {
    const found = ofKind(findings, 'duplicate-reference');
    expect(found).toHaveLength(1);
    expect(found[0]?.referenceIds).toEqual(['64', '87']);
    expect(found[0]?.message).toMatch(/^\[64\] and \[87\] cite the same source/);
  });

  it('does not take the chapters of one book (1, 3, 35) or two Economist articles (50, 73) for duplicates', () => {
    const grouped = ofKind(findings, 'duplicate-reference').flatMap((f) => f.referenceIds);
    for (const id of ['1', '3', '35', '50', '73']) expect(grouped).not.toContain(id);
  });

  it.each([
    ['citation-needed', 3],
    ['who', 1],
    ['original-research', 1],
  ])('reports %s %i time(s), quoting the tagged sentence', (kind, count) => {
    const found = ofKind(findings, kind);
    expect(found).toHaveLength(count);
    for (const f of found) {
      expect(f.severity).toBe('warning');
      expect(f.quote).toBeTruthy();
    }
  });

  it('places the lead’s [citation needed] in the lead', () => {
    const lead = ofKind(findings, 'citation-needed').filter((f) => f.location.section === '(lead)');
    expect(lead).toHaveLength(1);
    expect(lead[0]?.quote).toMatch(/^The State Council has a list of "national AI teams"/);
  });

  it('reports the DOIs marked inactive on [9] and [58]', () => {
    const found = ofKind(findings, 'doi-flagged-inactive');
    expect(found.map((f) => f.referenceIds)).toEqual([['9'], ['58']]);
    for (const f of found) expect(f.message).toContain('2024-11-01');
  });

  it('reports the lead’s uncited paragraphs as info', () => {
    const lead = findings.filter((f) => f.kind === 'uncited-paragraph' && f.location.section === '(lead)');
    expect(lead.length).toBeGreaterThan(0);
    for (const f of lead) {
      expect(f.severity).toBe('info');
      expect(f.message).toContain('MOS:LEADCITE');
    }
  });

  it('reports the advert after the references once', () => {
    const found = ofKind(findings, 'trailing-content');
    expect(found).toHaveLength(1);
    expect(found[0]?.severity).toBe('info');
    expect(found[0]?.quote).toMatch(/PRESALE1/i);
  });

  it('finds every marker’s reference', () => {
    expect(ofKind(findings, 'missing-reference')).toEqual([]);
  });
});
