/**
 * Extraction throughput per format with `extractArticle`: the real-article corpus
 * (`/work/shared/corpus`: 35 wikitext articles, 2 rendered HTML pages) or, without it, the test
 * fixtures; and the seed Markdown under `references/`. The files of a format are extracted
 * warm, round after round, until the format has run for `minMs`; MB/s is the bytes of one round
 * over the median round's time. The largest HTML page is also timed alone (median), and scaled
 * to 1 MB.
 * Run alone: npx tsx bench/extract-bench.ts [--quick]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { extractArticle } from '../src/extract/index.js';
import type { InputFormat } from '../src/model.js';

export const SHARED_CORPUS = '/work/shared/corpus';

export interface FormatThroughput {
  format: InputFormat;
  /** Where the files came from. */
  source: string;
  files: number;
  bytes: number;
  mbPerSecond: number;
  /** Citations (references) found across the files, once: a check that something was extracted. */
  references: number;
}

export interface LargestPage {
  path: string;
  bytes: number;
  medianMs: number;
  /** `medianMs` scaled to a 1 MB page (extraction is close to linear in the page's size). */
  msPerMb: number;
}

interface Input {
  path: string;
  text: string;
}

const MB = 1_000_000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

function readDir(dir: string, pattern: RegExp): Input[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/** The files per format: the shared corpus when it is there, else the fixtures. */
export function extractionInputs(): Array<{ format: InputFormat; source: string; inputs: Input[] }> {
  const shared = existsSync(SHARED_CORPUS);
  const wikitextDir = shared ? join(SHARED_CORPUS, 'wikitext') : 'tests/fixtures/wikitext/corpus';
  const htmlDir = shared ? join(SHARED_CORPUS, 'html') : 'tests/fixtures/html';
  return [
    { format: 'wikitext', source: wikitextDir, inputs: readDir(wikitextDir, /\.(txt|wiki)$/) },
    { format: 'html', source: htmlDir, inputs: readDir(htmlDir, /\.html?$/) },
    { format: 'markdown', source: 'references', inputs: readDir('references', /\.md$/) },
  ];
}

function throughput(format: InputFormat, source: string, inputs: Input[], minMs: number): FormatThroughput {
  const bytes = inputs.reduce((n, i) => n + Buffer.byteLength(i.text), 0);
  let references = 0;
  // Warm-up, and the reference count.
  for (const input of inputs) references += extractArticle({ ...input, format }).references.length;
  // Rounds over all the files until `minMs`; the median round is the figure, so that a moment
  // when another process takes the core does not count.
  const rounds: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || rounds.length < 5) {
    const r0 = performance.now();
    for (const input of inputs) extractArticle({ ...input, format });
    rounds.push(performance.now() - r0);
  }
  const roundMs = median(rounds);
  return {
    format,
    source,
    files: inputs.length,
    bytes,
    mbPerSecond: bytes / MB / (roundMs / 1000),
    references,
  };
}

function largestPage(inputs: Input[], runs: number): LargestPage | undefined {
  const largest = [...inputs].sort((a, b) => b.text.length - a.text.length)[0];
  if (!largest) return undefined;
  const bytes = Buffer.byteLength(largest.text);
  for (let i = 0; i < 3; i++) extractArticle({ ...largest, format: 'html' });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    extractArticle({ ...largest, format: 'html' });
    times.push(performance.now() - t0);
  }
  const medianMs = median(times);
  return { path: largest.path, bytes, medianMs, msPerMb: (medianMs * MB) / bytes };
}

export function benchExtraction(options: { quick?: boolean } = {}): {
  formats: FormatThroughput[];
  largestHtml: LargestPage | undefined;
} {
  const minMs = options.quick ? 300 : 3000;
  const sets = extractionInputs().filter((s) => s.inputs.length > 0);
  const formats = sets.map((s) => throughput(s.format, s.source, s.inputs, minMs));
  const html = sets.find((s) => s.format === 'html')?.inputs ?? [];
  return { formats, largestHtml: largestPage(html, options.quick ? 5 : 21) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formats, largestHtml } = benchExtraction({ quick: process.argv.includes('--quick') });
  for (const f of formats) {
    console.log(
      `${f.format}: ${f.files} files, ${(f.bytes / 1024).toFixed(0)} KiB, ${f.mbPerSecond.toFixed(1)} MB/s (${f.references} references)`,
    );
  }
  if (largestHtml) {
    console.log(
      `largest HTML page ${largestHtml.path} (${(largestHtml.bytes / 1024).toFixed(0)} KiB): ${largestHtml.medianMs.toFixed(1)} ms, ${largestHtml.msPerMb.toFixed(0)} ms per MB`,
    );
  }
}
