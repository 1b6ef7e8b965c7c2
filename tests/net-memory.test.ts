/**
 * What keeps the fetcher's memory flat when a run hands it every link at once: fetches wait
 * per host as small entries until their host lets them in, and a body that arrives in one
 * chunk is kept without a copy.
 */
import { Readable } from 'node:stream';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { HostAdmission } from '../src/net/admission.js';
import {
  createFetcher,
  type FetcherOptions,
  type FetchResult,
  fetcherOptionsFromDefaults,
  type PoliteFetcher,
  readCapped,
} from '../src/net/index.js';
import { behaviours, type SimHost, type Simulator, startSimulator } from './support/simulator.js';

/** An admission whose started items are recorded, with a limit of `limit` per host. */
const recording = (limit: number) => {
  const started: string[] = [];
  const admission = new HostAdmission<string>(
    (_host, inside) => inside < limit,
    (item) => started.push(item),
  );
  return { admission, started };
};

describe('HostAdmission', () => {
  it('lets in up to the limit per host at once, the rest in arrival order as others leave', () => {
    const { admission, started } = recording(2);
    for (const item of ['a1', 'a2', 'a3', 'a4']) admission.enter('a.test', item, undefined);
    admission.enter('b.test', 'b1', undefined);
    expect(started).toEqual(['a1', 'a2', 'b1']);
    expect(admission.waiting).toBe(2);
    admission.leave('a.test');
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    admission.leave('a.test');
    admission.leave('a.test');
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'a4']);
    expect(admission.waiting).toBe(0);
  });

  it('a newcomer never overtakes items already waiting', () => {
    const { admission, started } = recording(1);
    admission.enter('a.test', 'first', undefined);
    admission.enter('a.test', 'second', undefined);
    admission.leave('a.test');
    admission.enter('a.test', 'third', undefined);
    expect(started).toEqual(['first', 'second']);
    admission.leave('a.test');
    expect(started).toEqual(['first', 'second', 'third']);
  });

  it('an aborted wait lets the item in at once and keeps the others in order', () => {
    const { admission, started } = recording(1);
    const controller = new AbortController();
    admission.enter('a.test', 'running', undefined);
    admission.enter('a.test', 'patient', undefined);
    admission.enter('a.test', 'aborted', undefined, controller.signal);
    admission.enter('a.test', 'last', undefined);
    controller.abort();
    expect(started).toEqual(['running', 'aborted']);
    admission.leave('a.test'); // aborted ends
    admission.leave('a.test'); // running ends
    expect(started).toEqual(['running', 'aborted', 'patient']);
    admission.leave('a.test');
    expect(started).toEqual(['running', 'aborted', 'patient', 'last']);
  });

  it('refill asks again: items go in as the owner says, with their context and host', () => {
    let room = false;
    const started: string[] = [];
    const admission = new HostAdmission<string, number>(
      () => room,
      (item, context, host) => started.push(`${item}:${context}@${host}`),
    );
    admission.enter('a.test', 'one', 1);
    admission.enter('a.test', 'two', 2);
    expect(started).toEqual([]);
    expect(admission.waitingAt('a.test')).toBe(2);
    admission.refill('a.test');
    expect(started).toEqual([]);
    room = true;
    admission.refill('a.test');
    expect(started).toEqual(['one:1@a.test', 'two:2@a.test']);
    expect(admission.waitingAt('a.test')).toBe(0);
  });

  it('openAll lets every waiting item in, and every later one', () => {
    const { admission, started } = recording(1);
    for (const item of ['x1', 'x2', 'x3']) admission.enter('x.test', item, undefined);
    admission.enter('y.test', 'y1', undefined);
    admission.enter('y.test', 'y2', undefined);
    admission.openAll();
    expect(started.sort()).toEqual(['x1', 'x2', 'x3', 'y1', 'y2']);
    admission.enter('x.test', 'x4', undefined);
    expect(started).toContain('x4');
    expect(admission.waiting).toBe(0);
  });
});

let sim: Simulator;
let fetcher: PoliteFetcher | undefined;

afterEach(async () => {
  await fetcher?.close();
  fetcher = undefined;
  await sim?.close();
});

