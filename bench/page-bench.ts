/**
 * `readPage` in-process, before and after the scanner (issue 14): the old reader (cheerio/slim
 * parse and a tree walk, kept as `tests/support/cheerio-page-reader.ts`) against `readPage`, on
 * the pages the CLI workload's sites serve (`bench/workload.ts`: 2000 links, the GET bodies
 * read as pages) and on real pages (the shared corpus's rendered articles, or the test
 * fixtures without it). CPU time (user + system) per MB of body, and from V8's GC profiler the
 * bytes allocated per MB of body (heap growth between collections) and the GC time; rounds
 * alternated before/after, medians reported with every round.
 * The page rules that read the signals (`assessChallenge`, `assessParked`, `assessSoft404`,
 * `detectRestriction`) are timed the same way against their old versions
 * (`tests/support/rules-reference.ts`), in CPU ms per 1000 pages.
 * Run alone: npx tsx bench/page-bench.ts [--quick] [--rules (the rules only)]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { assessChallenge } from '../src/check/challenge.js';
import { decodeText, type PageSignals, readPage } from '../src/check/page.js';
import { assessParked } from '../src/check/parked.js';
import { detectRestriction } from '../src/check/paywall.js';
import { assessSoft404 } from '../src/check/soft-404.js';
import { readSignalsWithCheerio } from '../tests/support/cheerio-page-reader.js';
import {
  assessChallengeBefore,
  assessParkedBefore,
  assessSoft404Before,
  detectRestrictionBefore,
} from '../tests/support/rules-reference.js';
import { measure } from './bench-common.js';
import { SHARED_CORPUS } from './extract-bench.js';
import { generateWorkload, workloadRoute } from './workload.js';

export interface PageSet {
  name: string;
  pages: Buffer[];
  bytes: number;
}

export interface ReaderRun {
  /** CPU ms per MB of body, one figure per round. */
  cpuMsPerMb: number[];
  /** MB allocated on the JS heap per MB of body, one figure per round. */
  allocatedMbPerMb: number[];
  /** GC ms per MB of body, one figure per round. */
  gcMsPerMb: number[];
}

export interface PageBenchResult {
  set: PageSet;
  rounds: number;
  before: ReaderRun;
  after: ReaderRun;
}

const CONTENT_TYPE = 'text/html; charset=utf-8';

/** The body a workload route sends for `path`, collected from a stand-in response. */
function servedBody(route: ReturnType<typeof workloadRoute>, path: string): Buffer {
  const chunks: Buffer[] = [];
  let status = 0;
  const res = {
    req: { method: 'GET' },
    writeHead(code: number) {
      status = code;
      return res;
    },
    cork() {},
    write(chunk: Buffer) {
      chunks.push(Buffer.from(chunk));
      return true;
    },
    end(chunk?: Buffer) {
      if (chunk) chunks.push(Buffer.from(chunk));
    },
  };
  void route({ url: path, method: 'GET' } as IncomingMessage, res as unknown as ServerResponse, {
    host: 'site00.bench.test',
    hit: 1,
  });
  return status >= 200 && status < 300 ? Buffer.concat(chunks) : Buffer.alloc(0);
}

/** The 2xx bodies of the CLI workload (2000 links over 50 hosts): what the checker reads as pages. */
export function workloadPages(links = 2000): PageSet {
  const route = workloadRoute((path) => path);
  const pages = generateWorkload({ links })
    .links.map((link) => servedBody(route, link.path))
    .filter((body) => body.length > 0);
  return { name: `workload: ${pages.length} pages of ${links} links`, pages, bytes: total(pages) };
}

/** Real pages: the shared corpus's rendered articles, or the test fixtures without it. */
export function realPages(): PageSet {
  const corpus = join(SHARED_CORPUS, 'html');
  const dir = existsSync(corpus) ? corpus : new URL('../tests/fixtures/pages', import.meta.url).pathname;
  const pages = readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => readFileSync(join(dir, f)));
  return {
    name: `${dir === corpus ? 'corpus' : 'fixture'}: ${pages.length} real pages`,
    pages,
    bytes: total(pages),
  };
}

const total = (pages: Buffer[]): number => pages.reduce((sum, p) => sum + p.length, 0);

const readBefore = (body: Buffer): unknown => readSignalsWithCheerio(decodeText(body, CONTENT_TYPE));
const readAfter = (body: Buffer): unknown => readPage(body, CONTENT_TYPE);

