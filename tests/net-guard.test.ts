import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import {
  canonicalAddress,
  checkLiteralHost,
  createAddressGuard,
  createFetcher,
  createGuardedLookup,
  fetcherOptionsFromDefaults,
  type LookupFunction,
  parseCidr,
} from '../src/net/index.js';
import { behaviours, type Simulator, startSimulator } from './support/simulator.js';

const guard = createAddressGuard();

describe('address guard: forbidden ranges', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'IETF'],
    ['192.0.2.10', 'documentation'],
    ['192.88.99.1', 'reserved'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::7f00:1', 'IPv4-compatible'],
    ['64:ff9b::a00:1', 'NAT64'],
    ['64:ff9b:1::1', 'NAT64'],
    ['100::1', 'discard'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'IETF'],
    ['2002:a00:1::1', '6to4'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['[::1]', 'loopback'],
  ])('refuses %s (%s)', (address, label) => {
    const verdict = guard.check(address);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain(label);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.215.14',
    '100.63.255.255',
    '100.128.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.169.0.1',
    '198.20.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82b::200e',
    '2001:4860:4860::8888',
  ])('allows the public address %s', (address) => {
    expect(guard.check(address).allowed).toBe(true);
  });

  it('checks IPv4-mapped IPv6 as IPv4, in dotted and hex form', () => {
    expect(canonicalAddress('::ffff:127.0.0.1')).toEqual({ address: '127.0.0.1', family: 'ipv4' });
    expect(canonicalAddress('[::ffff:7f00:1]')).toEqual({ address: '127.0.0.1', family: 'ipv4' });
    expect(canonicalAddress('0:0:0:0:0:ffff:a00:1')).toEqual({ address: '10.0.0.1', family: 'ipv4' });
    for (const mapped of ['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.1.2.3', '::ffff:169.254.169.254']) {
      expect(guard.check(mapped).allowed, mapped).toBe(false);
    }
    expect(guard.check('::ffff:8.8.8.8').allowed).toBe(true);
  });

  it('refuses what is not an IP address', () => {
    expect(guard.check('example.org').allowed).toBe(false);
    expect(canonicalAddress('example.org')).toBeUndefined();
  });
});