/** A fetcher on a fresh simulator of `hosts`: no interval, no retries, `overrides` on top. */
async function startFetcher(hosts: SimHost[], overrides: Partial<FetcherOptions>): Promise<PoliteFetcher> {
  sim = await startSimulator(hosts);
  fetcher = createFetcher(
    fetcherOptionsFromDefaults({
      allowNetwork: ['127.0.0.0/8'],
      perHostIntervalMs: 0,
      retries: 0,
      ...overrides,
    }),
    { lookup: sim.lookup },
  );
  return fetcher;
}

describe('the fetcher admits fetches per host', () => {
  const start = (): Promise<PoliteFetcher> =>
    startFetcher(
      [
        { name: 'slow.test', routes: { '/hold': behaviours.slowHeaders(300), '/': behaviours.ok() } },
        { name: 'quick.test', routes: { '/': behaviours.ok() } },
      ],
      { perHostConcurrency: 1 },
    );

  it('many fetches handed over at once all complete, each host in turn', async () => {
    const f = await start();
    const urls = Array.from({ length: 40 }, (_, i) =>
      sim.url(i % 2 === 0 ? 'slow.test' : 'quick.test', `/?n=${i}`),
    );
    const results = await Promise.all(urls.map((url) => f.fetch({ url })));
    expect(results.map((r) => r.status)).toEqual(urls.map(() => 200));
    expect(sim.inFlightMax('slow.test')).toBe(1);
    expect(f.stats().maxInFlightPerHost).toBe(1);
  });

  it('a fetch still waiting for its host ends when its caller aborts', async () => {
    const f = await start();
    const holding = f.fetch({ url: sim.url('slow.test', '/hold') });
    const controller = new AbortController();
    const queued = Array.from({ length: 5 }, () =>
      f.fetch({ url: sim.url('slow.test', '/'), signal: controller.signal }),
    );
    controller.abort();
    const aborted = await Promise.all(queued);
    expect(aborted.map((r) => [r.error?.kind, r.requests])).toEqual(aborted.map(() => ['other', 0]));
    expect((await holding).status).toBe(200);
  });

  it('closing the fetcher ends the fetches waiting for their host', async () => {
    const f = await start();
    const holding = f.fetch({ url: sim.url('slow.test', '/hold') });
    while (sim.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // One more waits in the scheduler's queue, three in the host's line.
    const waiting = Array.from({ length: 4 }, () => f.fetch({ url: sim.url('slow.test', '/') }));
    fetcher = undefined;
    await f.close();
    const results = await Promise.all(waiting);
    expect(results.map((r) => [r.error?.detail, r.requests])).toEqual(
      results.map(() => ['fetcher closed', 0]),
    );
    expect((await holding).status).toBe(200);
  });
});

describe('fetchEach and fetches built on demand', () => {
  const hosts = Array.from({ length: 10 }, (_, i) => `h${i}.test`);
  const start = (concurrency: number): Promise<PoliteFetcher> =>
    startFetcher(
      hosts.map((name) => ({ name, routes: { '/': behaviours.ok() } })),
      { concurrency, perHostConcurrency: 2 },
    );

  it('calls back once per request, with the request given, and ends when all have', async () => {
    const f = await start(64);
    const requests = Array.from({ length: 60 }, (_, i) => ({
      url: sim.url(hosts[i % 10]!, `/?n=${i}`),
      n: i,
    }));
    const seen: Array<[number, number | undefined]> = [];
    await f.fetchEach(requests, (request, result) => seen.push([request.n, result.status]));
    expect(seen.map(([n]) => n).sort((a, b) => a - b)).toEqual(requests.map((r) => r.n));
    expect(seen.every(([, status]) => status === 200)).toBe(true);
    expect(sim.requests).toHaveLength(60);
  });

  it('rejects with the first error of the callback, after every request has settled', async () => {
    const f = await start(64);
    const requests = Array.from({ length: 20 }, (_, i) => ({ url: sim.url(hosts[i % 10]!, `/?n=${i}`) }));
    let calls = 0;
    const run = f.fetchEach(requests, () => {
      calls++;
      if (calls === 3) throw new Error('third callback failed');
    });
    await expect(run).rejects.toThrow('third callback failed');
    expect(calls).toBe(20);
  });

  it('an empty batch ends at once', async () => {
    const f = await start(64);
    await f.fetchEach([], () => {
      throw new Error('never called');
    });
    expect(f.stats().requests).toBe(0);
  });

  it('builds a fetch only once its host has a global slot for it', async () => {
    // 10 hosts, 2 global slots. Built as soon as its host had none queued, each host kept one
    // fetch waiting for a slot (10 + 2): long enough to outlive scavenges, then old garbage.
    const f = await start(2);
    const requests = Array.from({ length: 200 }, (_, i) => ({ url: sim.url(hosts[i % 10]!, `/?n=${i}`) }));
    let ok = 0;
    await f.fetchEach(requests, (_request, result) => {
      if (result.status === 200) ok++;
    });
    expect(ok).toBe(200);
    // At most: 2 in flight, and 2 that just ended (their slot already went on).
    expect(f.stats().mostFetchesBuilt).toBeLessThanOrEqual(2 + 2);
    expect(f.stats().maxInFlightPerHost).toBeLessThanOrEqual(2);
  });
});

/** The two views start at the same byte of the same memory. */
const sameMemory = (a: Buffer, b: Buffer): boolean => a.buffer === b.buffer && a.byteOffset === b.byteOffset;

describe('readCapped keeps a one-chunk body as it came', () => {
  it('returns the chunk itself, not a copy', async () => {
    const chunk = Buffer.from('<html>one chunk</html>');
    const wire = await readCapped(Readable.from([chunk]), 1024, chunk.length);
    expect(sameMemory(wire.raw, chunk)).toBe(true);
    expect(wire.raw.toString()).toBe('<html>one chunk</html>');
  });

  it('cuts a one-chunk body at the cap', async () => {
    const wire = await readCapped(Readable.from([Buffer.from('abcdefgh')]), 5);
    expect([wire.raw.toString(), wire.truncated, wire.bytes]).toEqual(['abcde', true, 8]);
  });

  it('copies once a second chunk comes, and the first chunk is not written to', async () => {
    const first = Buffer.from('abc');
    const wire = await readCapped(Readable.from([first, Buffer.from('def'), Buffer.from('gh')]), 100);
    expect(wire.raw.toString()).toBe('abcdefgh');
    expect(sameMemory(wire.raw, first)).toBe(false);
    expect(first.toString()).toBe('abc');
  });
});

/**
 * A dispatcher with no sockets: every request gets a small 200 on the next turn of the event
 * loop, so the only objects a fetch makes are the fetcher's own.
 */
const instantDispatcher = (): Dispatcher =>
  ({
    dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      handler.onConnect?.(() => {});
      setImmediate(() => {
        handler.onHeaders?.(200, [Buffer.from('content-type'), Buffer.from('text/html')], () => {}, 'OK');
        handler.onData?.(Buffer.from('<html>ok</html>'));
        handler.onComplete?.([]);
      });
      return true;
    },
    close: async () => {},
    destroy: async () => {},
  }) as unknown as Dispatcher;

