import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTemplates, isCitationTemplate, maskInert, patchWikitext } from '../src/fix/index.js';
import type { Snapshot } from '../src/model.js';

const DATE = '2026-11-28';
const SNAP: Snapshot = {
  url: 'https://web.archive.org/web/20240305123456/https://dead.test/page',
  timestamp: '20240305123456',
};
const TAG = '{{dead link|date=November 2026|bot=citewatch}}';

/** The patched text must be the original with `inserted` put at one place. */
function expectOnlyInsertion(original: string, patched: string, inserted: string): void {
  let p = 0;
  while (p < original.length && original[p] === patched[p]) p++;
  expect(patched.slice(p, p + inserted.length)).toBe(inserted);
  expect(patched.slice(0, p) + patched.slice(p + inserted.length)).toBe(original);
}

describe('patchWikitext on CS1 templates', () => {
  it('adds archive parameters in the template’s own one-line style', () => {
    const text =
      'Claim.<ref name="a">{{cite web |url=https://dead.test/page |title=Page |access-date=2020-01-01}}</ref> More.';
    const result = patchWikitext(text, [{ url: 'https://dead.test/page', snapshot: SNAP, date: DATE }]);
    expectOnlyInsertion(
      text,
      result.text,
      ` |archive-url=${SNAP.url} |archive-date=2024-03-05 |url-status=dead`,
    );
    expect(result.applied).toEqual([{ url: 'https://dead.test/page', action: 'archive-added' }]);
    expect(result.skipped).toEqual([]);
  });

  it('follows a multi-line template with spaces around =', () => {
    const text = [
      '<ref>{{Cite news',
      '| url = https://dead.test/page',
      '| title = A {{lang|fr|titre}} [[Link|here]]',
      '| work = Paper',
      '}}</ref>',
    ].join('\n');
    const result = patchWikitext(text, [{ url: 'https://dead.test/page', snapshot: SNAP, date: DATE }]);
    expect(result.text).toBe(
      [
        '<ref>{{Cite news',
        '| url = https://dead.test/page',
        '| title = A {{lang|fr|titre}} [[Link|here]]',
        '| work = Paper',
        `| archive-url = ${SNAP.url}`,
        '| archive-date = 2024-03-05',
        '| url-status = dead',
        '}}</ref>',
      ].join('\n'),
    );
  });

  it('sets url-status=dead when there already is an archive copy', () => {
    const live =
      '{{cite web|url=https://dead.test/page|archive-url=https://web.archive.org/web/2019/x|archive-date=2019-01-01|url-status=live|title=T}}';
    const patched = patchWikitext(live, [{ url: 'https://dead.test/page', snapshot: SNAP, date: DATE }]);
    expect(patched.text).toBe(live.replace('url-status=live', 'url-status=dead'));
    expect(patched.applied).toEqual([{ url: 'https://dead.test/page', action: 'url-status-set' }]);

    const missing =
      '{{cite web |url=https://dead.test/page |archiveurl=https://web.archive.org/web/2019/x |title=T}}';
    expect(patchWikitext(missing, [{ url: 'https://dead.test/page', date: DATE }]).text).toBe(
      '{{cite web |url=https://dead.test/page |archiveurl=https://web.archive.org/web/2019/x |title=T |url-status=dead}}',
    );

    const done =
      '{{cite web |url=https://dead.test/page |archive-url=https://web.archive.org/web/2019/x |url-status=dead}}';
    const untouched = patchWikitext(done, [{ url: 'https://dead.test/page', snapshot: SNAP, date: DATE }]);
    expect(untouched.text).toBe(done);
    expect(untouched.skipped).toEqual([{ url: 'https://dead.test/page', reason: 'already-marked' }]);
  });

  it('fills empty archive parameters instead of repeating them', () => {
    const text = '{{cite web |url=https://dead.test/page |archive-url= |archive-date= |title=T}}';
    expect(patchWikitext(text, [{ url: 'https://dead.test/page', snapshot: SNAP, date: DATE }]).text).toBe(
      `{{cite web |url=https://dead.test/page |archive-url=${SNAP.url} |archive-date=2024-03-05 |title=T |url-status=dead}}`,
    );
  });

  it('tags the citation {{dead link}} when there is no snapshot', () => {
    const text = '<ref>{{cite web |url=https://dead.test/page |title=Page}}</ref>';
    const result = patchWikitext(text, [{ url: 'https://dead.test/page', date: `${DATE}T03:00:00.000Z` }]);
    expect(result.text).toBe(`<ref>{{cite web |url=https://dead.test/page |title=Page}}${TAG}</ref>`);
    expect(result.applied).toEqual([{ url: 'https://dead.test/page', action: 'dead-link-tagged' }]);

    const tagged = '<ref>{{cite web |url=https://dead.test/page}} {{Dead link|date=May 2025}}</ref>';
    expect(patchWikitext(tagged, [{ url: 'https://dead.test/page', date: DATE }])).toEqual({
      text: tagged,
      applied: [],
      skipped: [{ url: 'https://dead.test/page', reason: 'already-marked' }],
    });
  });

  it('leaves a template followed by {{cbignore}} alone', () => {
    const text = '<ref>{{cite web |url=https://dead.test/page |title=Page}}{{cbignore|bot=medic}}</ref>';
    for (const snapshot of [SNAP, undefined]) {
      const result = patchWikitext(text, [
        { url: 'https://dead.test/page', ...(snapshot && { snapshot }), date: DATE },
      ]);
      expect(result.text).toBe(text);
      expect(result.skipped).toEqual([{ url: 'https://dead.test/page', reason: 'cbignore' }]);
    }
  });

  it('matches the URL exactly (HTML-escaped & counts), never a longer one or one in a comment', () => {
    const text = [
      '{{cite web |url=https://dead.test/page2 |title=Other}}',
      '<!-- {{cite web |url=https://dead.test/page |title=Commented}} -->',
      '{{cite web |url=https://dead.test/q?a=1&amp;b=2 |title=Query}}',
    ].join('\n');
    const result = patchWikitext(text, [
      { url: 'https://dead.test/page', date: DATE },
      { url: 'https://dead.test/q?a=1&b=2', date: DATE },
    ]);
    expect(result.skipped).toEqual([{ url: 'https://dead.test/page', reason: 'not-found' }]);
    expect(result.applied).toEqual([{ url: 'https://dead.test/q?a=1&b=2', action: 'dead-link-tagged' }]);
    expectOnlyInsertion(text, result.text, TAG);
  });

  it('keeps a | in a snapshot URL from breaking the template', () => {
    const text = '{{cite web |url=https://dead.test/page |title=T}}';
    const snapshot = {
      url: 'https://web.archive.org/web/20240305123456/https://dead.test/a|b',
      timestamp: '20240305123456',
    };
    expect(patchWikitext(text, [{ url: 'https://dead.test/page', snapshot, date: DATE }]).text).toContain(
      '|archive-url=https://web.archive.org/web/20240305123456/https://dead.test/a%7Cb |',
    );
  });
});

