import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, defaultUserAgent } from '../src/defaults.js';
import { createFetcher, fetcherOptionsFromDefaults, type PoliteFetcher } from '../src/net/index.js';
import { behaviours, createTestClock, type Simulator, startSimulator } from './support/simulator.js';

describe('fetcher end to end on loopback', () => {
  let sim: Simulator;
  let fetcher: PoliteFetcher;

  beforeEach(async () => {
    sim = await startSimulator([
      {
        name: 'web.test',
        routes: {
          '/live': behaviours.ok(),
          '/missing': behaviours.notFound(),
          '/gone': behaviours.gone(),
          '/soft': behaviours.soft404(),
          '/challenge': behaviours.challenge(),
          '/head-405': behaviours.headQuirk(405),
          '/head-404': behaviours.headQuirk(404),
          '/echo': (req, res) => {
            res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
            res.end(JSON.stringify(req.headers));
          },
        },
      },
      { name: 'refused.test', refuse: true },
    ]);
    fetcher = createFetcher(
      fetcherOptionsFromDefaults({ allowNetwork: ['127.0.0.0/8'], perHostIntervalMs: 0, retries: 0 }),
      { lookup: sim.lookup },
    );
  });

  afterEach(async () => {
    await fetcher.close();
    await sim.close();
  });

  it('identifies itself and asks politely', async () => {
    const result = await fetcher.fetch({ url: sim.url('web.test', '/echo'), headers: { 'X-Extra': 'yes' } });
    const sent = JSON.parse(result.body.toString()) as Record<string, string>;
    expect(sent['user-agent']).toBe(defaultUserAgent());
    expect(sent['user-agent']).toMatch(/^citewatch\/\d+\.\d+\.\d+ \(\+https:/);
    expect(sent.accept).toContain('text/html');
    expect(sent['accept-language']).toContain('en');
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent['x-extra']).toBe('yes');
    expect(result.headers['content-type']).toBe('application/json');
    expect(result.headers['set-cookie']).toBe('a=1, b=2');
  });

  it('returns statuses and bodies as they are: classification is the checker’s job', async () => {
    const [live, missing, gone, soft, challenge] = await Promise.all(
      ['/live', '/missing', '/gone', '/soft', '/challenge'].map((p) =>
        fetcher.fetch({ url: sim.url('web.test', p) }),
      ),
    );
    expect(live?.status).toBe(200);
    expect(live?.body.toString()).toContain('alive');
    expect(missing?.status).toBe(404);
    expect(gone?.status).toBe(410);
    expect(soft?.status).toBe(200);
    expect(soft?.body.toString()).toContain('Page not found');
    expect(challenge?.status).toBe(403);
    expect(challenge?.headers['cf-mitigated']).toBe('challenge');
    expect(challenge?.body.toString()).toContain('Just a moment...');
    for (const r of [live, missing, gone, soft, challenge]) expect(r?.error).toBeUndefined();
  });

  it('HEAD quirks: a HEAD that fails is answered by GET', async () => {
    for (const path of ['/head-405', '/head-404']) {
      const head = await fetcher.fetch({ url: sim.url('web.test', path), method: 'HEAD' });
      expect(head.status, path).not.toBe(200);
      expect(head.body.length).toBe(0);
      const get = await fetcher.fetch({ url: sim.url('web.test', path) });
      expect(get.status, path).toBe(200);
    }
    expect(sim.requests.map((r) => r.method)).toEqual(['HEAD', 'GET', 'HEAD', 'GET']);
  });

  it('maps network failures to kinds', async () => {
    const refused = await fetcher.fetch({ url: sim.url('refused.test', '/') });
    expect(refused.error?.kind).toBe('refused');
    const unknown = await fetcher.fetch({ url: 'http://no-such-host.test/' });
    expect(unknown.error?.kind).toBe('dns-not-found');
    expect(unknown.error?.detail).toContain('ENOTFOUND');
  });

  it('sends nothing for unsupported schemes and invalid URLs', async () => {
    for (const [url, kind] of [
      ['ftp://ftp.example.org/file', 'unsupported-scheme'],
      ['mailto:someone@example.org', 'unsupported-scheme'],
      ['javascript:alert(1)', 'unsupported-scheme'],
      ['not a url', 'invalid-url'],
      ['http://', 'invalid-url'],
    ] as const) {
      const result = await fetcher.fetch({ url });
      expect(result.error?.kind, url).toBe(kind);
      expect(result.requests).toBe(0);
      expect(result.url).toBe(url);
    }
    expect(sim.requests).toHaveLength(0);
  });

  it('counts requests, bytes and responses', async () => {
    await fetcher.fetch({ url: sim.url('web.test', '/live') });
    await fetcher.fetch({ url: sim.url('web.test', '/missing') });
    await fetcher.fetch({ url: sim.url('refused.test', '/') });
    const stats = fetcher.stats();
    expect(stats.requests).toBe(3);
    expect(stats.responses).toBe(2);
    expect(stats.networkFailures).toBe(1);
    expect(stats.bytes).toBeGreaterThan(100);
    expect(stats.maxInFlightPerHost).toBe(1);
  });

  it('close() ends fetches still waiting for their host', async () => {
    const clock = createTestClock();
    const slow = createFetcher(
      fetcherOptionsFromDefaults({
        allowNetwork: ['127.0.0.0/8'],
        perHostIntervalMs: 60_000,
        perHostConcurrency: 1,
      }),
      { lookup: sim.lookup, now: clock.now, sleep: () => new Promise(() => {}) },
    );
    const first = await slow.fetch({ url: sim.url('web.test', '/live') });
    expect(first.status).toBe(200);
    const waiting = slow.fetch({ url: sim.url('web.test', '/live?second') });
    await slow.close();
    const second = await waiting;
    expect(second.error).toEqual({ kind: 'other', detail: 'fetcher closed' });
    expect(second.requests).toBe(0);
  });
});