describe('finished fetches die young', () => {
  it('nothing old keeps a finished attempt: minor GCs promote little of a batch', async () => {
    // Bench-style knobs, turned on for this test only: a full GC makes every structure the
    // fetcher keeps old, as it is midway through a long run; the minor GCs then promote only
    // what something still points at. Before, an attempt's deadline (an object literal with a
    // getter: a hidden class of its own, in old space) and the set of attempts in flight (whose
    // old hash tables kept their entries) held every finished attempt: about 1.4 KB each.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
    const f = createFetcher(
      fetcherOptionsFromDefaults({ concurrency: 8, perHostConcurrency: 2, perHostIntervalMs: 0, retries: 0 }),
      { dispatcher: instantDispatcher() },
    );
    const batch = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({ url: `http://h${(from + i) % 20}.example/p${from + i}` }));
    let ok = 0;
    const count = (_request: unknown, result: FetchResult): void => {
      if (result.status === 200) ok++;
    };
    await f.fetchEach(batch(400, 0), count);
    const fetches = 3000;
    // Made before the full GC, so the requests themselves count as old already.
    const requests = batch(fetches, 400);
    gc();
    const oldSpace = (): number =>
      getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;
    const before = oldSpace();
    let done = 0;
    await f.fetchEach(requests, (request, result) => {
      count(request, result);
      // A minor GC every 100 fetches: what it cannot free, and the next one finds still held,
      // is promoted.
      if (++done % 100 === 0) gc({ type: 'minor' });
    });
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    const promotedPerFetch = (oldSpace() - before) / fetches;
    await f.close();
    expect(ok).toBe(400 + fetches);
    // About 200-300 bytes a fetch now (code compiled on the way, the line entries); 1.8 KB before.
    expect(promotedPerFetch).toBeLessThan(700);
  });
});
