import { Readable } from 'node:stream';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFetcher,
  decodeBody,
  type FetcherOptions,
  fetcherOptionsFromDefaults,
  type PoliteFetcher,
  readCapped,
} from '../src/net/index.js';
import { behaviours, createTestClock, type Simulator, startSimulator } from './support/simulator.js';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('readCapped', () => {
  const stream = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

  it('keeps everything under the cap', async () => {
    expect(await readCapped(stream('ab', 'cd'), 10)).toEqual({
      raw: Buffer.from('abcd'),
      bytes: 4,
      truncated: false,
    });
  });

  it('a body exactly at the cap is not truncated', async () => {
    expect(await readCapped(stream('ab', 'cd'), 4)).toEqual({
      raw: Buffer.from('abcd'),
      bytes: 4,
      truncated: false,
    });
  });

  it('cuts at the cap, stops reading and destroys the stream', async () => {
    const body = stream('abc', 'def', 'ghi', 'jkl');
    const wire = await readCapped(body, 5);
    expect(wire.raw.toString()).toBe('abcde');
    expect(wire.truncated).toBe(true);
    expect(wire.bytes).toBe(6);
    expect(body.destroyed).toBe(true);
  });
});

describe('decodeBody', () => {
  const text = 'hello, compressed world '.repeat(50);

  it.each([
    ['gzip', gzipSync(text)],
    ['x-gzip', gzipSync(text)],
    ['deflate', deflateSync(text)],
    ['deflate', deflateRawSync(text)],
    ['br', brotliCompressSync(text)],
    ['identity', Buffer.from(text)],
    [undefined, Buffer.from(text)],
  ])('decodes %s', async (encoding, data) => {
    const decoded = await decodeBody(data, encoding, MiB);
    expect(decoded.body.toString()).toBe(text);
    expect(decoded.truncated).toBe(false);
  });

  it('undoes several codings, last applied first', async () => {
    const decoded = await decodeBody(brotliCompressSync(gzipSync(text)), 'gzip, br', MiB);
    expect(decoded.body.toString()).toBe(text);
  });

  it('caps the decompressed size', async () => {
    const decoded = await decodeBody(gzipSync(Buffer.alloc(10 * MiB)), 'gzip', 100 * KiB);
    expect(decoded.body.length).toBe(100 * KiB);
    expect(decoded.truncated).toBe(true);
  });

  it('decodes a body cut on the wire as far as it goes', async () => {
    const data = gzipSync(Buffer.from(text.repeat(100)));
    const decoded = await decodeBody(data.subarray(0, Math.floor(data.length / 2)), 'gzip', MiB);
    expect(decoded.body.length).toBeGreaterThan(0);
    expect(text.repeat(100).startsWith(decoded.body.toString())).toBe(true);
  });

  it('reports corrupt data and leaves unknown codings alone', async () => {
    const corrupt = await decodeBody(Buffer.from('definitely not gzip'), 'gzip', MiB);
    expect(corrupt.error).toMatch(/^Z_DATA_ERROR/);
    const unknown = await decodeBody(Buffer.from('zstd bytes'), 'zstd', MiB);
    expect(unknown.body.toString()).toBe('zstd bytes');
  });
});

describe('body caps and timeouts on loopback', () => {
  let sim: Simulator;
  let fetcher: PoliteFetcher | undefined;

  beforeEach(async () => {
    sim = await startSimulator([
      {
        name: 'heavy.test',
        routes: {
          '/huge': behaviours.huge(),
          '/bomb': behaviours.gzipBomb(),
          '/gzip': behaviours.compressed('<title>zipped</title>', 'gzip'),
          '/slow-headers': behaviours.slowHeaders(5000),
          '/trickle': behaviours.trickle(200, 50),
        },
      },
    ]);
  });

  afterEach(async () => {
    await fetcher?.close();
    fetcher = undefined;
    await sim.close();
  });

  const build = (overrides: Partial<FetcherOptions> = {}) => {
    const clock = createTestClock();
    fetcher = createFetcher(
      fetcherOptionsFromDefaults({ allowNetwork: ['127.0.0.0/8'], perHostIntervalMs: 0, ...overrides }),
      // Virtual sleep: backoff between retries costs no real time.
      { lookup: sim.lookup, sleep: clock.sleep },
    );
    return fetcher;
  };

  it('a 100 MB body stops at 512 KiB', async () => {
    const result = await build().fetch({ url: sim.url('heavy.test', '/huge') });
    expect(result.status).toBe(200);
    expect(result.truncated).toBe(true);
    expect(result.body.length).toBe(512 * KiB);
    expect(result.bytes).toBeGreaterThanOrEqual(512 * KiB);
    expect(result.bytes).toBeLessThan(MiB);
    expect(result.error).toBeUndefined();
  });

  it('a request may raise the cap for itself', async () => {
    const result = await build().fetch({ url: sim.url('heavy.test', '/huge'), maxBodyBytes: 3 * MiB });
    expect(result.body.length).toBe(3 * MiB);
    expect(result.truncated).toBe(true);
  });

  it('a gzip bomb stops at the decompressed cap', async () => {
    const result = await build({ maxDecompressedBytes: 2 * MiB }).fetch({
      url: sim.url('heavy.test', '/bomb'),
    });
    expect(result.status).toBe(200);
    expect(result.body.length).toBe(2 * MiB);
    expect(result.truncated).toBe(true);
    // Only the compressed bytes crossed the wire.
    expect(result.bytes).toBeLessThan(200 * KiB);
  });

  it('decompresses per Content-Encoding and counts wire bytes', async () => {
    const result = await build().fetch({ url: sim.url('heavy.test', '/gzip') });
    expect(result.body.toString()).toBe('<title>zipped</title>');
    expect(result.bytes).toBe(gzipSync('<title>zipped</title>').length);
    expect(sim.requests[0]?.headers['accept-encoding']).toContain('gzip');
  });

  it('slow headers end in a timeout, after the retries', async () => {
    const result = await build({ headersTimeoutMs: 200, retries: 1 }).fetch({
      url: sim.url('heavy.test', '/slow-headers'),
    });
    expect(result.error?.kind).toBe('timeout');
    expect(result.status).toBeUndefined();
    expect(result.requests).toBe(2);
  });

  it('a trickling body ends in a timeout at the whole-request deadline', async () => {
    const result = await build({ timeoutMs: 400, headersTimeoutMs: 5000, retries: 2 }).fetch({
      url: sim.url('heavy.test', '/trickle'),
    });
    expect(result.error?.kind).toBe('timeout');
    expect(result.bytes).toBeGreaterThan(0);
    // The deadline covers the whole fetch: no retry once it is spent.
    expect(result.requests).toBe(1);
  });

  it('the caller can abort a fetch', async () => {
    const controller = new AbortController();
    const pending = build().fetch({ url: sim.url('heavy.test', '/slow-headers'), signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(result.error?.kind).toBe('other');
    expect(result.requests).toBe(1);
  });
});
