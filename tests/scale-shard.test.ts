/**
 * Shards: `--shard I/N` parsing, the shard key (registrable domain), and the shard of a URL —
 * stable across calls and machines, complete (every URL in exactly one shard), never splitting
 * a site, with identifier resolver URLs going by the same rule.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolverUrl } from '../src/check/index.js';
import { ERROR_CODES, UsageError } from '../src/errors.js';
import { extractArticle } from '../src/extract/index.js';
import { fnv1a32, parseShard, shardFilter, shardKey, shardOf } from '../src/scale/index.js';
import { readFixture } from './support/fixtures.js';

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    ['4/4', { index: 4, count: 4 }],
    [' 3 / 16 ', { index: 3, count: 16 }],
  ])('%s', (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each(['', '2', '0/4', '5/4', '2/0', '-1/4', '1/4/5', 'a/b', '1.5/4', '1/2000'])(
    'refuses %j with a UsageError',
    (text) => {
      expect(() => parseShard(text)).toThrow(UsageError);
      try {
        parseShard(text);
      } catch (error) {
        expect((error as UsageError).code).toBe(ERROR_CODES.usage);
      }
    },
  );
});

describe('shardKey', () => {
  it.each([
    ['https://a.example.co.uk/x', 'example.co.uk'],
    ['https://b.example.co.uk/y?q=1', 'example.co.uk'],
    ['https://www.bbc.co.uk/news/world', 'bbc.co.uk'],
    ['HTTPS://WWW.Example.COM./Path', 'example.com'],
    ['//cdn.example.org/lib.js', 'example.org'],
    ['https://user.github.io/page', 'github.io'],
    ['https://doi.org/10.1000/182', 'doi.org'],
    ['https://pubmed.ncbi.nlm.nih.gov/12345/', 'nih.gov'],
    ['http://127.0.0.1:8080/a', '127.0.0.1'],
    ['http://[::1]:8080/a', '[::1]'],
    ['http://localhost/a', 'localhost'],
    ['http://intranet/a', 'intranet'],
    ['not a url', 'not a url'],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
  ])('%s → %s', (url, key) => {
    expect(shardKey(url)).toBe(key);
  });
});

describe('shardOf', () => {
  it('hashes with FNV-1a 32 (published test vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  // Fixed answers: a change here moves URLs between machines of a running deployment.
  it.each([
    ['https://a.example.co.uk/x', [2, 2, 4, 2, 12]],
    ['https://www.bbc.co.uk/news', [1, 1, 1, 7, 13]],
    ['https://doi.org/10.1000/182', [2, 2, 4, 7, 8]],
    ['https://hdl.handle.net/1/2', [1, 3, 3, 5, 11]],
    ['https://pubmed.ncbi.nlm.nih.gov/1/', [1, 1, 3, 2, 11]],
    ['https://arxiv.org/abs/1', [2, 3, 2, 6, 2]],
    ['http://127.0.0.1:8080/', [1, 3, 3, 4, 15]],
    ['https://www.nytimes.com/a', [2, 3, 2, 6, 6]],
  ])('%s is in shards %j of 2, 3, 4, 7, 16', (url, expected) => {
    const counts = [2, 3, 4, 7, 16];
    const first = counts.map((n) => shardOf(url, n));
    expect(first).toEqual(expected);
    expect(counts.map((n) => shardOf(url, n))).toEqual(first);
  });

  it('puts everything in shard 1 of 1', () => {
    fc.assert(fc.property(fc.string(), (url) => shardOf(url, 1) === 1));
  });

  it('refuses a shard count below 1', () => {
    expect(() => shardOf('https://example.com/', 0)).toThrow(RangeError);
    expect(() => shardFilter({ index: 3, count: 2 })).toThrow(RangeError);
  });
});

const urlArbitrary = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string(),
  fc.ipV4().map((ip) => `http://${ip}/`),
  fc.ipV6().map((ip) => `http://[${ip}]/`),
);

describe('shardFilter', () => {
  it('is complete: every URL is in exactly one shard, the one shardOf names (N = 1..16)', () => {
    const filters = Array.from({ length: 16 }, (_, n) =>
      Array.from({ length: n + 1 }, (_, i) => shardFilter({ index: i + 1, count: n + 1 })),
    );
    fc.assert(
      fc.property(urlArbitrary, (url) => {
        for (const [n, shards] of filters.entries()) {
          const owners = shards.flatMap((include, i) => (include(url) ? [i + 1] : []));
          expect(owners).toEqual([shardOf(url, n + 1)]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never splits a registrable domain across shards', () => {
    // Not `xn--…`: an invalid punycode label makes the URL unparseable (never fetched: `invalid-url`).
    const label = fc
      .stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/)
      .filter((l) => !l.startsWith('xn--'));
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 1, maxLength: 3 }),
        fc.webPath(),
        fc.integer({ min: 1, max: 16 }),
        (labels, path, count) => {
          const url = `https://${labels.join('.')}.example.co.uk${path}`;
          expect(shardOf(url, count)).toBe(shardOf('https://example.co.uk/', count));
        },
      ),
    );
    expect(shardKey('https://a.example.co.uk/')).toBe(shardKey('https://b.example.co.uk/'));
    expect(shardKey('https://bbc.co.uk/')).not.toBe(shardKey('https://example.co.uk/'));
    // Found by this property: such a URL keeps its own key, and the checker skips it unfetched.
    expect(shardKey('https://xn--abc.example.co.uk/')).toBe('https://xn--abc.example.co.uk/');
  });

  it('sends every identifier of one service to one shard (its resolver domain)', () => {
    const cases = [
      ['doi', '10.1000/182', 'https://doi.org/'],
      ['doi', '10.5555/12345678', 'https://doi.org/'],
      ['hdl', '2027/mdp.39015', 'https://hdl.handle.net/'],
      ['pmid', '12345', 'https://pubmed.ncbi.nlm.nih.gov/'],
      ['arxiv', '2101.00001', 'https://arxiv.org/'],
    ] as const;
    for (const [kind, value, home] of cases) {
      for (let count = 1; count <= 16; count++)
        expect(shardOf(resolverUrl(kind, value)!, count)).toBe(shardOf(home, count));
    }
  });
});

// The corpus's cited URLs, extracted as a run extracts them.
const corpusFiles = readdirSync(new URL('./fixtures/wikitext/corpus/', import.meta.url)).filter((f) =>
  f.endsWith('.txt'),
);
const corpusUrls = [
  ...new Set(
    corpusFiles.flatMap((file) =>
      extractArticle({
        text: readFixture(`wikitext/corpus/${file}`),
        path: `tests/fixtures/wikitext/corpus/${file}`,
      }).references.flatMap((r) => r.links.map((l) => l.url)),
    ),
  ),
];
const corpusDomains = new Set(corpusUrls.map(shardKey)).size;
const perShard = (count: number): number[] => {
  const sizes: number[] = Array.from({ length: count }, () => 0);
  for (const url of corpusUrls) sizes[shardOf(url, count) - 1]!++;
  return sizes;
};

describe('the corpus in shards', () => {
  // Hosts follow a Zipf law, so balance is not guaranteed; completeness is.
  it(`${corpusUrls.length} URLs over ${corpusDomains} domains in 4 shards: ${perShard(4).join('/')}`, () => {
    expect(corpusUrls.length).toBeGreaterThan(100);
    for (const count of [2, 4, 8]) {
      const sizes = perShard(count);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(corpusUrls.length);
      const filters = Array.from({ length: count }, (_, i) => shardFilter({ index: i + 1, count }));
      for (const url of corpusUrls) expect(filters.filter((include) => include(url))).toHaveLength(1);
      // Loosely: with hundreds of domains, no shard is left empty.
      for (const size of sizes) expect(size).toBeGreaterThan(0);
    }
  });
});
