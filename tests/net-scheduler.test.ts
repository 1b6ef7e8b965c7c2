import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher, fetcherOptionsFromDefaults, HostScheduler } from '../src/net/index.js';
import { behaviours, createTestClock, type Simulator, startSimulator } from './support/simulator.js';

/** A promise with its resolver, to hold a task open until the test lets it go. */
const gate = () => {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
};

describe('HostScheduler with a virtual clock', () => {
  it('never starts two requests at one host closer than the interval', async () => {
    const clock = createTestClock();
    const scheduler = new HostScheduler({ perHostConcurrency: 2, perHostIntervalMs: 1000 }, clock);
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        scheduler.schedule('a.test', async () => {
          starts.push(clock.now());
        }),
      ),
    );
    expect(starts).toHaveLength(6);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it('keeps requests in flight at one host within the limit', async () => {
    const clock = createTestClock();
    const scheduler = new HostScheduler({ perHostConcurrency: 3, perHostIntervalMs: 0 }, clock);
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        scheduler.schedule('a.test', async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await clock.sleep(100 + (i % 4) * 50);
          inFlight--;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(scheduler.maxInFlight('a.test')).toBe(3);
    expect(scheduler.maxInFlightPerHost).toBe(3);
  });

  it('keeps requests in flight across hosts within the global limit', async () => {
    const clock = createTestClock();
    const scheduler = new HostScheduler(
      { concurrency: 4, perHostConcurrency: 2, perHostIntervalMs: 0 },
      clock,
    );
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        scheduler.schedule(`h${i % 10}.test`, async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await clock.sleep(10);
          inFlight--;
        }),
      ),
    );
    expect(most).toBe(4);
  });

  it('a paused host holds no global slot: other hosts run during its pause', async () => {
    const clock = createTestClock();
    const scheduler = new HostScheduler(
      { concurrency: 1, perHostConcurrency: 1, perHostIntervalMs: 0 },
      clock,
    );
    const pauseEnds = clock.now() + 60_000;
    scheduler.slowDown('slow.test', 60_000);
    const order: string[] = [];
    const slow = Array.from({ length: 2 }, (_, i) =>
      scheduler.schedule('slow.test', async () => {
        order.push(`slow${i}@${clock.now() >= pauseEnds ? 'after' : 'before'}`);
      }),
    );
    const fast = Array.from({ length: 3 }, (_, i) =>
      scheduler.schedule('fast.test', async () => {
        order.push(`fast${i}@${clock.now() >= pauseEnds ? 'after' : 'before'}`);
      }),
    );
    await Promise.all([...slow, ...fast]);
    expect(order.slice(0, 3)).toEqual(['fast0@before', 'fast1@before', 'fast2@before']);
    expect(order.slice(3).every((entry) => entry.startsWith('slow') && entry.endsWith('@after'))).toBe(true);
  });

  it('a host with a long interval does not hold back the others', async () => {
    const clock = createTestClock();
    const scheduler = new HostScheduler(
      {
        concurrency: 2,
        perHostConcurrency: 2,
        perHostIntervalMs: 0,
        hostLimits: { 'api.test': { concurrency: 1, intervalMs: 3000 } },
      },
      clock,
    );
    const t0 = clock.now();
    const done: Record<string, number[]> = { 'api.test': [], 'web.test': [] };
    const jobs = [];
    for (let i = 0; i < 4; i++) {
      for (const host of ['api.test', 'web.test']) {
        jobs.push(
          scheduler.schedule(host, async () => {
            await clock.sleep(10);
            done[host]!.push(clock.now() - t0);
          }),
        );
      }
    }
    await Promise.all(jobs);
    // The API host is spaced 3 s apart; the web host is done long before.
    expect(done['api.test']).toEqual([10, 3010, 6010, 9010]);
    expect(Math.max(...done['web.test']!)).toBeLessThan(3000);
    expect(scheduler.intervalOf('API.test')).toBe(3000);
  });

  it('a free slot goes first to a host with nothing in flight, then to the host with most work left', async () => {
    const scheduler = new HostScheduler({ concurrency: 3, perHostConcurrency: 3, perHostIntervalMs: 0 });
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const run = (host: string, n: number) =>
      Array.from({ length: n }, (_, i) => {
        const name = `${host}${i + 1}`;
        const g = gate();
        gates.set(name, g);
        return scheduler.schedule(`${host}.test`, async () => {
          started.push(name);
          await g.promise;
        });
      });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    const all = [...run('a', 5), ...run('b', 1), ...run('c', 3)];
    await settle();
    // Every host with work gets a request in flight before any host gets a second one.
    expect(started).toEqual(['a1', 'b1', 'c1']);
    gates.get('b1')!.open();
    await settle();
    // a (4 left) over c (2 left), both with one in flight.
    expect(started.at(-1)).toBe('a2');
    gates.get('c1')!.open();
    await settle();
    // c has nothing in flight any more: it comes first although a has more left.
    expect(started.at(-1)).toBe('c2');
    for (const g of gates.values()) g.open();
    for (let i = 0; i < 10; i++) {
      await settle();
      for (const g of gates.values()) g.open();
    }
    await Promise.all(all);
    expect(started.sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'c1', 'c2', 'c3']);
  });

  it('counts the backlog its caller reports as work left', async () => {
    const startsAfterFreeSlot = async (heavyBacklog: number): Promise<string> => {
      const scheduler = new HostScheduler(
        { concurrency: 3, perHostConcurrency: 3, perHostIntervalMs: 0 },
        { backlogOf: (host) => (host === 'heavy.test' ? heavyBacklog : 0) },
      );
      const started: string[] = [];
      const other = gate();
      const hold = gate();
      const task = (name: string, g: ReturnType<typeof gate>) => () => {
        started.push(name);
        return g.promise;
      };
      const runs = [
        scheduler.schedule('other.test', task('other', other)),
        scheduler.schedule('light.test', task('light1', hold)),
        scheduler.schedule('heavy.test', task('heavy1', hold)),
        scheduler.schedule('light.test', task('light2', hold)),
        scheduler.schedule('light.test', task('light3', hold)),
        scheduler.schedule('heavy.test', task('heavy2', hold)),
      ];
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(started).toEqual(['other', 'light1', 'heavy1']);
      other.open();
      await new Promise((resolve) => setTimeout(resolve, 0));
      const next = started[3]!;
      hold.open();
      await Promise.all(runs);
      return next;
    };
    // light has 2 queued, heavy 1: light goes next, unless heavy has 50 more waiting beyond.
    expect(await startsAfterFreeSlot(0)).toBe('light2');
    expect(await startsAfterFreeSlot(50)).toBe('heavy2');
  });

  it("pulls a host's backlog only when the host has a global slot, one task per slot", async () => {
    const backlog = new Map([
      ['a.test', 3],
      ['b.test', 2],
    ]);
    const pulledWhileBusy: number[] = [];
    let running = 0;
    const started: string[] = [];
    const runs: Array<Promise<unknown>> = [];
    const scheduler: HostScheduler = new HostScheduler(
      { concurrency: 1, perHostConcurrency: 2, perHostIntervalMs: 0 },
      {
        backlogOf: (host) => backlog.get(host) ?? 0,
        pull: (host) => {
          const left = backlog.get(host) ?? 0;
          if (left === 0) return false;
          backlog.set(host, left - 1);
          pulledWhileBusy.push(running);
          const name = `${host[0]}${left}`;
          runs.push(
            scheduler.schedule(host, async () => {
              running++;
              started.push(name);
              await new Promise((resolve) => setTimeout(resolve, 1));
              running--;
            }),
          );
          return true;
        },
      },
    );
    scheduler.wake('a.test');
    scheduler.wake('b.test');
    while (started.length < 5) await new Promise((resolve) => setTimeout(resolve, 2));
    await Promise.all(runs);
    // Each task was made only when the one slot was free, and ran at once.
    expect(pulledWhileBusy).toEqual([0, 0, 0, 0, 0]);
    expect(started.sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(scheduler.pending).toBe(0);
  });

  it('stop rejects the waiting tasks and every later one, and lets running ones finish', async () => {
    const scheduler = new HostScheduler({ concurrency: 1, perHostConcurrency: 1, perHostIntervalMs: 0 });
    const hold = gate();
    const running = scheduler.schedule('a.test', () => hold.promise.then(() => 'done'));
    const waiting = [
      scheduler.schedule('a.test', async () => 'never'),
      scheduler.schedule('b.test', async () => 'never'),
    ];
    await new Promise((resolve) => setTimeout(resolve, 0));
    const reason = new Error('run over');
    scheduler.stop(reason);
    for (const w of waiting) await expect(w).rejects.toBe(reason);
    await expect(scheduler.schedule('c.test', async () => 'never')).rejects.toBe(reason);
    hold.open();
    await expect(running).resolves.toBe('done');
  });

  it('slowDown pauses the host and slows it for the rest of the run', async () => {
    const clock = createTestClock();
    const scheduler = new HostScheduler(
      {
        perHostConcurrency: 1,
        perHostIntervalMs: 0,
        slowDownMinIntervalMs: 500,
        slowDownMaxIntervalMs: 1500,
      },
      clock,
    );
    const t0 = clock.now();
    const starts: number[] = [];
    const run = () =>
      scheduler.schedule('a.test', async () => {
        starts.push(clock.now() - t0);
      });
    await run();
    scheduler.slowDown('a.test', 2000);
    expect(scheduler.intervalOf('a.test')).toBe(500);
    await Promise.all([run(), run()]);
    expect(starts).toEqual([0, 2000, 2500]);
    scheduler.slowDown('a.test', 0);
    expect(scheduler.intervalOf('a.test')).toBe(1000);
    scheduler.slowDown('a.test', 0);
    scheduler.slowDown('a.test', 0);
    expect(scheduler.intervalOf('a.test')).toBe(1500);
  });

  it('a waiting request whose signal aborts is dropped and never runs', async () => {
    const clock = createTestClock();
    const scheduler = new HostScheduler({ perHostConcurrency: 1, perHostIntervalMs: 0 }, clock);
    const hold = gate();
    const first = scheduler.schedule('a.test', () => hold.promise);
    const controller = new AbortController();
    let ran = false;
    const second = scheduler.schedule(
      'a.test',
      async () => {
        ran = true;
      },
      controller.signal,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(scheduler.pending).toBe(1);
    controller.abort(new Error('not needed'));
    await expect(second).rejects.toThrow('not needed');
    hold.open();
    await first;
    expect(ran).toBe(false);
    expect(scheduler.pending).toBe(0);
  });

  it('passes the task result and errors through, and frees the slot on errors', async () => {
    const scheduler = new HostScheduler({ perHostConcurrency: 1, perHostIntervalMs: 0 });
    await expect(scheduler.schedule('a.test', async () => 42)).resolves.toBe(42);
    await expect(
      scheduler.schedule('a.test', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(scheduler.schedule('a.test', async () => 'again')).resolves.toBe('again');
  });

  it('rejects impossible limits when built', () => {
    expect(() => new HostScheduler({ concurrency: 0 })).toThrow(RangeError);
    expect(() => new HostScheduler({ perHostConcurrency: 1.5 })).toThrow(RangeError);
    expect(() => new HostScheduler({ perHostIntervalMs: -1 })).toThrow(RangeError);
  });
});

describe('scheduling real requests on loopback', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('the server never sees more than the per-host limit, nor starts closer than the interval', async () => {
    sim = await startSimulator([{ name: 'busy.test', fallback: behaviours.ok(), latencyMs: 30 }]);
    // Start times are taken where the requests are dispatched, on the fetcher's own (virtual)
    // clock: gaps seen by the server also hold the machine's load, which says nothing here.
    const clock = createTestClock();
    const dispatched: number[] = [];
    const dispatcher = new Agent({ connect: { lookup: sim.lookup } }).compose(
      (dispatch) => (opts, handler) => {
        dispatched.push(clock.now());
        return dispatch(opts, handler);
      },
    );
    const fetcher = createFetcher(
      fetcherOptionsFromDefaults({
        allowNetwork: ['127.0.0.0/8'],
        perHostConcurrency: 2,
        perHostIntervalMs: 100,
      }),
      { dispatcher, now: clock.now, sleep: clock.sleep },
    );
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => fetcher.fetch({ url: sim!.url('busy.test', `/p${i}`) })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(sim.inFlightMax('busy.test')).toBeLessThanOrEqual(2);
    expect(fetcher.stats().maxInFlightPerHost).toBeLessThanOrEqual(2);
    expect(dispatched).toHaveLength(8);
    for (let i = 1; i < dispatched.length; i++)
      expect(dispatched[i]! - dispatched[i - 1]!).toBeGreaterThanOrEqual(100);
    await fetcher.close();
    await dispatcher.close();
  });

  it('a slow host does not delay the others', async () => {
    // The slow host answers only once the fast host is done: if its request held the others
    // back, the run would never end. No race against a latency under the machine's load.
    const fastDone = gate();
    sim = await startSimulator([
      {
        name: 'slow.test',
        fallback: async (req, res, ctx) => {
          await fastDone.promise;
          await behaviours.ok()(req, res, ctx);
        },
      },
      { name: 'fast.test', fallback: behaviours.ok() },
    ]);
    const fetcher = createFetcher(
      fetcherOptionsFromDefaults({
        allowNetwork: ['127.0.0.0/8'],
        concurrency: 2,
        perHostConcurrency: 1,
        perHostIntervalMs: 0,
      }),
      { lookup: sim.lookup },
    );
    const finished: string[] = [];
    const track = (host: string, i: number) =>
      fetcher.fetch({ url: sim!.url(host, `/p${i}`) }).then((r) => {
        finished.push(host);
        return r;
      });
    const slow = Array.from({ length: 2 }, (_, i) => track('slow.test', i));
    const fast = Array.from({ length: 10 }, (_, i) => track('fast.test', i));
    await Promise.all(fast);
    fastDone.open();
    await Promise.all(slow);
    expect(finished.slice(0, 10)).toEqual(Array(10).fill('fast.test'));
    await fetcher.close();
  });
});
