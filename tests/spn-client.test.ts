import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureRateLimiter, requestCaptures, type SpnOptions } from '../src/archive/spn.js';
import { type HistoryStore, openHistory } from '../src/history/index.js';
import type { Link, LinkCheck, Verdict } from '../src/model.js';
import {
  createFetcher,
  type Fetcher,
  fetcherOptionsFromDefaults,
  type PoliteFetcher,
} from '../src/net/index.js';
import { createTestClock, type Simulator, startSimulator, type TestClock } from './support/simulator.js';
import { type SpnScript, type SpnService, spnService } from './support/spn-service.js';

const KEY = 'AKIAcitewatchKEY42';
const SECRET = 's3cr3t-DO-NOT-LOG-9f8e7d';
const START = Date.parse('2026-11-28T03:00:00.000Z');

const check = (verdict: Verdict, snapshot?: LinkCheck['snapshot']): LinkCheck => ({
  outcome: verdict === 'suspect' ? 'dead' : verdict,
  verdict,
  reason: 'r',
  checkedAt: '2026-11-28T02:00:00.000Z',
  ...(snapshot && { snapshot }),
});
const live = (url: string): Link => ({ url, role: 'source', check: check('alive') });

interface Harness {
  sim: Simulator;
  spn: SpnService;
  fetcher: PoliteFetcher;
  clock: TestClock;
  store: HistoryStore;
  options: (extra?: Partial<SpnOptions>) => SpnOptions;
}

let open: Harness[] = [];
afterEach(async () => {
  for (const h of open) {
    await h.fetcher.close();
    await h.sim.close();
    h.store.close();
  }
  open = [];
});

async function harness(
  script?: (url: string, attempt: number) => SpnScript,
  store?: HistoryStore,
  logger = pino({ level: 'silent' }),
): Promise<Harness> {
  const clock = createTestClock(START);
  const spn = spnService({ accessKey: KEY, secret: SECRET, clock: clock.now, ...(script && { script }) });
  const sim = await startSimulator([spn.host]);
  const fetcher = createFetcher(
    fetcherOptionsFromDefaults({ allowNetwork: ['127.0.0.0/8'], perHostIntervalMs: 0, retries: 0 }),
    { lookup: sim.lookup, logger },
  );
  const history = store ?? openHistory(':memory:', { now: () => new Date(clock.now()).toISOString() });
  const h: Harness = {
    sim,
    spn,
    fetcher,
    clock,
    store: history,
    options: (extra = {}) => ({
      fetcher,
      endpoint: sim.url('spn.test', '/save'),
      accessKey: KEY,
      secret: SECRET,
      now: clock.now,
      sleep: clock.sleep,
      store: history,
      logger,
      ...extra,
    }),
  };
  open.push(h);
  return h;
}

