/**
 * Issue 12, checked against real articles: body sections named like bibliographies, references
 * cited from infoboxes, image captions and notes, and HTML entities in wikitext. Fixtures under
 * `tests/fixtures/wikitext/issue-12/`: trimmed excerpts of real articles of the corpus
 * (`toronto-excerpt.wiki`, `al-haytham-excerpt.wiki`) and a hand-written article
 * (`notes-literature.wiki`) that puts every case side by side.
 */
import { describe, expect, it } from 'vitest';
import { auditArticle } from '../src/audit/index.js';
import { extractHtml } from '../src/extract/html.js';
import { extractWikitext } from '../src/extract/wikitext.js';
import type { Article as ArticleType, Finding } from '../src/model.js';
import { Article } from '../src/model.js';
import { readFixture, sourceFor } from './support/fixtures.js';

const NOW = '2026-12-01T00:00:00.000Z';

function load(name: string): ArticleType {
  const path = `wikitext/issue-12/${name}`;
  const text = readFixture(path);
  const article = extractWikitext(text, sourceFor(text, `tests/fixtures/${path}`, 'wikitext'));
  expect(() => Article.parse(article)).not.toThrow();
  return article;
}

const unused = (a: ArticleType): Finding[] =>
  auditArticle(a, { now: NOW }).filter((f) => f.kind === 'unused-reference');

const citationsOf = (a: ArticleType, id: string) => a.citations.filter((c) => c.referenceId === id);

describe('a body section titled like a bibliography is decided by its content', () => {
  const a = load('notes-literature.wiki');
  const inSection = (title: string) => a.blocks.filter((b) => b.section === title);

  it('keeps the cited paragraphs of "Literature" and of its subsection', () => {
    expect(inSection('Literature').map((b) => b.kind)).toEqual(['paragraph', 'paragraph', 'paragraph']);
    expect(inSection('Literature')[0]!.sentences[0]).toBe(
      "Nordland's literature began with the sagas, written down in the 13th century.",
    );
    expect(inSection('Poetry')).toHaveLength(1);
    expect(citationsOf(a, 'sagas').map((c) => c.sentence)).toEqual([0, 1]);
    expect(citationsOf(a, 'FOOTNOTEHansen199988')).toHaveLength(1);
  });

  it('still drops a "Literatur" section that is a list of citations', () => {
    expect(inSection('Literatur')).toEqual([]);
  });

  it('drops a list of works under "Bibliography", but keeps its cited list', () => {
    expect(inSection('Novels')).toEqual([]);
    expect(inSection('Speaking engagements').map((b) => b.kind)).toEqual(['list']);
    const festival = a.references.find((r) => r.text.includes('All About Women 2015'))!;
    expect(citationsOf(a, festival.id)).toHaveLength(1);
  });
});

describe('references cited inside notes ({{efn}}, {{refn}}, {{#tag:ref}})', () => {
  const a = load('notes-literature.wiki');

  it('cites a <ref> inside {{efn}} where the note is cited', () => {
    const note = citationsOf(a, 'lower-alpha-1');
    expect(note).toHaveLength(1);
    expect(citationsOf(a, 'dispute')).toEqual([{ ...note[0], referenceId: 'dispute' }]);
  });

  it('makes {{sfn}} inside {{efn}} a footnote of its own, cited where the note is', () => {
    const sfn = a.references.find((r) => r.id === 'FOOTNOTEHansen199912');
    expect(sfn?.text).toBe('Hansen 1999, p. 12');
    expect(sfn?.inlineCitations).toBe(1);
    const [note] = citationsOf(a, 'lower-alpha-1');
    expect(citationsOf(a, 'FOOTNOTEHansen199912')).toMatchObject([
      { block: note!.block, sentence: note!.sentence, pages: '12' },
    ]);
    // The note's own text no longer carries the short citation, and borrows nothing from it.
    const efn = a.references.find((r) => r.id === 'lower-alpha-1')!;
    expect(efn.text).toBe('The union was disputed until 1820. Some historians date it to 1815.');
    expect(efn.identifiers.isbn).toEqual([]);
  });

  it('cites a <ref> inside {{refn|group=nb}}', () => {
    const parliament = a.references.find((r) => r.title === 'History of the parliament')!;
    const [note] = citationsOf(a, 'nb-1');
    expect(citationsOf(a, parliament.id)).toMatchObject([{ block: note!.block, sentence: note!.sentence }]);
  });

  it('reports no reference of the article as unused (before: 7 of 10)', () => {
    expect(unused(a)).toEqual([]);
  });

  it('cites a <ref> inside {{#tag:ref}} (corpus: Clint Murchison Sr., the Boston Herald)', () => {
    const text = readFixture('wikitext/corpus/Clint-Murchison-Sr..txt');
    const clint = extractWikitext(text, sourceFor(text, 'Clint-Murchison-Sr..txt', 'wikitext'));
    expect(citationsOf(clint, 'Boston Herald')).toHaveLength(1);
    expect(unused(clint)).toEqual([]);
  });
});

