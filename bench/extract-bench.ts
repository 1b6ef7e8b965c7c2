/**
 * Extraction throughput per format with `extractArticle`: the real-article corpus
 * (`/work/shared/corpus`: 35 wikitext articles, 2 rendered HTML pages) or, without it, the test
 * fixtures; and the seed Markdown under `references/`. The files of a format are extracted
 * warm, round after round, until the format has run for `minMs`; MB/s is the bytes of one round
 * over the median round's time. The largest HTML page is also timed alone (median), and scaled
 * to 1 MB. Then extract + audit of the issue-14 article (2000 `{{cite web}}` references, as
 * `cli-web-bench.ts` writes it) and the audit alone over the corpus: median ms of warm rounds,
 * and the main thread's CPU (user + system) of the median round.
 * Run alone: npx tsx bench/extract-bench.ts [--quick]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { auditArticle } from '../src/audit/index.js';
import { extractArticle } from '../src/extract/index.js';
import type { Article, InputFormat } from '../src/model.js';
import { articleCiting } from './cli-web-bench.js';
import { generateWorkload } from './workload.js';

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

/** Extract + audit of the issue-14 article, warm. */
export interface WorkloadArticle {
  bytes: number;
  references: number;
  findings: number;
  /** Median round: extraction, then the audit of its article. */
  extractMs: number;
  auditMs: number;
  /** Process CPU (user + system, every thread: GC and compiler included) of a median round. */
  cpuMs: number;
}

/** The offline audit alone over the extracted articles of a format. */
export interface AuditThroughput {
  format: InputFormat;
  files: number;
  references: number;
  /** Median round over all the files. */
  roundMs: number;
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

const NOW = '2026-11-20T00:00:00Z';

/** The article: 2000 `{{cite web}}` references over 50 hosts (or `links`). */
export function workloadArticleText(links = 2000): string {
  return articleCiting(generateWorkload({ links }).links.map((l) => `http://${l.host}${l.path}`));
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function workloadArticle(rounds: number): WorkloadArticle {
  const text = workloadArticleText();
  const input = { text, path: 'bench-article.wiki', format: 'wikitext' as const };
  const runs: Array<{ extractMs: number; auditMs: number; cpuMs: number }> = [];
  let references = 0;
  let findings = 0;
  for (let i = 0; i < rounds + 2; i++) {
    const c0 = cpuNow();
    const t0 = performance.now();
    const article = extractArticle(input);
    const t1 = performance.now();
    const found = auditArticle(article, { now: NOW });
    const t2 = performance.now();
    const cpuMs = cpuNow() - c0;
    references = article.references.length;
    findings = found.length;
    // The first two rounds warm the compiler up.
    if (i >= 2) runs.push({ extractMs: t1 - t0, auditMs: t2 - t1, cpuMs });
  }
  const mid = [...runs].sort((a, b) => a.extractMs + a.auditMs - (b.extractMs + b.auditMs))[
    Math.floor(runs.length / 2)
  ]!;
  return { bytes: Buffer.byteLength(text), references, findings, ...mid };
}

function auditThroughput(format: InputFormat, inputs: Input[], minMs: number): AuditThroughput {
  const articles: Article[] = inputs.map((input) => extractArticle({ ...input, format }));
  const references = articles.reduce((n, a) => n + a.references.length, 0);
  for (const article of articles) auditArticle(article, { now: NOW });
  const rounds: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || rounds.length < 5) {
    const r0 = performance.now();
    for (const article of articles) auditArticle(article, { now: NOW });
    rounds.push(performance.now() - r0);
  }
  return { format, files: inputs.length, references, roundMs: median(rounds) };
}

export function benchExtraction(options: { quick?: boolean } = {}): {
  formats: FormatThroughput[];
  largestHtml: LargestPage | undefined;
  workload: WorkloadArticle;
  audit: AuditThroughput[];
} {
  const minMs = options.quick ? 300 : 3000;
  const sets = extractionInputs().filter((s) => s.inputs.length > 0);
  const formats = sets.map((s) => throughput(s.format, s.source, s.inputs, minMs));
  const html = sets.find((s) => s.format === 'html')?.inputs ?? [];
  const largestHtml = largestPage(html, options.quick ? 5 : 21);
  const workload = workloadArticle(options.quick ? 5 : 21);
  const audit = sets.map((s) => auditThroughput(s.format, s.inputs, minMs / 3));
  return { formats, largestHtml, workload, audit };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formats, largestHtml, workload, audit } = benchExtraction({
    quick: process.argv.includes('--quick'),
  });
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
  console.log(
    `issue-14 article (${(workload.bytes / 1024).toFixed(0)} KiB, ${workload.references} references, ${workload.findings} findings): extract ${workload.extractMs.toFixed(1)} ms + audit ${workload.auditMs.toFixed(1)} ms, ${workload.cpuMs.toFixed(0)} ms CPU (median warm round)`,
  );
  for (const a of audit) {
    console.log(
      `audit ${a.format}: ${a.files} files, ${a.references} references, ${a.roundMs.toFixed(1)} ms a round`,
    );
  }
}