/** CPU ms, MB allocated and GC ms of reading every page of `set` `times` times, per MB of body. */
function round(set: PageSet, read: (body: Buffer) => unknown, times: number): [number, number, number] {
  const [, cost] = measure(() => {
    for (let t = 0; t < times; t++) for (const page of set.pages) read(page);
  });
  const mb = (set.bytes * times) / 1048576;
  return [cost.cpuMs / mb, cost.allocatedMb / mb, cost.gcMs / mb];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function benchPageReading(quick = false): PageBenchResult[] {
  const rounds = quick ? 1 : 3;
  const results: PageBenchResult[] = [];
  for (const set of [workloadPages(quick ? 500 : 2000), realPages()]) {
    // About 30 MB a round, so that a round is long enough to time.
    const times = Math.max(1, Math.round((quick ? 5 : 30) / (set.bytes / 1048576)));
    // Warm both up (JIT, cheerio loaded).
    round(set, readBefore, 1);
    round(set, readAfter, 1);
    const before: ReaderRun = { cpuMsPerMb: [], allocatedMbPerMb: [], gcMsPerMb: [] };
    const after: ReaderRun = { cpuMsPerMb: [], allocatedMbPerMb: [], gcMsPerMb: [] };
    for (let r = 0; r < rounds; r++) {
      for (const [run, read] of [
        [before, readBefore],
        [after, readAfter],
      ] as const) {
        const [cpu, allocated, gc] = round(set, read, times);
        run.cpuMsPerMb.push(cpu);
        run.allocatedMbPerMb.push(allocated);
        run.gcMsPerMb.push(gc);
      }
    }
    results.push({ set, rounds, before, after });
  }
  return results;
}

/** One line per reader and page set. */
export function describePageBench(results: PageBenchResult[]): string[] {
  const f = (xs: number[]): string => `${median(xs).toFixed(1)} (${xs.map((x) => x.toFixed(1)).join(', ')})`;
  const line = (r: PageBenchResult, label: string, run: ReaderRun): string =>
    `${r.set.name}, ${(r.set.bytes / 1048576).toFixed(1)} MB: ${label}: CPU ${f(run.cpuMsPerMb)} ms/MB; allocated ${f(run.allocatedMbPerMb)} MB/MB; GC ${f(run.gcMsPerMb)} ms/MB`;
  return results.flatMap((r) => [line(r, 'before (cheerio)', r.before), line(r, 'after (scanner)', r.after)]);
}

/** The rules' CPU before and after, in ms per 1000 pages: one figure per round. */
export interface RulesBenchResult {
  set: PageSet;
  rounds: number;
  beforeMsPer1000: number[];
  afterMsPer1000: number[];
}

const PAGE_URL = 'https://site00.bench.test/a/b';

/** The four page rules as `classifySuccess` runs them on a live page that is none of those. */
function runRules(pages: PageSignals[], times: number, before: boolean): number {
  const start = process.cpuUsage();
  let score = 0;
  for (let t = 0; t < times; t++) {
    for (const page of pages) {
      if (before) {
        score += assessChallengeBefore(page).score + assessParkedBefore(page, PAGE_URL, PAGE_URL).score;
        score += assessSoft404Before(page, PAGE_URL).score;
        if (detectRestrictionBefore(page, PAGE_URL, PAGE_URL)) score++;
      } else {
        score += assessChallenge(page).score + assessParked(page, PAGE_URL, PAGE_URL).score;
        score += assessSoft404(page, PAGE_URL).score;
        if (detectRestriction(page, PAGE_URL, PAGE_URL)) score++;
      }
    }
  }
  const used = process.cpuUsage(start);
  if (Number.isNaN(score)) throw new Error('unreachable: keeps the results used');
  return (used.user + used.system) / 1000 / ((pages.length * times) / 1000);
}

/**
 * The page rules (challenge, parked, soft 404, paywall/login) before and after issue 14's
 * combined patterns, on the signals of the workload's pages and of the real pages.
 */
export function benchRules(quick = false): RulesBenchResult[] {
  const rounds = quick ? 1 : 3;
  return [workloadPages(quick ? 500 : 2000), realPages()].map((set) => {
    const pages = set.pages.map((body) => readPage(body, CONTENT_TYPE)).filter((p) => p !== undefined);
    // About 10,000 pages a round.
    const times = Math.max(1, Math.round((quick ? 2000 : 10000) / pages.length));
    runRules(pages, times, true);
    runRules(pages, times, false);
    const result: RulesBenchResult = { set, rounds, beforeMsPer1000: [], afterMsPer1000: [] };
    for (let r = 0; r < rounds; r++) {
      result.beforeMsPer1000.push(runRules(pages, times, true));
      result.afterMsPer1000.push(runRules(pages, times, false));
    }
    return result;
  });
}

export function describeRulesBench(results: RulesBenchResult[]): string[] {
  const f = (xs: number[]): string => `${median(xs).toFixed(1)} (${xs.map((x) => x.toFixed(1)).join(', ')})`;
  return results.map(
    (r) =>
      `${r.set.name}: page rules CPU ms per 1000 pages: before ${f(r.beforeMsPer1000)}; after ${f(r.afterMsPer1000)}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  if (!process.argv.includes('--rules')) {
    for (const line of describePageBench(benchPageReading(quick))) console.log(line);
  }
  for (const line of describeRulesBench(benchRules(quick))) console.log(line);
}
