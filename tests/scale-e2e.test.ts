/**
 * Shards end to end on the loopback simulator: the same articles checked whole, and as N shard
 * runs (`--shard I/N`, each with its own state) merged with `citewatch merge` — the merged
 * reports equal the whole run's, and no host was asked by two shards.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistory } from '../src/history/index.js';
import { runMerge } from '../src/merge.js';
import type { Report } from '../src/model.js';
import { resolveCheckOptions } from '../src/options.js';
import { type RunResult, runCheck } from '../src/pipeline.js';
import { validateReport } from '../src/report/json.js';
import { shardOf } from '../src/scale/index.js';
import { cdxService, doiService, simulatedEndpoints, waybackService } from './support/services.js';
import { behaviours, type SimHost, type Simulator, startSimulator } from './support/simulator.js';

let dir: string;
let sim: Simulator | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citewatch-shards-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

const NOW = '2026-11-20T03:17:00.000Z';
const HOSTS = ['alpha.test', 'beta.example', 'news.gamma.test', 'delta.org', 'epsilon.net', 'zeta.example'];

function site(name: string): SimHost {
  return {
    name,
    routes: { '/live': behaviours.ok(), '/gone': behaviours.notFound(), '/soft': behaviours.soft404() },
  };
}

async function articles(s: Simulator): Promise<string[]> {
  const paths: string[] = [];
  for (let a = 0; a < 3; a++) {
    const refs = HOSTS.flatMap((host, h) =>
      (h + a) % 2 === 0
        ? [s.url(host, '/live'), s.url(host, a === 1 ? '/soft' : '/gone')]
        : [s.url(host, '/live')],
    )
      .map(
        (url, i) =>
          `Claim ${i}.<ref>{{cite web |url=${url} |title=Source ${i} |website=Site |date=2025-01-0${(i % 9) + 1}}}</ref>`,
      )
      .join(' ');
    const path = join(dir, `article-${a}.wiki`);
    await writeFile(path, `'''Article ${a}''' is a subject. ${refs}\n\n== References ==\n{{reflist}}\n`);
    paths.push(path);
  }
  return paths;
}

async function check(s: Simulator, inputs: string[], out: string, extra: Record<string, unknown> = {}) {
  const options = resolveCheckOptions({
    inputs,
    out,
    state: join(out, 'state.sqlite'),
    now: NOW,
    confirm: 1,
    allowNetwork: ['127.0.0.0/8'],
    endpoint: Object.entries(simulatedEndpoints(s)).map(([k, v]) => `${k}=${v}`),
    perHostInterval: 0,
    ...extra,
  });
  return runCheck(options, { fetcherDeps: { lookup: s.lookup } });
}

/** The JSON reports a run wrote, in input order. */
const writtenReports = (result: RunResult): Promise<Report[]> =>
  Promise.all(
    result.written
      .filter((p) => p.endsWith('.json'))
      .map(async (p) => validateReport(JSON.parse(await readFile(p, 'utf8')))),
  );

/** What must agree between a whole run and merged shards (the run's request count may not). */
const comparable = (r: Report) => ({ ...r, run: { ...r.run, requests: 0, savedByCadence: 0 } });

describe('--shard and merge', () => {
  it.each([2, 3])(
    'N=%i shards merged equal the whole run, and each host is asked by one shard only',
    async (n) => {
      sim = await startSimulator([...HOSTS.map(site), waybackService({}), cdxService({}), doiService({})]);
      const s = sim;
      const inputs = await articles(s);
      const whole = await check(s, inputs, join(dir, 'whole'));
      const wholeRequests = s.requests.length;

      const shardDirs: string[] = [];
      const askedBy = new Map<string, Set<number>>();
      for (let i = 1; i <= n; i++) {
        const before = s.requests.length;
        const out = join(dir, `shard-${i}`);
        const result = await check(s, inputs, out, { shard: `${i}/${n}` });
        expect(result.run.shard).toBe(`${i}/${n}`);
        for (const r of s.requests.slice(before)) {
          if (!HOSTS.includes(r.host)) continue;
          const set = askedBy.get(r.host) ?? new Set<number>();
          set.add(i);
          askedBy.set(r.host, set);
          expect(shardOf(s.url(r.host, r.path), n)).toBe(i);
        }
        shardDirs.push(out);
      }
      for (const shards of askedBy.values()) expect(shards.size).toBe(1);
      // Every page fetched once over all shards, as in the whole run (the archive's batched
      // lookups are split between the shards, so only the pages are counted).
      const pages = (list: typeof s.requests): number => list.filter((r) => HOSTS.includes(r.host)).length;
      expect(pages(s.requests.slice(wholeRequests))).toBe(pages(s.requests.slice(0, wholeRequests)));

      const merged = await runMerge(shardDirs, { out: join(dir, 'merged'), confirm: '1' });
      expect(merged.reports.map(comparable)).toEqual((await writtenReports(whole)).map(comparable));
      const md = (p: string) => readFile(join(p, 'article-0.md'), 'utf8');
      expect(await md(join(dir, 'merged'))).toBe(await md(join(dir, 'whole')));
    },
  );
});

