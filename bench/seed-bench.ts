/**
 * Seed benchmark: extract + audit of the seed article in-process (warm), and a whole CLI run.
 * Targets (issue 2): ≤ 300 ms warm in-process, ≤ 1 s for the CLI.
 * Run: npx tsx bench/seed-bench.ts   (needs `npm run build` for the CLI part; `npm run bench`
 * reports the same figures in its table)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { auditArticle } from '../src/audit/index.js';
import { extractArticle } from '../src/extract/index.js';

const SEED = 'references/artificial-intelligence-industry-in-china.md';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export function benchSeedInProcess(runs = 50): { extractMs: number; auditMs: number; totalMs: number } {
  const text = readFileSync(SEED, 'utf8');
  const now = '2026-11-28T00:00:00.000Z';
  for (let i = 0; i < 5; i++) auditArticle(extractArticle({ text, path: SEED }), { now });
  const ex: number[] = [];
  const au: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const article = extractArticle({ text, path: SEED });
    const t1 = performance.now();
    auditArticle(article, { now });
    const t2 = performance.now();
    ex.push(t1 - t0);
    au.push(t2 - t1);
  }
  return { extractMs: median(ex), auditMs: median(au), totalMs: median(ex.map((e, i) => e + au[i]!)) };
}

/**
 * Median wall time of a whole offline CLI run over `references/`, each run a fresh `node`
 * process on the compiled CLI (`npm run build`), all runs sharing one state database as
 * nightly runs do. Without `--state` support (an older CLI), runs without it.
 */
export function benchSeedCli(runs = 5): { cliMs: number; withState: boolean } {
  const out = mkdtempSync(join(tmpdir(), 'cw-bench-'));
  const run = (extra: string[]) =>
    spawnSync(
      process.execPath,
      ['bin/citewatch.js', 'check', 'references/', '--out', out, '--offline', '--quiet', ...extra],
      {
        encoding: 'utf8',
      },
    );
  const times: number[] = [];
  try {
    let extra = ['--state', join(out, 'state.sqlite')];
    if (run(extra).status === 2) extra = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = run(extra);
      times.push(performance.now() - t0);
      if (r.status !== 0 && r.status !== 1) throw new Error(`CLI exited ${r.status}: ${r.stderr}`);
    }
    return { cliMs: median(times), withState: extra.length > 0 };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const inProcess = benchSeedInProcess();
  const cli = benchSeedCli();
  console.log('| seed (56 KB, 93 refs) | median |');
  console.log('| --- | ---: |');
  console.log(`| extract, in-process warm | ${inProcess.extractMs.toFixed(1)} ms |`);
  console.log(`| audit, in-process warm | ${inProcess.auditMs.toFixed(1)} ms |`);
  console.log(`| extract + audit (target ≤ 300 ms) | ${inProcess.totalMs.toFixed(1)} ms |`);
  console.log(
    `| whole CLI run, --offline${cli.withState ? ' --state' : ''} (target ≤ 1 s) | ${cli.cliMs.toFixed(0)} ms |`,
  );
}
