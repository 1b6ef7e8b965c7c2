/**
 * Time limits against hostile hosts, on the fetcher's virtual clock (no test waits real minutes):
 * `--timeout` bounds a link's whole check, Retry-After waits and host slow-downs included (a
 * tarpit); a 429 on the last retry still pauses its host; a Retry-After above the cap makes the
 * host unavailable for the run (no more requests); a host's slowed interval decays back once
 * it answers normally.
 */
import { Agent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyResponse } from '../src/check/classify.js';
import {
  createFetcher,
  type FetcherOptions,
  fetcherOptionsFromDefaults,
  HostScheduler,
} from '../src/net/index.js';
import {
  behaviours,
  createTestClock,
  type Route,
  type Simulator,
  startSimulator,
  type TestClock,
} from './support/simulator.js';

let sim: Simulator | undefined;
let dispatcher: Dispatcher | undefined;
afterEach(async () => {
  await dispatcher?.close();
  dispatcher = undefined;
  await sim?.close();
  sim = undefined;
});

interface Dispatch {
  /** Virtual time the request was dispatched at. */
  at: number;
  path: string;
}

/**
 * A fetcher on the virtual clock whose requests are logged with their dispatch time on that
 * clock (the server's view of time holds the machine's load; this one holds only the fetcher's).
 */
function build(s: Simulator, clock: TestClock, overrides: Partial<FetcherOptions> = {}) {
  const dispatched: Dispatch[] = [];
  dispatcher = new Agent({ connect: { lookup: s.lookup } }).compose((dispatch) => (opts, handler) => {
    dispatched.push({ at: clock.now(), path: String(opts.path) });
    return dispatch(opts, handler);
  });
  const fetcher = createFetcher(
    fetcherOptionsFromDefaults({ allowNetwork: ['127.0.0.0/8'], perHostIntervalMs: 0, ...overrides }),
    { dispatcher, now: clock.now, sleep: clock.sleep, random: () => 0.5 },
  );
  return { fetcher, dispatched };
}

/** `/hop/N` answers `429 Retry-After: 5` twice, then redirects to `/hop/N+1`; `/hop/10` is a page. */
const tarpit: Route = (req, res, ctx) => {
  const n = Number((req.url ?? '').split('/').at(-1));
  if (ctx.hit <= 2) return behaviours.rateLimited({ seconds: 5, times: 99 })(req, res, ctx);
  if (n >= 10) return behaviours.ok()(req, res, ctx);
  return behaviours.redirect(`/hop/${n + 1}`, 302)(req, res, ctx);
};

