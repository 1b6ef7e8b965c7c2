/**
 * Many articles in one run: the 35 wikitext articles of the corpus written 100 times (3500
 * articles, 86 MB; each copy's URLs made distinct with `?k=N`), checked `--offline` by the
 * compiled CLI in a process of its own: wall time and peak RSS, with Node's default young
 * generation and with a 2 MB one (the flag that shrinks the fetcher's benchmarks).
 * Run alone: npx tsx bench/articles-bench.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = '/work/shared/corpus/wikitext';
const URL_END = /(https?:\/\/[^\s|}<\]]*)/g;

export interface ArticlesRun {
  nodeFlags: string[];
  articles: number;
  inputBytes: number;
  wallMs: number;
  peakRssMb: number;
}

/** Writes `copies` × the corpus into a fresh folder; returns it and its size. */
function writeArticles(copies: number): { dir: string; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'cw-articles-'));
  const inputs = join(dir, 'in');
  mkdirSync(inputs);
  let bytes = 0;
  for (const file of readdirSync(CORPUS)) {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    for (let k = 1; k <= copies; k++) {
      const copy = text.replace(URL_END, (url) => `${url}${url.includes('?') ? '&' : '?'}k=${k}`);
      writeFileSync(join(inputs, `${file.replace(/\.txt$/, '')}-${k}.wiki`), copy);
      bytes += Buffer.byteLength(copy);
    }
  }
  return { dir, bytes };
}

/** One offline CLI run over the folder, in its own process; its peak RSS from `resourceUsage`. */
function runCli(dir: string, nodeFlags: string[]): { wallMs: number; peakRssMb: number } {
  const out = join(dir, 'out');
  rmSync(out, { recursive: true, force: true });
  const script = `const { main } = await import(${JSON.stringify(join(ROOT, 'dist', 'cli.js'))});
const t0 = performance.now();
const code = await main(['check', ${JSON.stringify(join(dir, 'in'))}, '--out', ${JSON.stringify(out)}, '--state', ${JSON.stringify(join(out, 'state.sqlite'))}, '--offline', '--quiet']);
console.log(JSON.stringify({ code, wallMs: performance.now() - t0, peakRssMb: process.resourceUsage().maxRSS / 1024 }));`;
  const r = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`articles bench: ${r.stderr.slice(-2000)}`);
  const { code, wallMs, peakRssMb } = JSON.parse(last) as { code: number; wallMs: number; peakRssMb: number };
  if (code !== 0) throw new Error(`articles bench: the CLI exited ${code}`);
  return { wallMs, peakRssMb };
}

export function benchArticles(quick = false): ArticlesRun[] {
  const copies = quick ? 10 : 100;
  const { dir, bytes } = writeArticles(copies);
  try {
    const articles = readdirSync(CORPUS).length * copies;
    return [[], ['--max-semi-space-size=2']].map((nodeFlags) => ({
      nodeFlags,
      articles,
      inputBytes: bytes,
      ...runCli(dir, nodeFlags),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const run of benchArticles(process.argv.includes('--quick'))) console.log(JSON.stringify(run));
}
