import { afterEach, describe, expect, it } from 'vitest';
import {
  createFetcher,
  type FetcherOptions,
  fetcherOptionsFromDefaults,
  type LookupFunction,
  NetworkHealth,
} from '../src/net/index.js';
import { behaviours, type Simulator, startSimulator } from './support/simulator.js';

/** A resolver on a machine without a network: every name fails with EAI_AGAIN. */
const deadResolver = () => {
  const asked: string[] = [];
  const lookup: LookupFunction = (hostname, _options, callback) => {
    asked.push(hostname);
    setImmediate(() =>
      callback(
        Object.assign(new Error(`getaddrinfo EAI_AGAIN ${hostname}`), { code: 'EAI_AGAIN', hostname }),
        [],
      ),
    );
  };
  return { lookup, asked };
};

const options = (overrides: Partial<FetcherOptions> = {}) =>
  fetcherOptionsFromDefaults({ allowNetwork: ['127.0.0.0/8'], perHostIntervalMs: 0, ...overrides });

describe('NetworkHealth', () => {
  it('goes offline once enough distinct hosts failed, nothing was reached and nothing is out', async () => {
    const health = new NetworkHealth({ offlineAfterHosts: 3 });
    for (const host of ['a', 'a', 'b']) {
      health.begin();
      health.settle(host, 'unreachable');
    }
    expect(health.isOffline()).toBe(false);
    await expect(health.ready()).resolves.toBe(false);
    health.begin();
    health.begin();
    health.settle('c', 'unreachable');
    // Suspected, but one attempt is still out: new attempts wait for the verdict.
    expect(health.isOffline()).toBe(false);
    const verdict = health.ready();
    let offlineHeard = false;
    health.onOffline(() => {
      offlineHeard = true;
    });
    health.settle('d', 'unreachable');
    await expect(verdict).resolves.toBe(true);
    expect(health.isOffline()).toBe(true);
    expect(offlineHeard).toBe(true);
    expect(health.networkFailures).toBe(5);
  });

  it('one response anywhere keeps the run online', async () => {
    const health = new NetworkHealth({ offlineAfterHosts: 2 });
    health.begin();
    health.begin();
    health.settle('a', 'unreachable');
    health.settle('b', 'unreachable');
    expect(health.isOffline()).toBe(true);

    const online = new NetworkHealth({ offlineAfterHosts: 2 });
    online.begin();
    online.begin();
    online.begin();
    online.settle('a', 'unreachable');
    online.settle('b', 'unreachable');
    const waiting = online.ready();
    online.settle('live', 'reached');
    await expect(waiting).resolves.toBe(false);
    for (const host of ['c', 'd', 'e']) {
      online.begin();
      online.settle(host, 'unreachable');
    }
    expect(online.isOffline()).toBe(false);
    expect(online.reached).toBe(1);
  });

  it('attempts refused before sending are no evidence either way', () => {
    const health = new NetworkHealth({ offlineAfterHosts: 1 });
    health.begin();
    health.settle('guarded', 'not-sent');
    expect(health.isOffline()).toBe(false);
    expect(health.networkFailures).toBe(0);
  });
});

describe('a run without a network', () => {
  it('after a few hosts every fetch returns offline at once and sends nothing', async () => {
    const resolver = deadResolver();
    const fetcher = createFetcher(options(), { lookup: resolver.lookup });
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await fetcher.fetch({ url: `http://site${i}.example/page` }));
    expect(results.map((r) => r.error?.kind)).toEqual([
      'dns-failure',
      'dns-failure',
      'offline',
      ...Array(7).fill('offline'),
    ]);
    expect(results.slice(3).every((r) => r.requests === 0 && r.hops.length === 0)).toBe(true);
    expect(resolver.asked).toHaveLength(3);
    expect(fetcher.isOffline()).toBe(true);
    expect(fetcher.stats()).toMatchObject({ requests: 3, responses: 0, networkFailures: 3 });
    await fetcher.close();
  });

  it('queued fetches are released as offline, with no request sent', async () => {
    const resolver = deadResolver();
    const fetcher = createFetcher(options({ concurrency: 4, perHostConcurrency: 1 }), {
      lookup: resolver.lookup,
    });
    const urls = Array.from({ length: 60 }, (_, i) => `http://site${i % 20}.example/p${i}`);
    const results = await Promise.all(urls.map((url) => fetcher.fetch({ url })));
    const kinds = new Set(results.map((r) => r.error?.kind));
    expect([...kinds].sort()).toEqual(['dns-failure', 'offline']);
    expect(results.filter((r) => r.error?.kind === 'dns-failure').length).toBeLessThanOrEqual(2);
    // Only the first attempts (at most the global limit, plus the ones that proved it) went out.
    expect(resolver.asked.length).toBeLessThanOrEqual(8);
    expect(results.filter((r) => r.requests === 0).length).toBeGreaterThanOrEqual(52);
    await fetcher.close();
  });
});

describe('dead domains on a working network', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('names that do not exist, failing first, do not make the run offline', async () => {
    sim = await startSimulator([
      { name: 'live-a.test', fallback: behaviours.ok(), latencyMs: 150 },
      { name: 'live-b.test', fallback: behaviours.ok(), latencyMs: 150 },
      { name: 'refused.test', refuse: true },
    ]);
    const fetcher = createFetcher(options(), { lookup: sim.lookup });
    const urls = [
      'http://gone1.test/',
      'http://gone2.test/',
      'http://gone3.test/',
      'http://gone4.test/',
      sim.url('refused.test', '/'),
      sim.url('live-a.test', '/'),
      sim.url('live-b.test', '/'),
    ];
    const results = await Promise.all(urls.map((url) => fetcher.fetch({ url })));
    expect(results.map((r) => r.error?.kind ?? r.status)).toEqual([
      'dns-not-found',
      'dns-not-found',
      'dns-not-found',
      'dns-not-found',
      'refused',
      200,
      200,
    ]);
    expect(fetcher.isOffline()).toBe(false);
    const later = await fetcher.fetch({ url: 'http://gone5.test/' });
    expect(later.error?.kind).toBe('dns-not-found');
    await fetcher.close();
  });
});
