/**
 * History benchmark: how fast the state database takes observations, written the way a run
 * writes them (one transaction per observation, as each arrives) and in batches, and how many
 * bytes 100 000 observations take on disk. Workload: 2000 links × 50 nightly runs = 100 000
 * observations (the history of a 2000-link article set after 50 nights), 80 % alive.
 * Run: npx tsx bench/history-bench.ts (`npm run bench` reports the same figures in its table)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ObservationRecord, openHistory, openSqlite } from '../src/history/index.js';
import type { Outcome } from '../src/model.js';

const LINKS = 2000;
const RUNS = 50;
const START = Date.parse('2026-06-01T03:00:00.000Z');

function observation(link: number, run: number): ObservationRecord {
  const r = (link * 7919 + run * 104729) % 100;
  const outcome: Outcome = r < 80 ? 'alive' : r < 90 ? 'dead' : r < 96 ? 'blocked' : 'error';
  const status = { alive: 200, dead: 404, blocked: 403, error: 503 }[outcome as 'alive'];
  return {
    url: `https://host${link % 50}.example.org/section/${link}/an-article-about-something-${link}.html`,
    outcome,
    reason: outcome === 'error' ? 'http-503' : `http-${status}`,
    httpStatus: status,
    ...(link % 10 === 0 && { finalUrl: `https://www.host${link % 50}.example.org/new/${link}` }),
    at: new Date(START + run * 86_400_000 + link * 20).toISOString(),
    durationMs: 40 + (link % 300),
    bytes: 8192 + ((link * 131) % 50_000),
  };
}

export interface Row {
  mode: string;
  observations: number;
  seconds: number;
  perSecond: number;
  bytes: number;
}

function bench(mode: string, batch: number): Row {
  const dir = mkdtempSync(join(tmpdir(), 'cw-history-bench-'));
  const path = join(dir, 'state.sqlite');
  let clock = new Date(START).toISOString();
  const store = openHistory(path, { now: () => clock });
  const t0 = performance.now();
  for (let run = 0; run < RUNS; run++) {
    clock = new Date(START + run * 86_400_000).toISOString();
    const runId = store.beginRun({ options: { bench: true } });
    const pending: ObservationRecord[] = [];
    for (let link = 0; link < LINKS; link++) {
      const o = observation(link, run);
      if (batch === 1) store.recordObservation(runId, o);
      else {
        pending.push(o);
        if (pending.length === batch) store.recordObservations(runId, pending.splice(0));
      }
    }
    store.recordObservations(runId, pending);
    store.finishRun(runId);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (store.integrityCheck()[0] !== 'ok') throw new Error('integrity check failed');
  store.close();
  // Closing checkpoints the WAL into the main file; what remains is the database's size.
  const raw = openSqlite(path);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  const bytes = statSync(path).size;
  rmSync(dir, { recursive: true, force: true });
  const observations = LINKS * RUNS;
  return { mode, observations, seconds, perSecond: observations / seconds, bytes };
}

function readBench(): { lookups: number; perSecond: number } {
  const dir = mkdtempSync(join(tmpdir(), 'cw-history-bench-'));
  const store = openHistory(join(dir, 'state.sqlite'), { now: () => new Date(START).toISOString() });
  for (let run = 0; run < RUNS; run++) {
    const runId = store.beginRun();
    store.recordObservations(
      runId,
      Array.from({ length: LINKS }, (_, link) => observation(link, run)),
    );
  }
  const view = store.view();
  const t0 = performance.now();
  let n = 0;
  for (let link = 0; link < LINKS; link++) n += view.previous(observation(link, 0).url).length;
  const seconds = (performance.now() - t0) / 1000;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  if (n !== LINKS * RUNS) throw new Error(`read ${n} observations, expected ${LINKS * RUNS}`);
  return { lookups: LINKS, perSecond: LINKS / seconds };
}

export interface HistoryBench {
  rows: Row[];
  /** `previous(url)` lookups per second, 50 observations each. */
  lookupsPerSecond: number;
}

/** The three write modes and the read lookup. */
export function benchHistory(): HistoryBench {
  const rows = [
    bench('one transaction per observation (as a run writes)', 1),
    bench('batches of 100', 100),
    bench('batches of 2000 (one per run)', 2000),
  ];
  return { rows, lookupsPerSecond: readBench().perSecond };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows, lookupsPerSecond } = benchHistory();
  console.log('| mode | observations | wall | observations/s | database bytes per 100 000 observations |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.mode} | ${r.observations} | ${r.seconds.toFixed(2)} s | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${(r.bytes / (r.observations / 100_000) / 1024 / 1024).toFixed(1)} MiB |`,
    );
  }
  console.log(
    `\nprevious(url) with 50 observations each: ${Math.round(lookupsPerSecond).toLocaleString('en-US')} lookups/s (${LINKS} URLs)`,
  );
}