describe('Save Page Now 2', () => {
  it('captures a live link: POST with the form and LOW auth, polls until success', async () => {
    const h = await harness(() => ({ kind: 'capture', polls: 3, timestamp: '20261128031500' }));
    const [result] = await requestCaptures(
      [live('https://site.test/a?b=1&c=2')],
      h.options({ pollIntervalMs: 5000 }),
    );
    expect(result).toEqual({
      url: 'https://site.test/a?b=1&c=2',
      status: 'captured',
      reason: 'captured',
      jobId: 'spn2-00000001',
      snapshot: {
        url: 'https://web.archive.org/web/20261128031500/https://site.test/a?b=1&c=2',
        timestamp: '20261128031500',
      },
      requestedAt: '2026-11-28T03:00:00.000Z',
    });
    const [sub] = h.spn.submissions;
    expect(sub).toMatchObject({
      url: 'https://site.test/a?b=1&c=2',
      form: { url: 'https://site.test/a?b=1&c=2', if_not_archived_within: '30d' },
      authorization: `LOW ${KEY}:${SECRET}`,
      accept: 'application/json',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(h.spn.polls.map((p) => p.at - START)).toEqual([5000, 10000, 15000, 20000]);
    expect(h.store.latestSnapshot('https://site.test/a?b=1&c=2')).toEqual({
      ...result!.snapshot,
      source: 'capture',
    });
    expect(h.store.archiveJob('https://site.test/a?b=1&c=2')).toMatchObject({
      status: 'captured',
      jobId: 'spn2-00000001',
      attempts: 1,
    });
  });

  it('backs off after error:user-session-limit and retries in the same run', async () => {
    const h = await harness((_url, attempt) =>
      attempt === 1
        ? { kind: 'capture', polls: 0, end: { statusExt: 'error:user-session-limit' } }
        : { kind: 'capture' },
    );
    const [result] = await requestCaptures(
      [live('https://site.test/busy')],
      h.options({ retryDelayMs: 45_000 }),
    );
    expect(result).toMatchObject({ status: 'captured', jobId: 'spn2-00000002' });
    expect(h.spn.submissions).toHaveLength(2);
    expect(h.spn.submissions[1]!.at - h.spn.submissions[0]!.at).toBeGreaterThanOrEqual(45_000);
    expect(h.clock.sleeps).toContain(45_000);
    expect(h.store.archiveJob('https://site.test/busy')).toMatchObject({ status: 'captured', attempts: 2 });
  });

  it('keeps a URL pending for the next run when the session stays busy, and the next run captures it', async () => {
    const busy = await harness(() => ({
      kind: 'post-error',
      statusExt: 'error:user-session-limit',
      message: 'busy',
    }));
    const [first] = await requestCaptures(
      [live('https://site.test/later')],
      busy.options({ maxAttempts: 3 }),
    );
    expect(first).toMatchObject({ status: 'pending', reason: 'error:user-session-limit' });
    expect(first!.jobId).toBeUndefined();
    expect(busy.spn.submissions).toHaveLength(3);
    expect(busy.store.pendingArchiveJobs()).toMatchObject([
      {
        url: 'https://site.test/later',
        status: 'pending',
        attempts: 3,
        lastError: 'error:user-session-limit',
      },
    ]);

    const next = await harness(undefined, busy.store);
    const [second] = await requestCaptures([live('https://site.test/later')], next.options());
    expect(second).toMatchObject({ status: 'captured' });
    expect(next.store.archiveJob('https://site.test/later')).toMatchObject({
      status: 'captured',
      attempts: 4,
    });
  });

  it('treats HTTP 200 without job_id as a refusal, not a success', async () => {
    const h = await harness(() => ({
      kind: 'refuse',
      message: 'This URL is in the Save Page Now service block list.',
    }));
    const [result] = await requestCaptures([live('https://blocked-by-spn.test/')], h.options());
    expect(result).toMatchObject({ status: 'refused', reason: 'no-job-id' });
    expect(result!.snapshot).toBeUndefined();
    expect(h.spn.polls).toEqual([]);
    expect(h.store.latestSnapshot('https://blocked-by-spn.test/')).toBeUndefined();
    expect(h.store.archiveJob('https://blocked-by-spn.test/')).toMatchObject({
      status: 'refused',
      lastError: 'no-job-id',
    });
  });

  it('does not send a URL refused less than 30 days ago again', async () => {
    const h = await harness(() => ({ kind: 'refuse', message: 'no' }));
    await requestCaptures([live('https://refused.test/')], h.options());
    const [again] = await requestCaptures([live('https://refused.test/')], h.options());
    expect(again).toMatchObject({ status: 'skipped', reason: 'previously-refused' });
    expect(h.spn.submissions).toHaveLength(1);
  });

  it('reports a failed capture with its status_ext', async () => {
    const h = await harness(() => ({
      kind: 'capture',
      end: { statusExt: 'error:not-found', message: 'Page not found' },
    }));
    const [result] = await requestCaptures([live('https://gone.test/')], h.options());
    expect(result).toMatchObject({ status: 'error', reason: 'error:not-found', jobId: 'spn2-00000001' });
  });

  it('starts at most 7 captures a minute, 60/7 s apart', async () => {
    const h = await harness(() => ({ kind: 'capture', polls: 0 }));
    // Request starts in injected time, stamped where the client sends them.
    const starts: number[] = [];
    const stamping: Fetcher = {
      fetch: (request) => {
        if (request.method === 'POST') starts.push(h.clock.now());
        return h.fetcher.fetch(request);
      },
      stats: () => h.fetcher.stats(),
      close: () => h.fetcher.close(),
    };
    const links = Array.from({ length: 12 }, (_, i) => live(`https://many.test/${i}`));
    const results = await requestCaptures(
      links,
      h.options({ fetcher: stamping, concurrency: 4, pollIntervalMs: 1000 }),
    );
    expect(results.every((r) => r.status === 'captured')).toBe(true);
    expect(starts).toHaveLength(12);
    expect(h.spn.submissions).toHaveLength(12);
    for (let i = 1; i < starts.length; i++)
      expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(60_000 / 7);
    for (let i = 7; i < starts.length; i++)
      expect(starts[i]! - starts[i - 7]!).toBeGreaterThanOrEqual(60_000);
  });

  it('sends only live links without a recent snapshot', async () => {
    const h = await harness(() => ({ kind: 'capture', polls: 0 }));
    const recent = { url: 'https://web.archive.org/web/20261001000000/x', timestamp: '20261001000000' };
    const old = { url: 'https://web.archive.org/web/20200101000000/x', timestamp: '20200101000000' };
    h.store.recordSnapshot('https://captured-before.test/', recent, 'capture');
    const links: Link[] = [
      live('https://new.test/'),
      { url: 'https://dead.test/', role: 'source', check: check('dead') },
      { url: 'https://suspect.test/', role: 'source', check: check('suspect') },
      { url: 'https://blocked.test/', role: 'source', check: check('blocked') },
      { url: 'https://skipped.test/', role: 'source', check: check('skipped') },
      { url: 'https://error.test/', role: 'source', check: check('error') },
      { url: 'https://unchecked.test/', role: 'source' },
      { url: 'https://archived.test/', role: 'source', check: check('alive', recent) },
      { url: 'https://archived-long-ago.test/', role: 'source', check: check('alive', old) },
      { url: 'https://web.archive.org/web/2020/https://x.test/', role: 'archive', check: check('alive') },
      { url: 'https://doi.org/10.1000/x', role: 'identifier', check: check('alive') },
      live('https://captured-before.test/'),
      live('https://new.test/'),
    ];
    const results = await requestCaptures(links, h.options());
    expect(results.map((r) => r.url)).toEqual(['https://new.test/', 'https://archived-long-ago.test/']);
    expect(h.spn.submissions.map((s) => s.url)).toEqual([
      'https://new.test/',
      'https://archived-long-ago.test/',
    ]);
  });

  it('leaves a slow job pending with its id, and the next run asks about that job first', async () => {
    const h = await harness(() => ({ kind: 'capture', polls: 4 }));
    const [first] = await requestCaptures([live('https://slow.test/')], h.options({ maxPolls: 3 }));
    expect(first).toMatchObject({ status: 'pending', reason: 'poll-timeout', jobId: 'spn2-00000001' });
    const [second] = await requestCaptures([live('https://slow.test/')], h.options({ maxPolls: 3 }));
    expect(h.spn.polls.map((p) => p.jobId)).toEqual(Array(4).fill('spn2-00000001'));
    expect(second).toMatchObject({ status: 'pending', jobId: 'spn2-00000001' });
    expect(h.spn.submissions).toHaveLength(1);
    const [third] = await requestCaptures([live('https://slow.test/')], h.options({ maxPolls: 3 }));
    expect(third).toMatchObject({ status: 'captured', jobId: 'spn2-00000001' });
    expect(h.spn.polls).toHaveLength(5);
    expect(h.spn.submissions).toHaveLength(1);
  });

  it('stops after the credentials are refused; answers it cannot read are errors', async () => {
    const h = await harness((url) =>
      url.includes('garbled')
        ? { kind: 'http', status: 200, body: '<html>oops</html>' }
        : { kind: 'capture' },
    );
    const [garbled] = await requestCaptures([live('https://garbled.test/')], h.options());
    expect(garbled).toMatchObject({ status: 'error', reason: 'invalid-response' });
    const results = await requestCaptures(
      [live('https://one.test/'), live('https://two.test/')],
      h.options({ secret: 'wrong', concurrency: 1 }),
    );
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ['refused', 'http-401'],
      ['skipped', 'unauthorized'],
    ]);
    expect(h.spn.submissions).toHaveLength(2);
  });

  it('skips everything without credentials', async () => {
    const h = await harness();
    const results = await requestCaptures([live('https://x.test/')], h.options({ secret: '' }));
    expect(results).toMatchObject([{ status: 'skipped', reason: 'no-credentials' }]);
    expect(h.spn.submissions).toEqual([]);
  });

  it('never logs the credentials', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _encoding, callback) {
          lines.push(String(chunk));
          callback();
        },
      }),
    );
    const h = await harness(
      (url, attempt) =>
        url.includes('refuse')
          ? { kind: 'refuse', message: 'no' }
          : attempt === 1
            ? { kind: 'capture', end: { statusExt: 'error:user-session-limit' } }
            : { kind: 'capture' },
      undefined,
      logger,
    );
    const results = await requestCaptures(
      [live('https://ok.test/'), live('https://refuse.test/')],
      h.options({ logger }),
    );
    await requestCaptures([live('https://other.test/')], h.options({ logger, secret: 'wrong-secret-value' }));
    const text = lines.join('') + JSON.stringify(results);
    expect(lines.length).toBeGreaterThan(3);
    expect(text).toContain('Save Page Now');
    for (const secret of [KEY, SECRET, 'wrong-secret-value', 'LOW ']) expect(text).not.toContain(secret);
  });
});

describe('CaptureRateLimiter', () => {
  it('spaces starts evenly and keeps any minute at the maximum', async () => {
    const clock = createTestClock(0);
    const limiter = new CaptureRateLimiter(7, clock.now, clock.sleep);
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 15 }, async () => {
        await limiter.acquire();
        starts.push(clock.now());
      }),
    );
    expect(starts[0]).toBe(0);
    for (let i = 1; i < starts.length; i++) {
      expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(60_000 / 7);
      expect(starts[i]! - starts[i - 1]!).toBeLessThan(60_000 / 7 + 1);
    }
    expect(() => new CaptureRateLimiter(0, clock.now, clock.sleep)).toThrow(RangeError);
  });

  it('takes a fractional rate (7 a minute shared by 10 shards): one start every 60/0.7 s', async () => {
    const clock = createTestClock(0);
    const limiter = new CaptureRateLimiter(0.7, clock.now, clock.sleep);
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await limiter.acquire();
      starts.push(clock.now());
    }
    expect(starts.map((t) => Math.round(t / 1000))).toEqual([0, 86, 171, 257]);
  });
});
