import { afterEach, describe, expect, it } from 'vitest';
import {
  backoffDelay,
  createFetcher,
  type FetcherOptions,
  fetcherOptionsFromDefaults,
  mayRetry,
  parseRetryAfter,
  planRetry,
} from '../src/net/index.js';
import {
  behaviours,
  createTestClock,
  type Simulator,
  startSimulator,
  type TestClock,
} from './support/simulator.js';

describe('retry policy (pure)', () => {
  const context = {
    method: 'GET',
    retriesDone: 0,
    maxRetries: 2,
    baseDelayMs: 500,
    retryAfterCapMs: 60_000,
    random: () => 0.5,
  };

  it('retries the "try later" statuses and transient errors only', () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504])
      expect(mayRetry('GET', { status }), `${status}`).toBe(true);
    for (const status of [200, 301, 400, 401, 403, 404, 410, 451, 501, 999]) {
      expect(mayRetry('GET', { status }), `${status}`).toBe(false);
    }
    expect(mayRetry('GET', { errorKind: 'timeout' })).toBe(true);
    expect(mayRetry('GET', { errorKind: 'reset' })).toBe(true);
    for (const kind of ['refused', 'dns-not-found', 'tls', 'address-not-allowed', 'offline'] as const) {
      expect(mayRetry('GET', { errorKind: kind }), kind).toBe(false);
    }
  });

  it('retries a POST only when the server said it did not act on it', () => {
    expect(mayRetry('POST', { status: 429 })).toBe(true);
    expect(mayRetry('POST', { status: 503 })).toBe(true);
    expect(mayRetry('POST', { status: 500 })).toBe(false);
    expect(mayRetry('POST', { errorKind: 'timeout' })).toBe(false);
  });

  it('backs off exponentially with jitter from the injected random', () => {
    expect(backoffDelay(1, 500, () => 0)).toBe(250);
    expect(backoffDelay(1, 500, () => 0.5)).toBe(500);
    expect(backoffDelay(2, 500, () => 0.5)).toBe(1000);
    expect(backoffDelay(3, 500, () => 0.5)).toBe(2000);
    expect(backoffDelay(3, 500, () => 0.999)).toBe(2998);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    for (const bad of [undefined, '', '-1', '1.5', 'soon', '1e3'])
      expect(parseRetryAfter(bad, now), bad).toBeUndefined();
  });

  it('plans: Retry-After wins over backoff, the cap stops, retries run out', () => {
    expect(planRetry({ status: 503 }, context)).toEqual({
      action: 'retry',
      delayMs: 500,
      slowDownHost: true,
    });
    expect(planRetry({ status: 500 }, context)).toEqual({
      action: 'retry',
      delayMs: 500,
      slowDownHost: false,
    });
    expect(planRetry({ status: 429, retryAfterMs: 7000 }, context)).toEqual({
      action: 'retry',
      delayMs: 7000,
      slowDownHost: true,
    });
    expect(planRetry({ status: 429, retryAfterMs: 61_000 }, context)).toEqual({
      action: 'give-up-retry-after',
      retryAfterMs: 61_000,
    });
    expect(planRetry({ status: 503 }, { ...context, retriesDone: 2 })).toEqual({ action: 'stop' });
    expect(planRetry({ status: 404 }, context)).toEqual({ action: 'stop' });
    expect(planRetry({ errorKind: 'reset' }, context)).toEqual({
      action: 'retry',
      delayMs: 500,
      slowDownHost: false,
    });
  });
});

