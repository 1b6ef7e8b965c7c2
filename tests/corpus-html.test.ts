/**
 * The HTML extractor on the two real pages of the corpus (`/work/shared/corpus/html`, legacy
 * parser output, whole pages with navigation). Every expected number was derived from the
 * raw HTML independently of the extractor — the command is given next to each — and the
 * URL recall is measured against a plain regex over the references list.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractHtml } from '../src/extract/html.js';
import type { Article as ArticleType } from '../src/model.js';
import { Article } from '../src/model.js';
import { sourceFor } from './support/fixtures.js';

const CORPUS = '/work/shared/corpus/html';

interface Expected {
  file: string;
  title: string;
  /** `grep -o 'id="cite_note-[^"]*"' FILE | wc -l` (72, 80); both lists are plain: no notes group. */
  references: number;
  /** `grep -o 'class="reference"' FILE | wc -l` — the markers, `{{rp}}`'s `reference nowrap` excluded. */
  citations: number;
  /** `grep -o 'Inline-Template' FILE | wc -l` — every inline maintenance tag. */
  tags: number;
  /** `grep -o '>citation needed<' FILE | wc -l`. */
  citationNeeded: number;
  /** `grep -o 'title="This claim needs[^"]*"' FILE` — their dates, in page order. */
  citationNeededDates: string[];
  /** External links inside the references `<ol>`: the regex of `referenceUrls` below (74, 81). */
  referenceUrls: number;
}

const PAGES: Expected[] = [
  {
    file: 'Mozilla.html',
    title: 'Mozilla',
    references: 72,
    citations: 76,
    tags: 2,
    citationNeeded: 2,
    citationNeededDates: ['2015-08-01', '2015-07-01'],
    referenceUrls: 74,
  },
  {
    file: 'List_of_films_featuring_time_loops.html',
    title: 'List of films featuring time loops',
    references: 80,
    citations: 81,
    tags: 0,
    citationNeeded: 0,
    citationNeededDates: [],
    referenceUrls: 81,
  },
];

const decodeEntities = (s: string): string =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/**
 * The `href` of every `<a … class="external …">` between `<ol class="references">` and its
 * `</ol>` — a regex over the raw page, not the extractor. Protocol-relative links get `https:`.
 */
function referenceUrls(html: string): string[] {
  const start = html.indexOf('<ol class="references">');
  const end = html.indexOf('</ol>', start);
  const list = html.slice(start, end);
  const urls: string[] = [];
  for (const m of list.matchAll(/<a\s[^>]*>/g)) {
    const tag = m[0];
    if (!/class="external/.test(tag)) continue;
    const href = tag.match(/href="([^"]+)"/)?.[1];
    if (!href) continue;
    const url = decodeEntities(href.trim());
    urls.push(url.startsWith('//') ? `https:${url}` : url);
  }
  return urls;
}

describe.runIf(existsSync(CORPUS))('corpus HTML pages', () => {
  describe.each(PAGES)('$file', (expected) => {
    const html = readFileSync(`${CORPUS}/${expected.file}`, 'utf8');
    const a: ArticleType = extractHtml(html, sourceFor(html, `${CORPUS}/${expected.file}`, 'html'));

    it('fits the model and has the page title', () => {
      expect(Article.parse(a)).toEqual(a);
      expect(a.title).toBe(expected.title);
    });

    it('finds every reference, numbered 1…n, none in a notes group', () => {
      expect(a.references).toHaveLength(expected.references);
      expect(a.references.map((r) => r.number)).toEqual(a.references.map((_, i) => i + 1));
      expect(a.references.filter((r) => r.group !== undefined)).toEqual([]);
      expect(new Set(a.references.map((r) => r.id)).size).toBe(expected.references);
    });

    it('makes one citation per inline marker, each pointing at a known reference', () => {
      expect(a.citations).toHaveLength(expected.citations);
      const ids = new Set(a.references.map((r) => r.id));
      for (const c of a.citations) {
        expect(ids.has(c.referenceId)).toBe(true);
        expect(a.blocks[c.block]!.sentences[c.sentence]).toBeDefined();
      }
      const uses = a.references.reduce((n, r) => n + r.inlineCitations, 0);
      expect(uses).toBe(expected.citations);
    });

    it('finds the maintenance tags with their dates', () => {
      expect(a.tags).toHaveLength(expected.tags);
      const needed = a.tags.filter((t) => t.kind === 'citation-needed');
      expect(needed).toHaveLength(expected.citationNeeded);
      expect(needed.map((t) => t.date)).toEqual(expected.citationNeededDates);
    });

    it('recalls at least 99 % of the external URLs of the references list', () => {
      const expectedUrls = referenceUrls(html);
      expect(expectedUrls).toHaveLength(expected.referenceUrls);
      const found = new Set(a.references.flatMap((r) => r.links.map((l) => l.url)));
      const missing = expectedUrls.filter((u) => !found.has(u));
      expect(missing).toEqual([]);
      expect((expectedUrls.length - missing.length) / expectedUrls.length).toBeGreaterThanOrEqual(0.99);
    });

    it('keeps navigation, references and external links out of the body', () => {
      const text = a.blocks.map((b) => b.text).join('\n');
      for (const chrome of [
        'Navigation menu',
        'Jump to',
        'Retrieved from',
        'Categories:',
        'Privacy policy',
        '^',
      ]) {
        expect(text).not.toContain(chrome);
      }
      expect(a.blocks.every((b) => !['References', 'External links', 'See also'].includes(b.section))).toBe(
        true,
      );
    });
  });

  it('Mozilla: url-status=dead renderings give the archive to the title and the source to "the original"', () => {
    const html = readFileSync(`${CORPUS}/Mozilla.html`, 'utf8');
    const a = extractHtml(html, sourceFor(html, 'Mozilla.html', 'html'));
    const dead = a.references.filter((r) => r.links.some((l) => l.text === 'the original'));
    // `grep -o '>the original</a>' Mozilla.html | wc -l` → 3
    expect(dead).toHaveLength(3);
    for (const r of dead) {
      expect(r.urlStatus).toBe('dead');
      expect(r.links.find((l) => l.text === 'the original')!.role).toBe('source');
      expect(r.links.find((l) => l.role === 'archive')!.url).toMatch(
        /^https:\/\/web\.archive\.org\/web\/\d{14}\//,
      );
      expect(r.archive.present).toBe(true);
    }
  });

  it('List of films: the table rows are one table block and {{rp}} pages are kept', () => {
    const html = readFileSync(`${CORPUS}/List_of_films_featuring_time_loops.html`, 'utf8');
    const a = extractHtml(html, sourceFor(html, 'List_of_films_featuring_time_loops.html', 'html'));
    const tables = a.blocks.filter((b) => b.kind === 'table');
    expect(tables).toHaveLength(1);
    // `grep -o 'title="Page / location: [^"]*"' FILE` → one {{rp}}, page 207, after the first marker.
    expect(a.citations.filter((c) => c.pages !== undefined)).toEqual([
      { referenceId: 'cite_note-TTIPM-1', block: 0, sentence: 0, pages: '207' },
    ]);
  });
});
