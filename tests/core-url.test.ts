/**
 * `plainUrlParts` reads a plain URL without the WHATWG parser: whenever it answers, its answer
 * is the parser's, over generated URLs made of the characters and shapes the parser treats
 * specially; and it answers for the URLs articles usually cite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainUrlParts } from '../src/core/url.js';

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
/** Mostly the usual, now and then what the parser treats specially. */
const mostly = (usual: fc.Arbitrary<string>, odd: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 12, arbitrary: usual }, { weight: 1, arbitrary: odd });
const label = fc
  .array(mostly(pick('a', 'Z', '0', '9', '-', 'www', 'x'), pick('xn--', '0x1', '_', 'é', '%41', '')), {
    minLength: 1,
    maxLength: 4,
  })
  .map((t) => t.join(''));
const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((t) => t.join('.'));
const pathOrQuery = fc
  .array(
    mostly(
      pick('/', 'a', 'B', '.', '~', '@', ':', ';', '=', '&', '+', '|', '^', '[', ']', '%20'),
      pick(
        '..',
        '%2e',
        '%2E',
        '%zz',
        "'",
        '`',
        '{',
        '}',
        '"',
        '<',
        '>',
        ' ',
        '\t',
        '\\',
        'é',
        '\u0000',
        '\n',
        '?',
        '#',
      ),
    ),
    { maxLength: 8 },
  )
  .map((t) => t.join(''));
const url = fc
  .tuple(
    mostly(pick('http://', 'https://', 'HTTP://'), pick('ftp://', 'http:/', 'http://u:p@', 'mailto:', '//')),
    host,
    fc.option(mostly(pick(':80', ':0', ':65535', ':08'), pick(':65536', ':99999', ':'))),
    fc.option(pathOrQuery.map((p) => `/${p}`)),
    fc.option(pathOrQuery.map((q) => `?${q}`)),
    fc.option(pick('#', '#f', '#a b', '#\n')),
  )
  .map(
    ([scheme, h, port, path, query, hash]) =>
      `${scheme}${h}${port ?? ''}${path ?? ''}${query ?? ''}${hash ?? ''}`,
  );

function parsed(u: string) {
  try {
    const x = new URL(u);
    return { hostname: x.hostname, pathname: x.pathname, search: x.search };
  } catch {
    return 'throws';
  }
}

describe('plainUrlParts', () => {
  it('answers as new URL does, whenever it answers', () => {
    fc.assert(
      fc.property(url, (u) => {
        const plain = plainUrlParts(u);
        if (plain !== undefined) expect(plain).toEqual(parsed(u));
      }),
      { numRuns: 20000 },
    );
  });

  it('answers for plain URLs', () => {
    for (const u of [
      'http://site23.bench.test:38807/l/ok/59247/14',
      'https://www.example.com/',
      'https://example.com',
      'https://news.example.co.uk/2020/05/story.html?id=4&utm=x#top',
      'https://Example.COM/Path/',
      "https://a.test/it's",
    ]) {
      expect(plainUrlParts(u), u).toEqual(parsed(u));
    }
  });

  it('leaves the parser the URLs it changes', () => {
    for (const u of [
      'http://1.2.3/x',
      'http://a.0x1/',
      'http://xn--a.com/',
      'http://a.b:99999/',
      'http://a.b/x/./y',
      'http://a.b/%2E%2e/y',
      "http://a.b/?q='x",
      'http://u:p@a.b/',
      'http://a.b/ x',
      'ftp://a.b/',
    ]) {
      expect(plainUrlParts(u), u).toBeUndefined();
    }
  });
});