describe('--timeout bounds the whole check of one link', () => {
  it('a tarpit (10 redirects, each behind two 429 Retry-After: 5) ends within the deadline', async () => {
    sim = await startSimulator([{ name: 'tarpit.test', fallback: tarpit }]);
    const clock = createTestClock();
    const { fetcher, dispatched } = build(sim, clock, { timeoutMs: 30_000 });
    const t0 = clock.now();
    const result = await fetcher.fetch({ url: sim.url('tarpit.test', '/hop/0') });
    // Before: about 15 virtual minutes and 30 requests (every wait counted nowhere).
    expect(clock.now() - t0).toBeLessThanOrEqual(30_000);
    expect(result.durationMs).toBeLessThanOrEqual(30_000);
    expect(dispatched.at(-1)!.at - dispatched[0]!.at).toBeLessThan(30_000);
    expect(result.requests).toBeLessThan(30);
    // Never called alive, never dead: what the host did within the deadline.
    expect(['blocked', 'error']).toContain(classifyResponse(result).outcome);
    await fetcher.close();
  });

  it('a retry whose Retry-After would end past the deadline is not waited for', async () => {
    sim = await startSimulator([
      { name: 'limited.test', routes: { '/': behaviours.rateLimited({ seconds: 20, times: 99 }) } },
    ]);
    const clock = createTestClock();
    const { fetcher } = build(sim, clock, { timeoutMs: 10_000 });
    const result = await fetcher.fetch({ url: sim.url('limited.test', '/') });
    expect(result.status).toBe(429);
    expect(result.requests).toBe(1);
    expect(classifyResponse(result)).toMatchObject({ outcome: 'blocked', reason: 'http-429' });
    await fetcher.close();
  });

  it('time waiting for the first request does not count: a queued link is not timed out', async () => {
    sim = await startSimulator([{ name: 'busy.test', fallback: behaviours.ok() }]);
    const clock = createTestClock();
    const { fetcher } = build(sim, clock, {
      timeoutMs: 1000,
      perHostConcurrency: 1,
      perHostIntervalMs: 600,
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => fetcher.fetch({ url: sim!.url('busy.test', `/p${i}`) })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await fetcher.close();
  });
});

describe('Retry-After and the host', () => {
  it('a 429 on the last retry still pauses the host for its Retry-After', async () => {
    sim = await startSimulator([
      {
        name: 'limited.test',
        routes: { '/a': behaviours.rateLimited({ seconds: 5, times: 99 }), '/b': behaviours.ok() },
      },
    ]);
    const clock = createTestClock();
    const { fetcher, dispatched } = build(sim, clock, { retries: 1, perHostConcurrency: 1 });
    const a = await fetcher.fetch({ url: sim.url('limited.test', '/a') });
    expect(a.status).toBe(429);
    expect(a.requests).toBe(2);
    const b = await fetcher.fetch({ url: sim.url('limited.test', '/b') });
    expect(b.status).toBe(200);
    expect(dispatched.map((d) => d.path)).toEqual(['/a', '/a', '/b']);
    // The second 429 asked for 5 s too: /b waits for them.
    expect(dispatched[2]!.at - dispatched[1]!.at).toBeGreaterThanOrEqual(5000);
    await fetcher.close();
  });

  it('a Retry-After above the cap makes the host unavailable for the run: no more requests', async () => {
    sim = await startSimulator([
      { name: 'closed.test', fallback: behaviours.rateLimited({ seconds: 3600, times: 999 }) },
      { name: 'other.test', routes: { '/to-closed': behaviours.ok(), '/page': behaviours.ok() } },
    ]);
    const s = sim;
    s.requests.length = 0;
    const clock = createTestClock();
    const { fetcher } = build(s, clock, { perHostConcurrency: 1, retryAfterCapMs: 60_000 });
    const first = await fetcher.fetch({ url: s.url('closed.test', '/p0') });
    expect(first.error?.kind).toBe('retry-after-too-long');
    expect(classifyResponse(first)).toMatchObject({ outcome: 'blocked', reason: 'retry-after-too-long' });
    const rest = await Promise.all(
      Array.from({ length: 4 }, (_, i) => fetcher.fetch({ url: s.url('closed.test', `/p${i + 1}`) })),
    );
    for (const result of rest) {
      expect(result.error?.kind).toBe('host-unavailable');
      expect(result.requests).toBe(0);
      expect(classifyResponse(result)).toMatchObject({ outcome: 'blocked', reason: 'host-unavailable' });
    }
    expect(rest[0]!.error?.detail).toMatch(/3600 s/);
    const other = await fetcher.fetch({ url: s.url('other.test', '/page') });
    expect(other.status).toBe(200);
    expect(s.requests.filter((r) => r.host === 'closed.test')).toHaveLength(1);
    // Nothing waited for the host: no minute-long pause, no probing every minute.
    expect(clock.sleeps.filter((ms) => ms >= 60_000)).toEqual([]);
    await fetcher.close();
  });

  it('fetches already waiting at the host when it closes end at once', async () => {
    sim = await startSimulator([
      { name: 'closed.test', fallback: behaviours.rateLimited({ seconds: 86_400, times: 999 }) },
    ]);
    const s = sim;
    const clock = createTestClock();
    const { fetcher } = build(s, clock, { perHostConcurrency: 1, perHostIntervalMs: 1000 });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => fetcher.fetch({ url: s.url('closed.test', `/p${i}`) })),
    );
    expect(results.map((r) => r.error?.kind)).toEqual([
      'retry-after-too-long',
      ...Array(5).fill('host-unavailable'),
    ]);
    expect(s.requests).toHaveLength(1);
    await fetcher.close();
  });
});

describe('a slowed host recovers', () => {
  it('after a 429 storm, the interval decays back once the host answers normally', async () => {
    // The first 6 requests get 429 Retry-After: 1, then every answer is normal.
    let hits = 0;
    const storm: Route = (req, res, ctx) => {
      hits++;
      if (hits <= 6) return behaviours.rateLimited({ seconds: 1, times: 99 })(req, res, ctx);
      return behaviours.ok()(req, res, ctx);
    };
    sim = await startSimulator([{ name: 'storm.test', fallback: storm }]);
    const clock = createTestClock();
    const { fetcher, dispatched } = build(sim, clock, {
      perHostConcurrency: 1,
      perHostIntervalMs: 500,
      retries: 10,
      timeoutMs: 600_000,
    });
    const t0 = clock.now();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => fetcher.fetch({ url: sim!.url('storm.test', `/p${i}`) })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const gaps = dispatched.slice(1).map((d, i) => d.at - dispatched[i]!.at);
    // Six 429s doubled the interval to 32 s; normal answers halve it back to the configured 500 ms.
    expect(gaps.slice(-3)).toEqual([500, 500, 500]);
    // Before: every request after the storm waited the full 32 s (about 7 virtual minutes).
    expect(clock.now() - t0).toBeLessThan(150_000);
    await fetcher.close();
  });

  it('HostScheduler.recovered halves a slowed interval back to the configured one', () => {
    const scheduler = new HostScheduler({ perHostIntervalMs: 0, slowDownMinIntervalMs: 1000 });
    scheduler.slowDown('a.test', 0);
    scheduler.slowDown('a.test', 0);
    scheduler.slowDown('a.test', 0);
    expect(scheduler.intervalOf('a.test')).toBe(4000);
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      scheduler.recovered('a.test');
      seen.push(scheduler.intervalOf('a.test'));
    }
    expect(seen).toEqual([2000, 1000, 0, 0]);
    // A configured API interval is never shortened below itself.
    const api = new HostScheduler({ hostLimits: { 'api.test': { intervalMs: 3000 } } });
    api.slowDown('api.test', 0);
    expect(api.intervalOf('api.test')).toBe(6000);
    api.recovered('api.test');
    api.recovered('api.test');
    expect(api.intervalOf('api.test')).toBe(3000);
  });
});
