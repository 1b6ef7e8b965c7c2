/**
 * Scale of the audit (issue 11): articles far larger than real ones, extracted and audited by
 * the compiled code in a process of its own (wall time of extract + audit, peak RSS):
 * - 50 000 references from one newspaper (wikitext, each cited once, none a duplicate): the
 *   duplicate rule once compared every pair sharing a venue (6000 crashed it);
 * - one paragraph with 50 000 citations (of 500 references), in each input format: placing each
 *   marker on its sentence once scanned every sentence (110 s in wikitext).
 * The inputs come from `tests/support/large-articles.ts`, the generator the scale tests use.
 * `--dist DIR` measures another build (the figures "before" in `bench/README.md` came from the
 * commit before the fix, built into its own folder).
 * Run alone: npx tsx bench/audit-scale-bench.ts [--quick] [--dist DIR] [--size N]
 *   [--only references,wikitext,html,markdown]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InputFormat } from '../src/model.js';
import { paragraphArticle, sameVenueArticle } from '../tests/support/large-articles.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface AuditScaleRun {
  label: string;
  format: InputFormat;
  inputBytes: number;
  /** False when the run threw (the error says what). */
  ok: boolean;
  error?: string;
  /** Extract + audit, in the child, from the text in memory to the findings. */
  wallMs: number;
  extractMs?: number;
  auditMs?: number;
  peakRssMb: number;
  references?: number;
  citations?: number;
  duplicates?: number;
}

/** The measured process: reads the input, extracts and audits it with the build in `dist`. */
const CHILD = `
const [file, format, dist] = process.argv.slice(1);
const { readFileSync } = await import('node:fs');
const { extractArticle } = await import(dist + '/extract/index.js');
const { auditArticle } = await import(dist + '/audit/index.js');
const text = readFileSync(file, 'utf8');
const t0 = performance.now();
let result;
try {
  const article = extractArticle({ text, format, path: file });
  const t1 = performance.now();
  const findings = auditArticle(article, { now: '2026-12-01T00:00:00.000Z' });
  const t2 = performance.now();
  result = { ok: true, wallMs: t2 - t0, extractMs: t1 - t0, auditMs: t2 - t1,
    references: article.references.length, citations: article.citations.length,
    duplicates: findings.filter((f) => f.kind === 'duplicate-reference').length };
} catch (e) {
  const cause = e && e.cause ? e.cause : e;
  result = { ok: false, wallMs: performance.now() - t0, error: String(cause && cause.message ? cause.message : cause) };
}
result.peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(result));`;

function runChild(
  dir: string,
  label: string,
  format: InputFormat,
  text: string,
  dist: string,
): AuditScaleRun {
  const file = join(dir, `input-${format}`);
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, file, format, dist], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  const inputBytes = Buffer.byteLength(text);
  if (!last.startsWith('{')) {
    // A crash of the process itself (out of memory): no figures but what the error says.
    const error = r.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit ${r.status}`;
    return { label, format, inputBytes, ok: false, error, wallMs: Number.NaN, peakRssMb: Number.NaN };
  }
  return {
    label,
    format,
    inputBytes,
    ...(JSON.parse(last) as Omit<AuditScaleRun, 'label' | 'format' | 'inputBytes'>),
  };
}

/** Every run of the section, in order. */
export function benchAuditScale(
  options: { quick?: boolean; dist?: string; size?: number; only?: readonly string[] } = {},
): AuditScaleRun[] {
  const n = options.size ?? (options.quick ? 5000 : 50_000);
  const wanted = (name: string): boolean => options.only === undefined || options.only.includes(name);
  const dist = options.dist ?? join(ROOT, 'dist');
  const dir = mkdtempSync(join(tmpdir(), 'cw-audit-scale-'));
  const count = n.toLocaleString('en-US');
  try {
    const runs: AuditScaleRun[] = [];
    if (wanted('references'))
      runs.push(
        runChild(dir, `${count} references from one newspaper`, 'wikitext', sameVenueArticle(n), dist),
      );
    for (const format of ['wikitext', 'html', 'markdown'] as const) {
      if (!wanted(format)) continue;
      runs.push(
        runChild(dir, `${count} citations in one paragraph`, format, paragraphArticle(format, n), dist),
      );
    }
    return runs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at === -1 ? undefined : process.argv[at + 1];
  };
  const dist = flag('--dist');
  const size = flag('--size');
  const only = flag('--only');
  for (const run of benchAuditScale({
    quick: process.argv.includes('--quick'),
    ...(dist && { dist }),
    ...(size && { size: Number(size) }),
    ...(only && { only: only.split(',') }),
  }))
    console.log(JSON.stringify(run));
}