describe('references cited in infoboxes and image captions', () => {
  it('toronto: the infobox and caption references are cited (before: 4 unused warnings)', () => {
    const a = load('toronto-excerpt.wiki');
    expect(unused(a)).toEqual([]);
    for (const r of a.references) expect(r.inlineCitations, r.id).toBeGreaterThan(0);
  });

  it('al-Haytham: the seven infobox references are cited (before: 7 unused warnings)', () => {
    const a = load('al-haytham-excerpt.wiki');
    expect(unused(a)).toEqual([]);
    for (const id of ['ref-1', 'ref-2', 'ref-3', 'ref-4', 'ref-5', 'ref-6', 'ref-7'])
      expect(citationsOf(a, id), id).toHaveLength(1);
  });
});

describe('HTML entities in wikitext', () => {
  const a = load('notes-literature.wiki');

  it('decodes every named entity in the body text', () => {
    const cuisine = a.blocks.find((b) => b.section === 'Cuisine')!;
    expect(cuisine.text).toBe(
      'Dishes include lutefisk – dried cod … and éclairs; cafés serve Åland pancakes ⅓ of the time at 5 € – α-grade → ✓.',
    );
  });

  it('decodes them in citation fields and URLs', () => {
    const food = a.references.find((r) => r.links.some((l) => l.url.includes('food.example.no')))!;
    expect(food.title).toBe('Café culture & the Åland pancake');
    expect(food.links[0]?.url).toBe('https://food.example.no/?a=1&b=2');
  });
});

describe('the same cases in Parsoid HTML (already read right: a check that it stays so)', () => {
  const text = readFixture('html/issue-12-parsoid.html');
  const a = extractHtml(text, sourceFor(text, 'tests/fixtures/html/issue-12-parsoid.html', 'html'));

  it('cites the infobox and figure-caption references from blocks of their own', () => {
    expect(a.blocks.slice(0, 3).map((b) => [b.kind, b.text])).toEqual([
      ['table', 'Founded 1814'],
      ['paragraph', 'Nordland is a small country in Northern Europe.'],
      ['paragraph', 'The old harbour, built in 1820.'],
    ]);
    expect(citationsOf(a, 'cite_note-founded-1')).toMatchObject([{ block: 0 }]);
    expect(citationsOf(a, 'cite_note-harbour-3')).toMatchObject([{ block: 2 }]);
  });

  it('counts the references and short footnotes inside a note as used', () => {
    for (const id of ['cite_note-dispute-8', 'cite_note-FOOTNOTEHansen199912-9'])
      expect(a.references.find((r) => r.id === id)?.inlineCitations, id).toBe(1);
    expect(unused(a)).toEqual([]);
  });

  it('keeps a "Literature" section of prose', () => {
    expect(a.blocks.filter((b) => b.section === 'Literature')).toHaveLength(1);
    expect(citationsOf(a, 'cite_note-sagas-7')).toHaveLength(1);
  });
});

describe('bibliography-like section titles in HTML are decided by content too', () => {
  const page = (body: string): ArticleType => {
    const html = `<html><body><div class="mw-parser-output"><p>Lead sentence of the article.</p>${body}</div></body></html>`;
    return extractHtml(html, sourceFor(html, 'page.html', 'html'));
  };
  const cite = (n: number): string =>
    `<sup id="cite_ref-${n}" class="reference"><a href="#cite_note-${n}">[${n}]</a></sup>`;
  const refs = (...ns: number[]): string =>
    `<h2><span class="mw-headline">References</span></h2><div class="mw-references-wrap"><ol class="references">${ns
      .map((n) => `<li id="cite_note-${n}"><span class="reference-text">Source ${n}.</span></li>`)
      .join('')}</ol></div>`;

  it('keeps a river\'s "Sources" written as cited prose (it was dropped by its title)', () => {
    const a = page(
      `<h2><span class="mw-headline">Sources</span></h2><p>The river rises in the northern hills above the town.${cite(1)}</p>${refs(1)}`,
    );
    expect(a.blocks.filter((b) => b.section === 'Sources')).toHaveLength(1);
    expect(citationsOf(a, 'cite_note-1')).toHaveLength(1);
    expect(unused(a)).toEqual([]);
  });

  it('drops a "Bibliography" or "Literature" that is a list of works (it gave uncited lists)', () => {
    const a = page(
      `<h2><span class="mw-headline">Bibliography</span></h2><ul><li><i>The Fishermen</i> (1950)</li><li><i>The Harbour</i> (1951)</li></ul>` +
        `<div class="mw-heading mw-heading2"><h2 id="Literature">Literature</h2></div><ul><li>Hansen, Jon: <i>A History of Nordland</i>. Nordic Press, Oslo 1999.</li></ul>`,
    );
    expect(a.blocks.map((b) => b.section)).toEqual(['(lead)']);
  });
});
