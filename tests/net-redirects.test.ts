import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFetcher,
  type FetcherOptions,
  fetcherOptionsFromDefaults,
  type PoliteFetcher,
} from '../src/net/index.js';
import { behaviours, type Route, type Simulator, startSimulator } from './support/simulator.js';

describe('redirects, followed hop by hop', () => {
  let sim: Simulator;
  let fetcher: PoliteFetcher;

  const build = (overrides: Partial<FetcherOptions> = {}) =>
    createFetcher(
      fetcherOptionsFromDefaults({
        allowNetwork: ['127.0.0.0/8'],
        perHostIntervalMs: 0,
        retries: 0,
        ...overrides,
      }),
      { lookup: sim.lookup },
    );

  const landing: Route = (req, res) => {
    res.writeHead(200);
    res.end(`auth=${req.headers.authorization ?? 'none'}`);
  };

  const oldRoutes = (s: Simulator): Record<string, Route> => ({
    '/chain': behaviours.redirectChain('/final'),
    '/final': behaviours.ok('final page'),
    '/relative/a': behaviours.redirect('../b?x=1', 302),
    '/b': behaviours.ok('b page'),
    '/loop': behaviours.redirectLoop(),
    '/self': behaviours.redirect('/self', 307),
    '/cross': (_req, res) => {
      res.writeHead(301, { location: s.url('new.test', '/landing') });
      res.end();
    },
    '/root': behaviours.redirectToRoot(),
    '/': behaviours.ok('home'),
    '/post': behaviours.redirect('/after-post', 303),
    '/after-post': (req, res) => {
      res.writeHead(200);
      res.end(`method=${req.method}`);
    },
    '/mail': behaviours.redirect('mailto:someone@example.org', 302),
    '/broken': behaviours.redirect('http://[broken', 302),
    '/no-location': behaviours.status(302, 'no location'),
  });

  beforeEach(async () => {
    sim = await startSimulator([{ name: 'new.test', routes: { '/landing': landing } }]);
    await sim.addHost({ name: 'old.test', routes: oldRoutes(sim) });
    fetcher = build();
  });

  afterEach(async () => {
    await fetcher.close();
    await sim.close();
  });

  it('follows a chain and records every hop', async () => {
    const result = await fetcher.fetch({ url: sim.url('old.test', '/chain?left=3') });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body.toString()).toBe('final page');
    expect(result.finalUrl).toBe(sim.url('old.test', '/final'));
    expect(result.hops.map((h) => h.status)).toEqual([302, 302, 302, 302, 200]);
    expect(result.hops[0]?.location).toBe(sim.url('old.test', '/chain?left=2'));
    expect(result.requests).toBe(5);
  });

  it('resolves a relative Location against the current URL', async () => {
    const result = await fetcher.fetch({ url: sim.url('old.test', '/relative/a') });
    expect(result.finalUrl).toBe(sim.url('old.test', '/b?x=1'));
    expect(result.body.toString()).toBe('b page');
  });

  it('detects loops', async () => {
    const loop = await fetcher.fetch({ url: sim.url('old.test', '/loop') });
    expect(loop.error?.kind).toBe('redirect-loop');
    expect(loop.hops).toHaveLength(2);
    const self = await fetcher.fetch({ url: sim.url('old.test', '/self') });
    expect(self.error?.kind).toBe('redirect-loop');
    expect(self.hops).toHaveLength(1);
    expect(self.status).toBe(307);
  });

  it('stops after maxRedirects', async () => {
    const strict = build({ maxRedirects: 2 });
    const result = await strict.fetch({ url: sim.url('old.test', '/chain?left=5') });
    expect(result.error?.kind).toBe('too-many-redirects');
    expect(result.hops).toHaveLength(3);
    expect(result.status).toBe(302);
    const within = await strict.fetch({ url: sim.url('old.test', '/chain?left=1') });
    expect(within.status).toBe(200);
    await strict.close();
  });

  it('follows a redirect to another host, which gets its own turn, and drops credentials there', async () => {
    const result = await fetcher.fetch({
      url: sim.url('old.test', '/cross'),
      headers: { Authorization: 'LOW key:secret' },
    });
    expect(result.status).toBe(200);
    expect(result.body.toString()).toBe('auth=none');
    expect(result.hops.map((h) => h.address)).toEqual([sim.addressOf('old.test'), sim.addressOf('new.test')]);
    expect(sim.requests.map((r) => r.host)).toEqual(['old.test', 'new.test']);
  });

  it('reports a redirect to the site root as its final URL', async () => {
    const result = await fetcher.fetch({ url: sim.url('old.test', '/root') });
    expect(result.finalUrl).toBe(sim.url('old.test', '/'));
    expect(result.hops[0]?.status).toBe(301);
  });

  it('turns a POST into a GET after 303', async () => {
    const result = await fetcher.fetch({ url: sim.url('old.test', '/post'), method: 'POST', body: 'x=1' });
    expect(result.body.toString()).toBe('method=GET');
    expect(result.hops.map((h) => h.method)).toEqual(['POST', 'GET']);
  });

  it('does not follow when asked not to', async () => {
    const result = await fetcher.fetch({ url: sim.url('old.test', '/chain?left=3'), followRedirects: false });
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe('/chain?left=2');
    expect(result.hops).toHaveLength(1);
  });

  it('stops at a Location with another scheme or that is not a URL, and keeps a 3xx without one', async () => {
    const mail = await fetcher.fetch({ url: sim.url('old.test', '/mail') });
    expect(mail.error?.kind).toBe('unsupported-scheme');
    const broken = await fetcher.fetch({ url: sim.url('old.test', '/broken') });
    expect(broken.error?.kind).toBe('invalid-url');
    expect(broken.status).toBe(302);
    const bare = await fetcher.fetch({ url: sim.url('old.test', '/no-location') });
    expect(bare.error).toBeUndefined();
    expect(bare.status).toBe(302);
    expect(bare.body.toString()).toBe('no location');
  });
});