describe('fetcher options', () => {
  it('builds from DEFAULTS', () => {
    const options = fetcherOptionsFromDefaults({ concurrency: 8 });
    expect(options).toMatchObject({
      concurrency: 8,
      perHostConcurrency: DEFAULTS.perHostConcurrency,
      perHostIntervalMs: DEFAULTS.perHostIntervalMs,
      timeoutMs: DEFAULTS.timeoutMs,
      maxBodyBytes: DEFAULTS.maxBodyBytes,
      userAgent: defaultUserAgent(),
      allowNetwork: [],
    });
  });

  it('rejects impossible values when built', () => {
    expect(() => createFetcher(fetcherOptionsFromDefaults({ timeoutMs: 0 }))).toThrow(/timeoutMs/);
    expect(() => createFetcher(fetcherOptionsFromDefaults({ retries: -1 }))).toThrow(/retries/);
    expect(() => createFetcher(fetcherOptionsFromDefaults({ allowNetwork: ['nope'] }))).toThrow(
      /allowNetwork/,
    );
  });
});

describe('an injected dispatcher (undici MockAgent)', () => {
  it('is used for every request and hop', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const api = agent.get('https://api.example.org');
    api
      .intercept({ path: '/old', method: 'GET' })
      .reply(301, '', { headers: { location: 'https://api.example.org/new' } });
    api
      .intercept({ path: '/new', method: 'GET' })
      .reply(200, { ok: true }, { headers: { 'content-type': 'application/json' } });
    api.intercept({ path: '/busy', method: 'GET' }).reply(503, 'busy', { headers: { 'retry-after': '1' } });
    api.intercept({ path: '/busy', method: 'GET' }).reply(200, 'free now');
    api
      .intercept({ path: '/down', method: 'GET' })
      .replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))
      .times(2);

    const clock = createTestClock();
    const fetcher = createFetcher(fetcherOptionsFromDefaults({ perHostIntervalMs: 0, retries: 1 }), {
      dispatcher: agent,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
    });
    const moved = await fetcher.fetch({ url: 'https://api.example.org/old' });
    expect(moved.status).toBe(200);
    expect(JSON.parse(moved.body.toString())).toEqual({ ok: true });
    expect(moved.hops.map((h) => h.status)).toEqual([301, 200]);

    const busy = await fetcher.fetch({ url: 'https://api.example.org/busy' });
    expect(busy.body.toString()).toBe('free now');
    expect(clock.sleeps).toEqual([1000]);

    const down = await fetcher.fetch({ url: 'https://api.example.org/down' });
    expect(down.error?.kind).toBe('reset');
    expect(down.requests).toBe(2);

    agent.assertNoPendingInterceptors();
    await fetcher.close();
    await agent.close();
  });
});
