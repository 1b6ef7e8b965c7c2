/**
 * What extracting and auditing the issue-14 article (2000 `{{cite web}}` references) allocates,
 * garbage included, by function: the inspector's sampling heap profiler (one sample per KB)
 * keeping the objects collected by scavenges and full collections. A deterministic figure to
 * compare builds where CPU time is noise; builtins (`push`, `exec`, iterator `next`) are named
 * with the function that called them. `--from DIR` takes the stages from another build's
 * compiled `dist/` (the "before" of a comparison); the default is this checkout's `dist/`.
 * Run: npx tsx bench/extract-alloc.ts [--from /path/to/dist] [--article FILE] [--top 40]
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { loadStages } from './bench-common.js';
import { arg } from './child-common.mjs';
import { workloadArticleText } from './extract-bench.js';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

const dist = resolve(arg('from') ?? 'dist');
const { extractArticle, auditArticle } = await loadStages(dist);
const file = arg('article');
const text = file ? readFileSync(file, 'utf8') : workloadArticleText();

const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const article = extractArticle({ text, path: 'bench-article.wiki', format: 'wikitext' });
const findings = auditArticle(article, { now: '2026-11-20T00:00:00Z' });
const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
session.disconnect();

const bytes = new Map<string, number>();
let total = 0;
const nameOf = (n: SamplingNode): string =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*\/dist\//, '')}:${n.callFrame.lineNumber + 1}`;
const walk = (n: SamplingNode, caller: string): void => {
  total += n.selfSize;
  const key = n.callFrame.url ? nameOf(n) : `${nameOf(n)} <- ${caller}`;
  bytes.set(key, (bytes.get(key) ?? 0) + n.selfSize);
  for (const c of n.children) walk(c, nameOf(n));
};
walk(profile.head, '');
const mb = (b: number): string => (b / 1048576).toFixed(2);
console.log(
  `${dist}: ${article.references.length} references, ${findings.length} findings; ${mb(total)} MB allocated`,
);
const top = Number(arg('top') ?? 30);
for (const [name, b] of [...bytes].sort((x, y) => y[1] - x[1]).slice(0, top))
  console.log(`${mb(b).padStart(7)}  ${name}`);
