/**
 * The check stage's own work on many articles, offline, in process: each of 1000 articles (the
 * corpus's 35 wikitext articles in turn, extracted once beforehand) gets a link table, an
 * offline `checkLinks` and `apply`, as a run's per-article check does. The history answers
 * nothing (a first run), so the figures are the stage's bookkeeping alone, no SQLite.
 * Round 0 is cold (as in a CLI run); the later rounds are warm. `--dist` measures another build
 * (its `dist/` folder), for a before/after.
 * Run alone: npx tsx bench/check-stage-bench.ts [--dist path/to/dist] [--rounds 4]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpuMs } from './bench-common.js';
import { arg } from './child-common.mjs';
import { SHARED_CORPUS } from './extract-bench.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StageRound {
  round: number;
  articles: number;
  tableMs: number;
  checkMs: number;
  applyMs: number;
}

export async function benchCheckStage(
  dist = join(ROOT, 'dist'),
  rounds = 4,
  articles = 1000,
): Promise<StageRound[]> {
  const load = (path: string) => import(pathToFileURL(join(resolve(dist), path)).href);
  const { LinkTable, checkLinks } = await load('check/index.js');
  const { ENDPOINTS } = await load('defaults.js');
  const { extractArticle } = await load('extract/index.js');
  const dir = join(SHARED_CORPUS, 'wikitext');
  const corpus = readdirSync(dir)
    .sort()
    .map((f) => extractArticle({ text: readFileSync(join(dir, f), 'utf8'), path: f, format: 'wikitext' }));
  const now = '2026-11-20T00:00:00.000Z';
  const options = { now, offline: true, confirm: 3, endpoints: ENDPOINTS, snapshotsFor: [] };
  const deps = {
    fetcher: {
      fetch: () => Promise.reject(new Error('an offline check made a request')),
      stats: () => ({ requests: 0, bytes: 0, maxInFlightPerHost: 0, responses: 0, networkFailures: 0 }),
      close: async () => {},
    },
    history: { previous: () => [], previousOfMany: () => new Map(), previousIdentifier: () => [] },
  };
  const out: StageRound[] = [];
  for (let round = 0; round < rounds; round++) {
    const r: StageRound = { round, articles, tableMs: 0, checkMs: 0, applyMs: 0 };
    for (let i = 0; i < articles; i++) {
      const article = corpus[i % corpus.length];
      let t = cpuMs();
      const table = new LinkTable({ offline: true, now });
      table.add(article);
      r.tableMs += cpuMs() - t;
      t = cpuMs();
      const results = await checkLinks(table, options, deps);
      r.checkMs += cpuMs() - t;
      t = cpuMs();
      results.apply(article);
      r.applyMs += cpuMs() - t;
    }
    out.push({
      ...r,
      tableMs: Math.round(r.tableMs),
      checkMs: Math.round(r.checkMs),
      applyMs: Math.round(r.applyMs),
    });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchCheckStage(arg('dist'), Number(arg('rounds') ?? 4)))
    console.log(JSON.stringify(r));
}
