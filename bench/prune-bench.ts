/**
 * Prune benchmark: a state database of 90 nightly runs over 5000 links (450,000 observations,
 * 90 % alive, 5 % in a dead streak since night 45, 5 % failing now and then), pruned to the last
 * 30 days. Prints the file size before and after, the rows deleted and the time taken.
 * Run: npx tsx bench/prune-bench.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ObservationRecord, openHistory } from '../src/history/index.js';
import { runPrune } from '../src/prune.js';

const LINKS = 5000;
const NIGHTS = 90;
const KEEP_DAYS = 30;
const START = Date.parse('2026-06-01T03:17:00.000Z');
const at = (night: number): string => new Date(START + night * 86_400_000).toISOString();

function observation(link: number, night: number): ObservationRecord {
  const dying = link % 20 === 0 && night >= 45;
  const flaky = link % 20 === 1 && night % 7 === 3;
  const outcome = dying ? 'dead' : flaky ? 'error' : 'alive';
  return {
    url: `https://host${link % 50}.example.org/section/${link}/an-article-about-something-${link}.html`,
    outcome,
    reason: dying ? 'http-404' : flaky ? 'http-503' : 'http-200',
    httpStatus: dying ? 404 : flaky ? 503 : 200,
    at: at(night),
    durationMs: 120,
    bytes: 40_000,
  };
}

const size = (path: string): number =>
  [path, `${path}-wal`].reduce((n, f) => {
    try {
      return n + statSync(f).size;
    } catch {
      return n;
    }
  }, 0);

const dir = mkdtempSync(join(tmpdir(), 'citewatch-prune-bench-'));
try {
  const state = join(dir, 'state.sqlite');
  let night = 0;
  const store = openHistory(state, { now: () => at(night) });
  for (; night < NIGHTS; night++) {
    const run = store.beginRun({});
    store.recordObservations(
      run,
      Array.from({ length: LINKS }, (_, link) => observation(link, night)),
    );
    store.finishRun(run);
  }
  store.close();
  const started = performance.now();
  const result = runPrune({ state, keepDays: KEEP_DAYS, now: at(NIGHTS) });
  const ms = performance.now() - started;
  const mb = (n: number) => (n / 1_048_576).toFixed(1);
  console.log(
    `prune: ${LINKS} links x ${NIGHTS} nights, keep ${KEEP_DAYS} days: ${mb(result.bytesBefore)} MB -> ${mb(result.bytesAfter)} MB (checked: ${mb(size(state))} MB); ${result.observations} observations and ${result.runs} runs deleted in ${(ms / 1000).toFixed(1)} s`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
