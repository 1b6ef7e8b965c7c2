/**
 * Extraction and audit of the issue-14 article (2000 `{{cite web}}` references) once, in a fresh
 * process, as `citewatch check` does them: cold code, no warm-up. Per stage: the main thread's
 * CPU, the MB allocated on the JS heap (what the heap grew by between collections, from a
 * GCProfiler), the number of collections and their cost. `--from DIR` takes the stages from
 * another build's compiled `dist/` (the "before" of a comparison); the default is this
 * checkout's `dist/` (run `npm run build` first). Several processes in turn, A B A B, print one
 * line each; `--json` prints the figures as JSON.
 * Run: npx tsx bench/extract-cold.ts [--from /path/to/dist] [--article FILE] [--json]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExtractInput } from '../src/extract/index.js';
import { loadStages, measure, type StageFigures } from './bench-common.js';
import { arg } from './child-common.mjs';
import { workloadArticleText } from './extract-bench.js';

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = resolve(arg('from') ?? 'dist');
  const { extractArticle, auditArticle } = await loadStages(dist);
  const file = arg('article');
  const text = file ? readFileSync(file, 'utf8') : workloadArticleText();
  const input: ExtractInput = { text, path: 'bench-article.wiki', format: 'wikitext' };
  const [article, extract] = measure(() => extractArticle(input));
  const [findings, audit] = measure(() => auditArticle(article, { now: '2026-11-20T00:00:00Z' }));
  if (process.argv.includes('--json')) {
    console.log(
      JSON.stringify({
        dist,
        references: article.references.length,
        findings: findings.length,
        extract,
        audit,
      }),
    );
  } else {
    const f = (s: StageFigures): string =>
      `${s.cpuMs.toFixed(0)} ms CPU, ${s.allocatedMb.toFixed(1)} MB allocated, ${s.gcs} GCs (${s.gcMs.toFixed(1)} ms)`;
    console.log(
      `${dist}: ${article.references.length} references, ${findings.length} findings; extract ${f(extract)}; audit ${f(audit)}`,
    );
  }
}
