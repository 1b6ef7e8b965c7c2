/**
 * The wikitext extractor over the 35 real articles of the corpus, against counts read from
 * the raw files by regular expressions (`tests/fixtures/wikitext/expected.json`, produced by
 * `count-expected.pl`), never from the extractor's own output.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditArticle } from '../src/audit/index.js';
import { extractWikitext } from '../src/extract/wikitext.js';
import { Article } from '../src/model.js';
import { readFixture, sourceFor } from './support/fixtures.js';

interface Counts {
  references: number;
  citations: number;
  tags: number;
  deadLinks: number;
  urls: string[];
}
interface Expected {
  corrections: Record<string, { citations?: number; references?: number; why: string }>;
  raw: Record<string, Counts>;
}

const expected = JSON.parse(readFixture('wikitext/expected.json')) as Expected;
const files = readdirSync(new URL('./fixtures/wikitext/corpus/', import.meta.url))
  .filter((f) => f.endsWith('.txt'))
  .sort();

/**
 * URLs compared the way the regex and a reader would both accept: `&amp;` decoded and the
 * punctuation that ends a sentence or a quotation dropped.
 */
const comparable = (url: string): string => url.replace(/&amp;/g, '&').replace(/[.,;:!?'")]+$/, '');

describe('wikitext corpus', () => {
  it('has all 35 articles and an expectation for each', () => {
    expect(files).toHaveLength(35);
    expect(Object.keys(expected.raw).sort()).toEqual(files);
    for (const f of Object.keys(expected.corrections)) expect(files).toContain(f);
  });

  it.each(files)('%s', (file) => {
    const text = readFixture(`wikitext/corpus/${file}`);
    const article = extractWikitext(
      text,
      sourceFor(text, `tests/fixtures/wikitext/corpus/${file}`, 'wikitext'),
    );
    expect(() => Article.parse(article)).not.toThrow();

    const raw = expected.raw[file]!;
    const fix = expected.corrections[file];
    const references = article.references.filter((r) => r.group === undefined);
    const referenceIds = new Set(references.map((r) => r.id));
    const citations = article.citations.filter((c) => referenceIds.has(c.referenceId));

    expect(references.length).toBe(raw.references + (fix?.references ?? 0));
    expect(citations.length).toBe(raw.citations + (fix?.citations ?? 0));
    expect(article.tags.filter((t) => t.kind === 'citation-needed').length).toBe(raw.tags);
    expect(article.tags.filter((t) => t.kind === 'dead-link').length).toBe(raw.deadLinks);

    const found = new Set(article.references.flatMap((r) => r.links.map((l) => comparable(l.url))));
    const wanted = [...new Set(raw.urls.map(comparable))];
    const recalled = wanted.filter((u) => found.has(u)).length;
    expect(wanted.length === 0 ? 1 : recalled / wanted.length).toBeGreaterThanOrEqual(0.99);

    // Every citation and tag points at something that exists.
    const allIds = new Set(article.references.map((r) => r.id));
    expect(allIds.size).toBe(article.references.length);
    for (const c of article.citations) {
      expect(allIds.has(c.referenceId)).toBe(true);
      const block = article.blocks[c.block];
      expect(block).toBeDefined();
      expect(c.sentence).toBeLessThan(Math.max(1, block!.sentences.length));
      expect(c.line).toBeGreaterThan(0);
    }
    for (const t of article.tags) {
      if (t.block >= 0) expect(article.blocks[t.block]).toBeDefined();
      if (t.referenceId !== undefined) expect(allIds.has(t.referenceId)).toBe(true);
    }
    for (const r of references)
      expect(r.inlineCitations).toBe(citations.filter((c) => c.referenceId === r.id).length);
  });
});

describe('wikitext corpus: references the audit calls unused (issue 12)', () => {
  it('finds none in the 35 articles (before: 18, all cited from infoboxes, captions, notes or a cited list under "Bibliography")', () => {
    const unused: string[] = [];
    for (const file of files) {
      const text = readFixture(`wikitext/corpus/${file}`);
      const article = extractWikitext(text, sourceFor(text, file, 'wikitext'));
      for (const f of auditArticle(article, { now: '2026-12-01T00:00:00.000Z' }))
        if (f.kind === 'unused-reference') unused.push(`${file}: ${f.referenceIds.join(',')}`);
    }
    expect(unused).toEqual([]);
  });
});
