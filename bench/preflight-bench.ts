/**
 * Preflight benchmark: what checking the `--state` database before a run costs (open for
 * writing, `PRAGMA quick_check`, the migrations and a write probe in a rolled-back transaction),
 * as the history grows. Workload: 2000 links × N nightly runs of observations, written in
 * batches; the check is timed 5 times, the median is reported.
 * Run: npx tsx bench/preflight-bench.ts [observations...]   (default 100000 1000000)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkStateFile, type ObservationRecord, openHistory } from '../src/history/index.js';

const LINKS = 2000;
const START = Date.parse('2026-06-01T03:00:00.000Z');

const observation = (link: number, run: number): ObservationRecord => ({
  url: `https://host${link % 50}.example.org/section/${link}/an-article-about-something-${link}.html`,
  outcome: link % 10 === 0 ? 'dead' : 'alive',
  reason: link % 10 === 0 ? 'http-404' : 'http-200',
  httpStatus: link % 10 === 0 ? 404 : 200,
  at: new Date(START + run * 86_400_000 + link * 20).toISOString(),
  durationMs: 40,
  bytes: 8192,
});

export function benchPreflight(observations: number): { observations: number; bytes: number; ms: number } {
  const dir = mkdtempSync(join(tmpdir(), 'cw-preflight-bench-'));
  try {
    const path = join(dir, 'state.sqlite');
    const store = openHistory(path, { now: () => new Date(START).toISOString() });
    for (let run = 0; run * LINKS < observations; run++) {
      const runId = store.beginRun();
      const batch: ObservationRecord[] = [];
      for (let link = 0; link < LINKS; link++) batch.push(observation(link, run));
      store.recordObservations(runId, batch);
      store.finishRun(runId);
    }
    store.close();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      checkStateFile(path);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { observations, bytes: statSync(path).size, ms: times[2]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length > 0 ? sizes : [100_000, 1_000_000]) {
    const r = benchPreflight(n);
    console.log(
      `${r.observations} observations, ${(r.bytes / 1e6).toFixed(1)} MB: --state check ${r.ms.toFixed(0)} ms (median of 5)`,
    );
  }
}
