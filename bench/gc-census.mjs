/**
 * Preloaded into a measured child run with `node --expose-gc --import bench/gc-census.mjs ...`
 * (a bench-only flag: nothing citewatch ships uses it). Answers "do the socket reads die
 * young?": every 150 ms it runs a full GC (after it every object still alive is old), and 100
 * ms later a minor GC. The `ArrayBuffer` bytes made in between that the minor GC cannot free are
 * held by old objects: promoted garbage that only the next full GC frees (V8 waits for ~64 MB of
 * it). Waits 10 ms after the minor GC for the concurrent ArrayBuffer sweeper, without which
 * even pure garbage reads as kept. Prints one JSON line on stderr at exit.
 */
import { performance } from 'node:perf_hooks';

if (typeof globalThis.gc !== 'function') throw new Error('gc-census.mjs needs node --expose-gc');
let piled = 0;
let kept = 0;
let samples = 0;
let peakArrayBuffers = 0;
const arrayBuffers = () => process.memoryUsage().arrayBuffers;
const timer = setInterval(() => {
  globalThis.gc();
  setTimeout(() => {
    const before = arrayBuffers();
    globalThis.gc({ type: 'minor' });
    const until = performance.now() + 10;
    while (performance.now() < until);
    // Below 1 MiB the run is starting or ending: nothing to judge.
    if (before < 1048576) return;
    piled += before;
    kept += arrayBuffers();
    samples++;
  }, 100);
}, 150);
timer.unref();
const sampler = setInterval(() => {
  peakArrayBuffers = Math.max(peakArrayBuffers, arrayBuffers());
}, 10);
sampler.unref();
process.on('exit', () => {
  const mb = (n) => Math.round((n / 1048576) * 10) / 10;
  process.stderr.write(
    `${JSON.stringify({ census: { samples, piledMb: mb(piled), keptByMinorGcMb: mb(kept), keptPercent: piled ? Math.round((100 * kept) / piled) : 0 } })}\n`,
  );
});