describe('retries against the simulator (virtual time)', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  const build = (s: Simulator, clock: TestClock, overrides: Partial<FetcherOptions> = {}) =>
    createFetcher(
      fetcherOptionsFromDefaults({ allowNetwork: ['127.0.0.0/8'], perHostIntervalMs: 0, ...overrides }),
      { lookup: s.lookup, now: clock.now, sleep: clock.sleep, random: () => 0.5 },
    );

  it('429 with Retry-After in seconds: the host waits, then the retry succeeds', async () => {
    sim = await startSimulator([
      { name: 'limited.test', routes: { '/': behaviours.rateLimited({ seconds: 2 }) } },
      { name: 'other.test', fallback: behaviours.ok() },
    ]);
    const clock = createTestClock();
    const fetcher = build(sim, clock);
    const result = await fetcher.fetch({ url: sim.url('limited.test', '/') });
    expect(result.status).toBe(200);
    expect(result.error).toBeUndefined();
    expect(result.hops.map((h) => [h.status, h.attempt])).toEqual([
      [429, 1],
      [200, 2],
    ]);
    expect(result.requests).toBe(2);
    expect(clock.sleeps).toEqual([2000]);
    // Other hosts never waited; the host itself answered normally since, so it is no longer
    // slowed down (its doubled interval decayed back to the configured one, 0 here).
    await fetcher.fetch({ url: sim.url('other.test', '/') });
    expect(clock.sleeps).toHaveLength(1);
    await fetcher.fetch({ url: sim.url('limited.test', '/again') });
    expect(clock.sleeps).toHaveLength(1);
    await fetcher.close();
  });

  it('429 with Retry-After as an HTTP date', async () => {
    // The date is reckoned on the fetcher's clock, here half past a second far from the wall
    // clock: reckoned on the wall clock, a loaded machine that crossed a second between the
    // clock's start and the answer made the wait 3001 ms.
    const clock = createTestClock(Date.parse('2026-01-01T00:00:00.500Z'));
    sim = await startSimulator([
      {
        name: 'limited.test',
        routes: { '/': behaviours.rateLimited({ seconds: 3, form: 'date', now: clock.now }) },
      },
    ]);
    const fetcher = build(sim, clock);
    const result = await fetcher.fetch({ url: sim.url('limited.test', '/') });
    expect(result.status).toBe(200);
    expect(clock.sleeps).toHaveLength(1);
    // An HTTP date has whole seconds: 00:00:03.500 is sent as 00:00:03, 2.5 s away.
    expect(clock.sleeps).toEqual([2500]);
    await fetcher.close();
  });

  it('Retry-After beyond the cap: stop at once with retry-after-too-long and keep the status', async () => {
    sim = await startSimulator([
      { name: 'limited.test', routes: { '/': behaviours.rateLimited({ seconds: 3600, times: 10 }) } },
    ]);
    const clock = createTestClock();
    const fetcher = build(sim, clock, { retryAfterCapMs: 60_000 });
    const result = await fetcher.fetch({ url: sim.url('limited.test', '/') });
    expect(result.error?.kind).toBe('retry-after-too-long');
    expect(result.status).toBe(429);
    expect(result.retryAfterMs).toBe(3_600_000);
    expect(result.requests).toBe(1);
    expect(clock.sleeps).toEqual([]);
    await fetcher.close();
  });

  it('503 then 200: retried after the backoff', async () => {
    sim = await startSimulator([{ name: 'flaky.test', routes: { '/': behaviours.unavailableThenOk(1) } }]);
    const clock = createTestClock();
    const fetcher = build(sim, clock, { retryBaseDelayMs: 400 });
    const result = await fetcher.fetch({ url: sim.url('flaky.test', '/') });
    expect(result.status).toBe(200);
    expect(result.hops.map((h) => h.status)).toEqual([503, 200]);
    expect(clock.sleeps).toEqual([400]);
    await fetcher.close();
  });

  it('503 every time: gives up after the retries and keeps the 503', async () => {
    sim = await startSimulator([{ name: 'down.test', routes: { '/': behaviours.unavailableThenOk(100) } }]);
    const clock = createTestClock();
    const fetcher = build(sim, clock, { retries: 2, retryBaseDelayMs: 100 });
    const result = await fetcher.fetch({ url: sim.url('down.test', '/') });
    expect(result.status).toBe(503);
    expect(result.error).toBeUndefined();
    expect(result.requests).toBe(3);
    expect(sim.requests).toHaveLength(3);
    await fetcher.close();
  });

  it('a reset is retried with backoff; a 404 is not retried', async () => {
    sim = await startSimulator([
      {
        name: 'shaky.test',
        routes: {
          '/': (req, res, ctx) =>
            (ctx.hit === 1 ? behaviours.reset() : behaviours.ok('second time'))(req, res, ctx),
          '/missing': behaviours.notFound(),
        },
      },
    ]);
    const clock = createTestClock();
    const fetcher = build(sim, clock, { retryBaseDelayMs: 300 });
    const result = await fetcher.fetch({ url: sim.url('shaky.test', '/') });
    expect(result.body.toString()).toBe('second time');
    expect(result.hops.map((h) => h.status)).toEqual([undefined, 200]);
    expect(clock.sleeps).toEqual([300]);
    const missing = await fetcher.fetch({ url: sim.url('shaky.test', '/missing') });
    expect(missing.status).toBe(404);
    expect(missing.requests).toBe(1);
    await fetcher.close();
  });

  it('a POST is retried after 429 but not after a reset', async () => {
    sim = await startSimulator([
      {
        name: 'api.test',
        routes: {
          '/save': behaviours.rateLimited({ seconds: 1 }),
          '/reset': behaviours.reset(),
        },
      },
    ]);
    const clock = createTestClock();
    const fetcher = build(sim, clock);
    const saved = await fetcher.fetch({ url: sim.url('api.test', '/save'), method: 'POST', body: 'url=x' });
    expect(saved.status).toBe(200);
    expect(saved.requests).toBe(2);
    const reset = await fetcher.fetch({ url: sim.url('api.test', '/reset'), method: 'POST', body: 'url=x' });
    expect(reset.error?.kind).toBe('reset');
    expect(reset.requests).toBe(1);
    await fetcher.close();
  });
});
