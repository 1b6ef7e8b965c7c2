/**
 * What several in-process benches share: this process's CPU so far, what a piece of work
 * costs in CPU, allocation and GCs, and the extract and audit stages of a compiled build (this
 * checkout's `dist/`, or another build's for a before/after).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import type { ExtractInput } from '../src/extract/index.js';
import type { Article, Finding } from '../src/model.js';

/** User + system CPU of this process so far, in ms. */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface StageFigures {
  cpuMs: number;
  allocatedMb: number;
  gcs: number;
  gcMs: number;
}

/**
 * Runs `run` once and says what it cost: main-thread CPU, the MB allocated on the JS heap (what
 * the heap grew by between collections, from a GCProfiler), the collections and their cost.
 */
export function measure<T>(run: () => T): [T, StageFigures] {
  const profiler = new GCProfiler();
  const usedAtStart = getHeapStatistics().used_heap_size;
  profiler.start();
  const start = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(start);
  const usedAtEnd = getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop();
  let allocated = 0;
  let after = usedAtStart;
  let gcUs = 0;
  for (const gc of statistics) {
    allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - after);
    after = gc.afterGC.heapStatistics.usedHeapSize;
    gcUs += gc.cost;
  }
  allocated += Math.max(0, usedAtEnd - after);
  return [
    result,
    {
      cpuMs: (used.user + used.system) / 1000,
      allocatedMb: allocated / 1048576,
      gcs: statistics.length,
      gcMs: gcUs / 1000,
    },
  ];
}

export interface Stages {
  extractArticle: (input: ExtractInput) => Article;
  auditArticle: (article: Article, options: { now: string }) => Finding[];
}

/** The extract and audit stages compiled in `dist` (a folder; `dist` by default). */
export async function loadStages(dist = 'dist'): Promise<Stages> {
  const root = resolve(dist);
  const extract = await import(pathToFileURL(`${root}/extract/index.js`).href);
  const audit = await import(pathToFileURL(`${root}/audit/index.js`).href);
  return { extractArticle: extract.extractArticle, auditArticle: audit.auditArticle };
}
