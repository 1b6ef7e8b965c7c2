/**
 * Issue 11 — whatever reaches `src/fix/` (a snapshot from a hostile archive answer that slipped
 * past validation, a stored value from an older version) must not break out of the template
 * parameter it is written into: no raw `|`, `}}`, `]]`, `[[`, `<`, newline or signature tildes.
 */
import { describe, expect, it } from 'vitest';
import {
  archiveParams,
  findTemplates,
  maskInert,
  paramSafe,
  patchWikitext,
  suggestFix,
} from '../src/fix/index.js';
import { reference } from './support/article-builder.js';

const HOSTILE = {
  url: 'https://web.archive.org/web/20240305123456/https://dead.test/a\n}}[[Category:Spam]]<script>alert(1)</script>|url-status=live ~~~~',
  timestamp: '20240305123456',
};

/** Nothing in `value` can end a parameter, open markup or sign the edit. */
function expectInert(value: string): void {
  expect(value).not.toMatch(/[|{}[\]<>\s"]/);
  expect(value).not.toContain('~~~');
}

describe('paramSafe', () => {
  it.each([
    ['a pipe', 'a|b', 'a%7Cb'],
    ['template braces', 'a}}b{{c', 'a%7D%7Db%7B%7Bc'],
    ['link brackets', '[[Category:X]]', '%5B%5BCategory:X%5D%5D'],
    ['a tag', '<script>', '%3Cscript%3E'],
    ['a newline', 'a\nb', 'a%0Ab'],
    ['a signature', 'a~~~~b', 'a%7E%7E%7E~b'],
    ['a unicode line separator', 'a\u2028b', 'a%E2%80%A8b'],
    ['an encoded URL, untouched', 'https://x.test/a%7Cb?q=1&r=~u', 'https://x.test/a%7Cb?q=1&r=~u'],
  ])('encodes %s', (_, value, expected) => {
    expect(paramSafe(value)).toBe(expected);
  });
});

describe('hostile snapshots in fixes', () => {
  it('patchWikitext adds one parameter per field and nothing else', () => {
    const text = '<ref>{{cite web |url=https://dead.test/page |title=T}}</ref>';
    const result = patchWikitext(text, [
      { url: 'https://dead.test/page', snapshot: HOSTILE, date: '2026-11-28' },
    ]);
    expect(result.applied).toEqual([{ url: 'https://dead.test/page', action: 'archive-added' }]);
    const [template] = findTemplates(maskInert(result.text));
    // The template still closes where it did and has exactly the parameters added.
    expect(result.text.slice(template!.end)).toBe('</ref>');
    expect(template!.params.map((p) => p.name)).toEqual([
      'url',
      'title',
      'archive-url',
      'archive-date',
      'url-status',
    ]);
    expectInert(template!.params.find((p) => p.name === 'archive-url')!.value);
    expect(template!.params.find((p) => p.name === 'url-status')!.value).toBe('dead');
    expect(result.text).not.toContain('[[Category');
    expect(result.text).not.toContain('<script');
  });

  it('{{webarchive}} after a bare link stays one template', () => {
    const text = '<ref>[https://dead.test/page Page]</ref>';
    const result = patchWikitext(text, [
      { url: 'https://dead.test/page', snapshot: HOSTILE, date: '2026-11-28' },
    ]);
    const templates = findTemplates(maskInert(result.text));
    expect(templates).toHaveLength(1);
    expect(templates[0]!.name).toBe('webarchive');
    expectInert(templates[0]!.params.find((p) => p.name === 'url')!.value);
  });

  it('a hostile timestamp cannot reach archive-date', () => {
    const params = archiveParams({ url: 'https://web.archive.org/web/2024/x', timestamp: '2024|}}' }, 'dead');
    expect(params).toBe(
      '|archive-url=https://web.archive.org/web/2024/x |archive-date=2024-01-01 |url-status=dead',
    );
  });

  it('suggestFix writes the same inert values', () => {
    const suggestion = suggestFix(
      reference('1'),
      { url: 'https://dead.test/a', role: 'chapter' },
      {
        outcome: 'dead',
        verdict: 'dead',
        reason: 'http-404',
        checkedAt: '2026-11-28T00:00:00.000Z',
        snapshot: HOSTILE,
      },
      '2026-11-28T00:00:00.000Z',
    )!;
    expect(findTemplates(maskInert(suggestion))).toHaveLength(1);
    expect(suggestion).not.toMatch(/[\n<]|\[\[/);
  });
});
