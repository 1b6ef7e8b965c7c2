/**
 * Golden records: a few corpus articles and fixtures, extracted and audited, must give exactly
 * the articles and findings recorded in `tests/fixtures/golden/` (written by main before the
 * issue-14 speed-ups of extraction and the audit). A deliberate change of results updates them
 * with `npx vitest run tests/extract-golden.test.ts -u`; the whole-corpus comparison is
 * `bench/extract-golden.ts`.
 */
import { describe, expect, it } from 'vitest';
import { auditArticle } from '../src/audit/index.js';
import { extractArticle } from '../src/extract/index.js';
import type { InputFormat } from '../src/model.js';
import { readFixture } from './support/fixtures.js';

const NOW = '2026-11-20T00:00:00Z';

const CASES: Array<[path: string, format: InputFormat]> = [
  ['wikitext/corpus/Magnar-Saetre.txt', 'wikitext'],
  ['wikitext/corpus/Jerry-Mumphrey.txt', 'wikitext'],
  ['wikitext/sample.wiki', 'wikitext'],
  ['html/legacy-notes.html', 'html'],
  ['html/parsoid.html', 'html'],
  ['markdown/urls.md', 'markdown'],
];

describe('extract + audit give the recorded results', () => {
  it.each(CASES)('%s', async (path, format) => {
    const text = readFixture(path);
    const article = extractArticle({ text, path, format });
    const findings = auditArticle(article, { now: NOW });
    const name = path.replace(/[/.]/g, '_');
    await expect(`${JSON.stringify({ article, findings }, null, 1)}\n`).toMatchFileSnapshot(
      `fixtures/golden/${name}.json`,
    );
  });
});
