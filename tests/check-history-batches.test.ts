/**
 * The verdicts read the links' histories a batch of URLs at a time when the history can
 * (`previousOfMany`, one statement per batch), instead of one `previous` call per URL; the
 * verdicts must be the same either way.
 */
import { describe, expect, it } from 'vitest';
import { type CheckOptions, checkArticles, type Observation } from '../src/check/index.js';
import { ENDPOINTS } from '../src/defaults.js';
import type { Link, Reference } from '../src/model.js';
import type { Fetcher } from '../src/net/types.js';
import { article, reference } from './support/article-builder.js';

const NOW = '2026-11-28T21:15:00.000Z';
const OPTIONS: CheckOptions = {
  now: NOW,
  offline: true,
  confirm: 3,
  confirmSpanDays: 3,
  endpoints: ENDPOINTS,
};

/** An offline check sends nothing. */
const noFetcher: Fetcher = {
  fetch: () => Promise.reject(new Error('an offline check made a request')),
  stats: () => ({ requests: 0, bytes: 0, maxInFlightPerHost: 0, responses: 0, networkFailures: 0 }),
  close: async () => {},
};

const URLS = Array.from({ length: 1234 }, (_, i) => `https://host${i % 40}.example/page/${i}`);
const link = (url: string): Link => ({ url, role: 'source' });
const refs: Reference[] = URLS.map((url, i) =>
  reference(String(i + 1), { links: [link(url), link(`${url}#same-target`)] }),
);

/** A varied history: none, alive, a dead streak long enough to confirm, one too short. */
function historyOf(url: string): Observation[] {
  const i = Number(url.split('/').pop());
  if (i % 4 === 0) return [];
  if (i % 4 === 1) return [{ outcome: 'alive', at: '2026-11-01T00:00:00.000Z' }];
  const dead = [
    { outcome: 'dead', at: '2026-11-10T00:00:00.000Z' },
    { outcome: 'dead', at: '2026-11-20T00:00:00.000Z' },
  ] satisfies Observation[];
  return i % 4 === 2 ? dead : [{ outcome: 'alive', at: '2026-10-01T00:00:00.000Z' }, ...dead.slice(1)];
}

describe('the verdicts read histories in batches', () => {
  it('one read per batch of URLs, each URL once, and the same verdicts as URL by URL', async () => {
    const one: string[] = [];
    const byUrl = await checkArticles([article({ references: refs })], OPTIONS, {
      fetcher: noFetcher,
      history: {
        previous: (url) => {
          one.push(url);
          return historyOf(url);
        },
      },
    });
    expect(one).toHaveLength(URLS.length);

    const batches: string[][] = [];
    const single: string[] = [];
    const batched = await checkArticles([article({ references: refs })], OPTIONS, {
      fetcher: noFetcher,
      history: {
        previous: (url) => {
          single.push(url);
          return historyOf(url);
        },
        // A URL without observations may be absent from the answer.
        previousOfMany: (urls) => {
          batches.push(urls);
          return new Map(urls.flatMap((url) => (historyOf(url).length > 0 ? [[url, historyOf(url)]] : [])));
        },
      },
    });
    expect(single).toEqual([]);
    expect(batches.map((b) => b.length)).toEqual([500, 500, 234]);
    expect(batches.flat().sort()).toEqual([...URLS].sort());
    expect(batched.articles).toEqual(byUrl.articles);
    expect(batched.findings).toEqual(byUrl.findings);
    // The histories did reach the verdicts.
    const checks = new Set(batched.articles[0]!.references.map((r) => JSON.stringify(r.links[0]!.check)));
    expect(checks.size).toBeGreaterThan(1);
  });
});
