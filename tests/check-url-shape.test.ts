/**
 * The URL-shape tests skip the parse where the string alone decides (issue 14): a plain URL
 * without an error word names no error page, and a URL is the same resource as itself. Their
 * answers must be the old ones (every URL parsed, kept in tests/support/url-shape-reference.ts)
 * for any URL: generated ones full of escapes, dot segments, odd hosts and error words, and
 * every URL of the fixtures.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDeepUrl, isSiteRoot, looksLikeErrorUrl, looksLikeLoginUrl } from '../src/check/index.js';
import { sameResource } from '../src/check/url-shape.js';
import * as reference from './support/url-shape-reference.js';

const SCHEMES = ['http://', 'https://', 'HTTP://', 'ftp://', '//', '', 'http:/', 'https:\\\\'];
const HOSTS = [
  'example.com',
  'WWW.Example.com',
  'www.example.com:80',
  '0x7f.1',
  'xn--nxasmq6b.example',
  '[::1]:8080',
  'ex%41mple.com',
  'a.b',
  '',
];
const SEGMENTS = [
  '404',
  '410',
  'Error',
  'error-404',
  'not-found',
  'Page_Not_Found',
  'pagenotfound',
  'file-not-found',
  'page-missing',
  'no-encontrada',
  'login',
  'Sign-In',
  'index.html',
  'default.aspx',
  'en',
  'de-de',
  'home',
  'article',
  '2024',
  '40',
  '4',
  '.',
  '..',
  '%2e%2e',
  '%2E',
  '%34%30%34',
  '%34',
  '%zz',
  '%',
  'ä',
  'x y',
  '\t',
  '4\n04',
  '"',
  '<',
  '{',
  "'",
  '\\',
  '^',
  '|',
  'e=404',
  'errors',
  'foundation',
];
const QUERIES = [
  '',
  '?',
  '?e=404',
  '?aspxerrorpath=/x',
  '?status=404',
  '?ErrorCode=410',
  '?error=not-found',
  '?utm_source=x',
  '?lang=en&ref=y',
  '?id=7',
  "?q='404'",
  '?x=%34%30%34',
  '?e=%34%30%34',
  '?a=1&e=404',
];
const FRAGMENTS = ['', '#404', '#x', '#error'];

const url = fc
  .tuple(
    fc.constantFrom(...SCHEMES),
    fc.constantFrom(...HOSTS),
    fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 5 }),
    fc.constantFrom('/', '\\', '/'),
    fc.boolean(),
    fc.constantFrom(...QUERIES),
    fc.constantFrom(...FRAGMENTS),
    fc.constantFrom('', ' ', '\t'),
  )
  .map(([scheme, host, segments, slash, trailing, query, fragment, pad]) => {
    const path = segments.length > 0 ? `/${segments.join(slash)}${trailing ? '/' : ''}` : trailing ? '/' : '';
    return `${pad}${scheme}${host}${path}${query}${fragment}${pad}`;
  });

/** Every http(s) URL written in the fixtures. */
function fixtureUrls(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else for (const m of readFileSync(path, 'utf8').matchAll(/https?:\/\/[^\s|\]}<>"']+/g)) found.add(m[0]);
    }
  };
  walk(join(import.meta.dirname, 'fixtures'));
  return [...found];
}

const same = (u: string): void => {
  expect(looksLikeErrorUrl(u), u).toBe(reference.looksLikeErrorUrl(u));
  expect(isSiteRoot(u), u).toBe(reference.isSiteRoot(u));
  expect(isDeepUrl(u), u).toBe(reference.isDeepUrl(u));
  expect(looksLikeLoginUrl(u), u).toBe(reference.looksLikeLoginUrl(u));
  expect(sameResource(u, u), u).toBe(reference.sameResource(u, u));
};

describe('URL shapes without a parse', () => {
  it('answer as the old tests for generated URLs', () => {
    fc.assert(fc.property(url, same), { numRuns: 20_000 });
    fc.assert(
      fc.property(url, url, (a, b) => {
        expect(sameResource(a, b)).toBe(reference.sameResource(a, b));
      }),
      { numRuns: 5000 },
    );
  });

  it('answer as the old tests for every URL of the fixtures', () => {
    const urls = fixtureUrls();
    expect(urls.length).toBeGreaterThan(500);
    for (const u of urls) same(u);
    // Some of them do name error pages: the fast path is not all there is.
    expect(urls.some((u) => looksLikeErrorUrl(u) || looksLikeErrorUrl(`${u}/404`))).toBe(true);
  });
});