describe('patchWikitext on bare and bracketed links', () => {
  it('tags a bare URL and a bracketed link after the link', () => {
    const text = '<ref>https://dead.test/page</ref> and <ref>[https://dead.test/page The page] (2019).</ref>';
    const result = patchWikitext(text, [{ url: 'https://dead.test/page', date: DATE }]);
    expect(result.text).toBe(
      `<ref>https://dead.test/page${TAG}</ref> and <ref>[https://dead.test/page The page]${TAG} (2019).</ref>`,
    );
    expect(result.applied).toHaveLength(2);
  });

  it('adds {{webarchive}} after a bare link when there is a snapshot', () => {
    const text = '* [https://dead.test/page Home page]\n';
    expect(patchWikitext(text, [{ url: 'https://dead.test/page', snapshot: SNAP, date: DATE }]).text).toBe(
      `* [https://dead.test/page Home page]{{webarchive |url=${SNAP.url} |date=2024-03-05}}\n`,
    );
  });

  it('respects {{cbignore}} and an existing tag after a bare link', () => {
    const text =
      '<ref>[https://dead.test/page Page]{{cbignore}}</ref><ref>https://dead.test/other {{dead link}}</ref>';
    const result = patchWikitext(text, [
      { url: 'https://dead.test/page', date: DATE },
      { url: 'https://dead.test/other', date: DATE },
    ]);
    expect(result.text).toBe(text);
    expect(result.skipped).toEqual([
      { url: 'https://dead.test/page', reason: 'cbignore' },
      { url: 'https://dead.test/other', reason: 'already-marked' },
    ]);
  });
});

describe('patchWikitext on real articles', () => {
  const dir = 'tests/fixtures/wikitext/corpus';
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));

  /** The one stretch `patched` has in addition to `original` (which must be all that changed). */
  function insertion(original: string, patched: string): string {
    let p = 0;
    while (p < original.length && original[p] === patched[p]) p++;
    const inserted = patched.slice(p, p + patched.length - original.length);
    expect(patched.slice(0, p) + patched.slice(p + inserted.length)).toBe(original);
    return inserted;
  }

  it.each(files)('%s: changes only the characters of each fix', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const candidates = findTemplates(maskInert(text))
      .filter(isCitationTemplate)
      .filter((t) => !t.params.some((p) => /^(archive-?url|archive-?date|url-?status)$/.test(p.name)))
      .map((t) => t.params.find((p) => p.name === 'url')?.value)
      .filter((u): u is string => !!u && /^https?:\/\/\S+$/.test(u) && text.split(u).length === 2);
    for (const url of candidates.slice(0, 5)) {
      const tagged = patchWikitext(text, [{ url, date: DATE }]);
      if (tagged.skipped.length > 0) {
        // Already tagged by an editor: nothing to add.
        expect(tagged).toEqual({ text, applied: [], skipped: [{ url, reason: 'already-marked' }] });
      } else {
        expect(tagged.applied).toEqual([{ url, action: 'dead-link-tagged' }]);
        expect(insertion(text, tagged.text)).toBe(TAG);
      }

      const archived = patchWikitext(text, [{ url, snapshot: SNAP, date: DATE }]);
      expect(archived.applied).toEqual([{ url, action: 'archive-added' }]);
      expect(insertion(text, archived.text)).toMatch(
        /^\s*\|\s*archive-url\s*=\s*https:\/\/web\.archive\.org\/web\/20240305123456\/https:\/\/dead\.test\/page\s*\|\s*archive-date\s*=\s*2024-03-05\s*\|\s*url-status\s*=\s*dead\s*$/,
      );
    }
  });

  it('finds citations to patch in the corpus', () => {
    const all = files.flatMap((f) =>
      findTemplates(maskInert(readFileSync(join(dir, f), 'utf8'))).filter(isCitationTemplate),
    );
    expect(all.length).toBeGreaterThan(20);
  });
});
