/**
 * Report rendering and writing on one big report, in process: `renderJson`, `renderMarkdown`,
 * and a `ReportWriter` writing both files (json,md) into a fresh folder, with the real file
 * operations and, alternated with them, `fs/promises`' `writeFile` (what the writer used
 * before session 6). The report is read from a JSON report citewatch wrote, e.g. the offline
 * run of the 2000-reference article (see bench/README.md). Medians of CPU ms over the rounds;
 * round 0 is dropped (cold). `--dist` measures another build (its `dist/` folder).
 * Run alone: npx tsx bench/report-render-bench.ts --report D/citewatch-golden-article-2000.json
 *   [--dist path/to/dist] [--rounds 15]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpuMs } from './bench-common.js';
import { arg } from './child-common.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const reportPath = arg('report');
if (!reportPath) throw new Error('--report path/to/report.json is required');
const dist = resolve(arg('dist') ?? join(ROOT, 'dist'));
const rounds = Number(arg('rounds') ?? 15);
const load = (path: string) => import(pathToFileURL(join(dist, path)).href);
const { renderJson } = await load('report/json.js');
const { renderMarkdown } = await load('report/markdown.js');
const { ReportWriter } = await load('report/write.js');

const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const promisesFs = { writeFile, rename };
const times: Record<string, number[]> = { renderJson: [], renderMarkdown: [], write: [], writePromises: [] };

const timed = async (name: string, f: () => unknown): Promise<void> => {
  const t = cpuMs();
  await f();
  const ms = cpuMs() - t;
  if (round > 0) times[name]?.push(ms);
};

const writeBoth = async (fs?: typeof promisesFs): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-render-bench-'));
  try {
    const writer = new ReportWriter(dir, { formats: ['json', 'md'], ...(fs && { fs }) });
    await writer.add(report);
    await writer.finish(() => 'summary\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

let round = 0;
for (; round <= rounds; round++) {
  await timed('renderJson', () => renderJson(report));
  await timed('renderMarkdown', () => renderMarkdown(report));
  // Alternated, so that both see the same machine.
  if (round % 2) {
    await timed('write', () => writeBoth());
    await timed('writePromises', () => writeBoth(promisesFs));
  } else {
    await timed('writePromises', () => writeBoth(promisesFs));
    await timed('write', () => writeBoth());
  }
}
console.log(`dist ${dist}, ${rounds} warm rounds, median CPU ms`);
for (const [name, xs] of Object.entries(times)) console.log(`${name.padEnd(16)} ${median(xs).toFixed(2)}`);
