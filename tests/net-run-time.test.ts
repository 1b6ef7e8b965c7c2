/**
 * `--max-run-time`: the whole run's budget. Once spent, the fetcher sends nothing more; links
 * not checked by then are `skipped` with reason `run-time` (never dead), are not recorded in the
 * history, and the reports are still written. Human units (`90m`, `2h`) or milliseconds.
 * Virtual clock: no test waits real time.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyResponse } from '../src/check/classify.js';
import { EXIT, main } from '../src/cli.js';
import { DEFAULTS } from '../src/defaults.js';
import { isCitewatchError } from '../src/errors.js';
import { openHistory } from '../src/history/index.js';
import type { Report } from '../src/model.js';
import { createFetcher, fetcherOptionsFromDefaults } from '../src/net/index.js';
import { parseDuration, resolveCheckOptions } from '../src/options.js';
import { runCheck } from '../src/pipeline.js';
import { simulatedEndpoints } from './support/services.js';
import { behaviours, createTestClock, type Simulator, startSimulator } from './support/simulator.js';
import { writtenReports } from './support/written-reports.js';

let dir: string;
let sim: Simulator | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citewatch-run-time-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('--max-run-time values', () => {
  it.each([
    ['90m', 5_400_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['45s', 45_000],
    ['250ms', 250],
    ['1500', 1500],
    [' 2 h ', 7_200_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '5 days', '1.5h', '-2h', '0', '0m', 'h'])('%j is refused', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('the option takes text or a number of ms, from flags or the config file; 5 h by default', () => {
    expect(resolveCheckOptions({ inputs: ['x'], maxRunTime: '90m' }).maxRunTime).toBe(5_400_000);
    expect(resolveCheckOptions({ inputs: ['x'] }, { maxRunTime: 60_000 }).maxRunTime).toBe(60_000);
    expect(resolveCheckOptions({ inputs: ['x'] }).maxRunTime).toBe(DEFAULTS.maxRunTimeMs);
    expect(DEFAULTS.maxRunTimeMs).toBe(5 * 3_600_000);
    const bad = (() => {
      try {
        resolveCheckOptions({ inputs: ['x'], maxRunTime: 'soon' });
      } catch (error) {
        return error;
      }
    })();
    expect(isCitewatchError(bad) && bad.code).toBe('CW_ERR_USAGE');
    expect(String((bad as Error).message)).toMatch(/maxRunTime|max-run-time/);
  });
});

describe('the fetcher stops at the run budget', () => {
  it('fetches after the budget end unsent, as run-time (skipped), and the run completes', async () => {
    sim = await startSimulator([{ name: 'site.test', fallback: behaviours.ok() }]);
    const clock = createTestClock();
    const fetcher = createFetcher(
      fetcherOptionsFromDefaults({
        allowNetwork: ['127.0.0.0/8'],
        perHostConcurrency: 1,
        perHostIntervalMs: 3000,
        maxRunTimeMs: 10_000,
      }),
      { lookup: sim.lookup, now: clock.now, sleep: clock.sleep },
    );
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => fetcher.fetch({ url: sim!.url('site.test', `/p${i}`) })),
    );
    // Requests start at 0, 3, 6 and 9 s; the fifth would start at 12 s, past the 10 s budget.
    expect(results.map((r) => r.status ?? r.error?.kind)).toEqual([
      200,
      200,
      200,
      200,
      ...Array(4).fill('run-time'),
    ]);
    expect(sim.requests).toHaveLength(4);
    for (const late of results.slice(4)) {
      expect(late.requests).toBe(0);
      expect(classifyResponse(late)).toMatchObject({ outcome: 'skipped', reason: 'run-time' });
    }
    expect(fetcher.runTimeOver()).toBe(true);
    await fetcher.close();
  });

  it('the end of the budget also ends the requests in flight and the waits (real timer)', async () => {
    sim = await startSimulator([{ name: 'slow.test', fallback: behaviours.slowHeaders(20_000) }]);
    const fetcher = createFetcher(
      fetcherOptionsFromDefaults({
        allowNetwork: ['127.0.0.0/8'],
        perHostConcurrency: 1,
        perHostIntervalMs: 0,
        maxRunTimeMs: 300,
      }),
      { lookup: sim.lookup },
    );
    const results = await Promise.all(
      Array.from({ length: 3 }, (_, i) => fetcher.fetch({ url: sim!.url('slow.test', `/p${i}`) })),
    );
    expect(results.map((r) => [r.error?.kind, r.requests])).toEqual([
      ['run-time', 1],
      ['run-time', 0],
      ['run-time', 0],
    ]);
    expect(fetcher.runTimeOver()).toBe(true);
    await fetcher.close();
  });

  it('no budget, no stop', async () => {
    sim = await startSimulator([{ name: 'site.test', fallback: behaviours.ok() }]);
    const clock = createTestClock();
    const fetcher = createFetcher(
      fetcherOptionsFromDefaults({
        allowNetwork: ['127.0.0.0/8'],
        perHostConcurrency: 1,
        perHostIntervalMs: 3000,
      }),
      { lookup: sim.lookup, now: clock.now, sleep: clock.sleep },
    );
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => fetcher.fetch({ url: sim!.url('site.test', `/p${i}`) })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(fetcher.runTimeOver()).toBe(false);
    await fetcher.close();
  });
});

describe('a run that reaches --max-run-time', () => {
  it('reports the links it did not reach as skipped (run-time), keeps them out of the history, writes reports', async () => {
    sim = await startSimulator([
      {
        name: 'slow.test',
        routes: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`/gone${i}`, behaviours.notFound()])),
      },
    ]);
    const s = sim;
    const urls = Array.from({ length: 6 }, (_, i) => s.url('slow.test', `/gone${i}`));
    const refs = urls
      .map(
        (url, i) =>
          `Claim ${i}.<ref>{{cite web |url=${url} |title=Source ${i} |access-date=2026-01-05}}</ref>`,
      )
      .join(' ');
    const path = join(dir, 'budget.wiki');
    await writeFile(path, `'''Budget''' is a subject. ${refs}\n\n== References ==\n{{reflist}}\n`);
    const state = join(dir, 'state.sqlite');
    const clock = createTestClock();
    const options = resolveCheckOptions({
      inputs: [path],
      out: join(dir, 'reports'),
      state,
      now: '2026-11-01T00:00:00Z',
      allowNetwork: ['127.0.0.0/8'],
      endpoint: Object.entries(simulatedEndpoints(s)).map(([k, v]) => `${k}=${v}`),
      snapshots: 'none',
      perHostConcurrency: 1,
      perHostInterval: 4000,
      confirm: 1,
      maxRunTime: '10s',
    });
    const result = await runCheck(options, {
      fetcherDeps: { lookup: s.lookup, now: clock.now, sleep: clock.sleep },
    });
    const links = (await writtenReports(result))[0]!.article.references.flatMap((r) => r.links);
    const byUrl = new Map(links.map((l) => [l.url, l.check!]));
    // Requests at 0, 4 and 8 s: three links are checked (and dead at once, --confirm 1).
    const checked = urls.filter((u) => byUrl.get(u)!.reason === 'http-404');
    const unchecked = urls.filter((u) => byUrl.get(u)!.reason === 'run-time');
    expect(checked).toHaveLength(3);
    expect(unchecked).toHaveLength(3);
    for (const url of unchecked) {
      expect(byUrl.get(url)).toMatchObject({ outcome: 'skipped', verdict: 'skipped' });
    }
    expect(s.requests).toHaveLength(3);
    const report = JSON.parse(await readFile(join(dir, 'reports', 'budget.json'), 'utf8')) as Report;
    expect(report.summary.links.dead).toBe(3);
    const store = openHistory(state, { now: () => '2026-11-01T00:00:00Z' });
    try {
      const view = store.view();
      for (const url of checked) expect(view.previous(url)).toHaveLength(1);
      for (const url of unchecked) expect(view.previous(url)).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe('the baseline after a run cut short', () => {
  it('a link the time limit skipped is not news in the next run (no false new-dead)', async () => {
    sim = await startSimulator([
      { name: 'gone.test', routes: { '/a': behaviours.notFound(), '/b': behaviours.notFound() } },
    ]);
    const s = sim;
    const [a, b] = ['/a', '/b'].map((p) => s.url('gone.test', p));
    const path = join(dir, 'cut.wiki');
    await writeFile(
      path,
      `'''Cut''' is a subject. One.<ref>{{cite web |url=${a} |title=A}}</ref> Two.<ref>{{cite web |url=${b} |title=B}}</ref>\n\n== References ==\n{{reflist}}\n`,
    );
    const run = async (day: number, maxRunTime?: string) => {
      const clock = createTestClock();
      const options = resolveCheckOptions({
        inputs: [path],
        out: join(dir, `reports-${day}`),
        state: join(dir, 'state.sqlite'),
        now: new Date(Date.parse('2026-11-01T00:00:00Z') + day * 86_400_000).toISOString(),
        allowNetwork: ['127.0.0.0/8'],
        endpoint: Object.entries(simulatedEndpoints(s)).map(([k, v]) => `${k}=${v}`),
        snapshots: 'none',
        perHostConcurrency: 1,
        perHostInterval: 4000,
        confirm: 1,
        full: true,
        ...(maxRunTime && { maxRunTime }),
      });
      const result = await runCheck(options, {
        fetcherDeps: { lookup: s.lookup, now: clock.now, sleep: clock.sleep },
      });
      return (await writtenReports(result))[0]!;
    };
    const first = await run(0);
    expect(first.summary.links.dead).toBe(2);
    const cut = await run(1, '2s');
    const reasons = cut.article.references.flatMap((r) => r.links).map((l) => l.check?.reason);
    expect(reasons).toEqual(['http-404', 'run-time']);
    expect(cut.changes?.newlyDead).toEqual([]);
    const next = await run(2);
    expect(next.summary.links.dead).toBe(2);
    // Compared with the last complete run, nothing died anew.
    expect(next.changes?.newlyDead).toEqual([]);
  });
});

describe('--max-run-time on the command line', () => {
  it('--help names it, its units and why 5 h', async () => {
    let stdout = '';
    const code = await main(['check', '--help'], {
      stdout: (s) => {
        stdout += s;
      },
      stderr: () => undefined,
      env: {},
    });
    expect(code).toBe(EXIT.ok);
    const help = stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--max-run-time <duration>');
    expect(help).toMatch(/90m, 2h/);
    expect(help).toMatch(/killed at 6 h/);
  });

  it('a bad value is exit 2 with the option named', async () => {
    let stderr = '';
    const code = await main(['check', 'x.wiki', '--offline', '--max-run-time', 'soon'], {
      stdout: () => undefined,
      stderr: (s) => {
        stderr += s;
      },
      env: {},
    });
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(/--max-run-time: not a duration: soon/);
  });
});