describe('address guard: allowNetwork', () => {
  it('opens exactly the allowed CIDRs, IPv4-mapped forms included', () => {
    const open = createAddressGuard(['127.0.0.0/8', 'fd00::/8', '10.1.2.3']);
    expect(open.check('127.0.1.5')).toMatchObject({ allowed: true, allowedBy: '127.0.0.0/8' });
    expect(open.check('::ffff:127.0.0.1').allowed).toBe(true);
    expect(open.check('fd00::1').allowed).toBe(true);
    expect(open.check('10.1.2.3').allowed).toBe(true);
    expect(open.check('10.1.2.4').allowed).toBe(false);
    expect(open.check('fc00::1').allowed).toBe(false);
    expect(open.check('::1').allowed).toBe(false);
    expect(open.check('192.168.0.1').allowed).toBe(false);
  });

  it('parses CIDRs and rejects bad ones at construction', () => {
    expect(parseCidr('127.0.0.0/8')).toEqual({ address: '127.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('[fd00::]/8')).toEqual({ address: 'fd00::', prefix: 8, family: 'ipv6' });
    expect(parseCidr('10.0.0.1')).toEqual({ address: '10.0.0.1', prefix: 32, family: 'ipv4' });
    for (const bad of ['', 'localhost/8', '10.0.0.0/33', '::/129', '10.0.0.0/x', '10.0.0/8']) {
      expect(() => createAddressGuard([bad]), bad).toThrow(ConfigError);
    }
  });
});

describe('guarded lookup', () => {
  const fakeLookup =
    (answers: Record<string, string[]>): LookupFunction =>
    (hostname, _options, callback) => {
      const addresses = answers[hostname];
      if (!addresses) {
        callback(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), []);
        return;
      }
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
    };

  const resolve = (lookup: LookupFunction, hostname: string, all: boolean) =>
    new Promise<{ error: NodeJS.ErrnoException | null; result: unknown }>((done) =>
      lookup(hostname, { all }, (error, result) => done({ error, result })),
    );

  it('refuses a name that resolves only to forbidden addresses', async () => {
    const lookup = createGuardedLookup({
      guard,
      lookup: fakeLookup({ 'internal.example': ['10.0.0.5', '::ffff:192.168.0.1'] }),
    });
    const { error } = await resolve(lookup, 'internal.example', false);
    expect(error).toMatchObject({ code: 'CW_ERR_ADDRESS_NOT_ALLOWED', address: '10.0.0.5' });
  });

  it('drops forbidden addresses and keeps the public ones', async () => {
    const seen: string[] = [];
    const lookup = createGuardedLookup({
      guard,
      lookup: fakeLookup({ 'mixed.example': ['127.0.0.1', '93.184.215.14', 'fe80::1'] }),
      onResolved: (_host, address) => seen.push(address),
    });
    expect(await resolve(lookup, 'mixed.example', true)).toEqual({
      error: null,
      result: [{ address: '93.184.215.14', family: 4 }],
    });
    expect((await resolve(lookup, 'mixed.example', false)).result).toBe('93.184.215.14');
    expect(seen).toEqual(['93.184.215.14', '93.184.215.14']);
  });

  it('passes resolver errors through', async () => {
    const lookup = createGuardedLookup({ guard, lookup: fakeLookup({}) });
    expect((await resolve(lookup, 'missing.example', false)).error?.code).toBe('ENOTFOUND');
  });

  it('checks IP-literal hosts directly', () => {
    expect(checkLiteralHost('[::1]', guard)?.reason).toBe('loopback');
    expect(checkLiteralHost('169.254.169.254', guard)?.reason).toBe('link-local');
    expect(checkLiteralHost('8.8.8.8', guard)).toBeUndefined();
    expect(checkLiteralHost('example.org', guard)).toBeUndefined();
  });
});

describe('fetcher and the guard, on loopback', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  const fetcherFor = (s: Simulator, allowNetwork: string[] = []) =>
    createFetcher(fetcherOptionsFromDefaults({ allowNetwork, perHostIntervalMs: 0, retries: 0 }), {
      lookup: s.lookup,
    });

  it('refuses a name that resolves to loopback and opens no connection', async () => {
    sim = await startSimulator([{ name: 'local.test', routes: { '/': behaviours.ok() } }]);
    const fetcher = fetcherFor(sim);
    const result = await fetcher.fetch({ url: sim.url('local.test', '/') });
    expect(result.error?.kind).toBe('address-not-allowed');
    expect(result.status).toBeUndefined();
    expect(sim.requests).toHaveLength(0);
    expect(sim.connections('local.test')).toBe(0);
    await fetcher.close();
  });

  it('refuses IP-literal URLs (IPv4, IPv6, IPv4-mapped) without sending anything', async () => {
    sim = await startSimulator([{ name: 'local.test', routes: { '/': behaviours.ok() } }]);
    const fetcher = fetcherFor(sim);
    const port = new URL(sim.url('local.test')).port;
    const address = sim.addressOf('local.test');
    for (const url of [
      `http://${address}:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:${address}]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const result = await fetcher.fetch({ url });
      expect(result.error?.kind, url).toBe('address-not-allowed');
      expect(result.requests, url).toBe(0);
    }
    expect(sim.requests).toHaveLength(0);
    expect(sim.connections('local.test')).toBe(0);
    await fetcher.close();
  });

  it('stops a redirect at a forbidden address: the hop before it is kept, nothing sent there', async () => {
    sim = await startSimulator([{ name: 'private.test', routes: { '/secret': behaviours.ok('secret') } }]);
    const target = sim.url('private.test', '/secret').replace('private.test', sim.addressOf('private.test'));
    await sim.addHost({ name: 'public.test', routes: { '/go': behaviours.redirect(target, 302) } });
    // Only the public host's address is allowed: the redirect target (another 127.0.x.y) is not.
    const fetcher = fetcherFor(sim, [`${sim.addressOf('public.test')}/32`]);
    const result = await fetcher.fetch({ url: sim.url('public.test', '/go') });
    expect(result.error?.kind).toBe('address-not-allowed');
    expect(result.status).toBe(302);
    expect(result.finalUrl).toBe(target);
    expect(result.hops).toHaveLength(1);
    expect(sim.requests.map((r) => r.host)).toEqual(['public.test']);
    expect(sim.connections('private.test')).toBe(0);
    await fetcher.close();
  });

  it('stops a redirect to a name that resolves to a forbidden address', async () => {
    sim = await startSimulator([{ name: 'private.test', routes: { '/': behaviours.ok() } }]);
    await sim.addHost({
      name: 'public.test',
      routes: { '/go': behaviours.redirect(sim.url('private.test', '/'), 301) },
    });
    const fetcher = fetcherFor(sim, [`${sim.addressOf('public.test')}/32`]);
    const result = await fetcher.fetch({ url: sim.url('public.test', '/go') });
    expect(result.error?.kind).toBe('address-not-allowed');
    expect(result.hops.map((h) => h.status)).toEqual([301, undefined]);
    expect(sim.connections('private.test')).toBe(0);
    await fetcher.close();
  });

  it('allowNetwork opens loopback', async () => {
    sim = await startSimulator([{ name: 'local.test', routes: { '/': behaviours.ok() } }]);
    const fetcher = fetcherFor(sim, ['127.0.0.0/8']);
    const result = await fetcher.fetch({ url: sim.url('local.test', '/') });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.hops[0]?.address).toBe(sim.addressOf('local.test'));
    const literal = await fetcher.fetch({
      url: sim.url('local.test', '/').replace('local.test', sim.addressOf('local.test')),
    });
    expect(literal.status).toBe(200);
    await fetcher.close();
  });
});