describe('merge --state', () => {
  it('leaves the merged state untouched when a report cannot be written (regression: saved before the reports)', async () => {
    sim = await startSimulator([...HOSTS.map(site), waybackService({}), cdxService({}), doiService({})]);
    const s = sim;
    const inputs = await articles(s);
    const state = join(dir, 'merged.sqlite');
    const shardDirs = (n: number) => [1, 2].map((i) => join(dir, `night-${n}-shard-${i}`));
    for (const [n, now] of [
      [1, NOW],
      [2, '2026-11-21T03:17:00.000Z'],
    ] as const)
      for (let i = 1; i <= 2; i++)
        await check(s, inputs, shardDirs(n)[i - 1]!, {
          shard: `${i}/2`,
          now,
          state: join(dir, `shard-${i}.sqlite`),
        });
    await runMerge(shardDirs(1), { out: join(dir, 'merged-1'), confirm: '1', state });
    // The out "directory" is a file: no report can be written.
    const blocked = join(dir, 'not-a-dir');
    await writeFile(blocked, 'a file');
    await expect(runMerge(shardDirs(2), { out: blocked, confirm: '1', state })).rejects.toThrow();
    const store = openHistory(state, { now: () => NOW });
    const trend = store.trend();
    const runs = store.runs();
    store.close();
    expect(trend.map((p) => p.at)).toEqual([NOW]);
    expect(runs).toHaveLength(1);
    // Written again, the night is kept once.
    await runMerge(shardDirs(2), { out: join(dir, 'merged-2'), confirm: '1', state });
    const after = openHistory(state, { now: () => NOW });
    expect(after.trend().map((p) => p.at)).toEqual([NOW, '2026-11-21T03:17:00.000Z']);
    after.close();
  });

  it('keeps the merged runs, so the merged summary gets the trend chart night after night', async () => {
    sim = await startSimulator([...HOSTS.map(site), waybackService({}), cdxService({}), doiService({})]);
    const s = sim;
    const inputs = await articles(s);
    const state = join(dir, 'merged.sqlite');
    const night = async (n: number, now: string) => {
      const shardDirs: string[] = [];
      for (let i = 1; i <= 2; i++) {
        const out = join(dir, `night-${n}-shard-${i}`);
        await check(s, inputs, out, { shard: `${i}/2`, now, state: join(dir, `shard-${i}.sqlite`) });
        shardDirs.push(out);
      }
      return runMerge(shardDirs, { out: join(dir, `merged-${n}`), confirm: '1', state });
    };
    const first = await night(1, NOW);
    expect(first.written.some((p) => p.endsWith('trend.svg'))).toBe(true);
    const second = await night(2, '2026-11-21T03:17:00.000Z');
    const summary = await readFile(join(dir, 'merged-2', 'summary.md'), 'utf8');
    expect(summary).toContain('](trend.svg)');
    const svg = await readFile(join(dir, 'merged-2', 'trend.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // Two runs in the merged state: the chart has a point per night.
    const store = openHistory(state, { now: () => NOW });
    const trend = store.trend();
    store.close();
    expect(trend.map((p) => p.at)).toEqual([NOW, '2026-11-21T03:17:00.000Z']);
    const dead = second.reports.reduce((n, r) => n + r.summary.links.dead, 0);
    expect(trend[1]!.dead).toBe(dead);
  });
});
