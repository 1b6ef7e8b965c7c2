/**
 * Many articles in one run: the 35 wikitext articles of the corpus written over and over (each
 * copy's URLs made distinct with `?k=N`) to make 100, 1,000 and 10,000 articles, each set checked
 * `--offline` by the compiled CLI in a process of its own: wall time, CPU (user + system) and
 * peak RSS. The memory curve over the three sizes says whether a run holds every article (it
 * grows with the count) or streams them (it stays flat).
 * Run alone: npx tsx bench/articles-bench.ts [--quick] [--sizes 100,1000] [--cli BUILD/bin/cli-script.js | BUILD/dist/cli.bundle.js]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD_COMMON = new URL('child-common.mjs', import.meta.url).href;
const CORPUS = '/work/shared/corpus/wikitext';
const URL_END = /(https?:\/\/[^\s|}<\]]*)/g;

/** The article counts of the full run, and of `--quick`. */
export const ARTICLE_COUNTS = [100, 1_000, 10_000];
export const QUICK_ARTICLE_COUNTS = [100, 350];

export interface ArticlesRun {
  nodeFlags: string[];
  articles: number;
  inputBytes: number;
  wallMs: number;
  /** User + system CPU of the whole process. */
  cpuMs: number;
  peakRssMb: number;
}

/** Writes `count` articles (copies of the corpus, URLs made distinct) into a fresh folder. */
function writeArticles(count: number): { dir: string; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'cw-articles-'));
  const inputs = join(dir, 'in');
  mkdirSync(inputs);
  const corpus = readdirSync(CORPUS)
    .sort()
    .map((file) => ({ name: file.replace(/\.txt$/, ''), text: readFileSync(join(CORPUS, file), 'utf8') }));
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const { name, text } = corpus[i % corpus.length]!;
    const k = Math.floor(i / corpus.length) + 1;
    const copy = text.replace(URL_END, (url) => `${url}${url.includes('?') ? '&' : '?'}k=${k}`);
    writeFileSync(join(inputs, `${name}-${k}.wiki`), copy);
    bytes += Buffer.byteLength(copy);
  }
  return { dir, bytes };
}

/** One offline CLI run over the folder, in its own process; CPU and peak RSS from `resourceUsage`. */
function runCli(
  dir: string,
  nodeFlags: string[],
  cli: string,
): { wallMs: number; cpuMs: number; peakRssMb: number } {
  const out = join(dir, 'out');
  rmSync(out, { recursive: true, force: true });
  const script = `const t0 = performance.now();
const { loadCliMain } = await import(${JSON.stringify(CHILD_COMMON)});
const main = await loadCliMain(${JSON.stringify(cli)});
const code = await main(['check', ${JSON.stringify(join(dir, 'in'))}, '--out', ${JSON.stringify(out)}, '--state', ${JSON.stringify(join(out, 'state.sqlite'))}, '--offline', '--quiet'], { stdout: () => {}, stderr: (s) => process.stderr.write(s) });
const u = process.resourceUsage();
console.log(JSON.stringify({ code, wallMs: performance.now() - t0, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, peakRssMb: u.maxRSS / 1024 }));`;
  const r = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`articles bench: ${r.stderr.slice(-2000)}`);
  const { code, ...figures } = JSON.parse(last) as {
    code: number;
    wallMs: number;
    cpuMs: number;
    peakRssMb: number;
  };
  if (code !== 0) throw new Error(`articles bench: the CLI exited ${code}`);
  return figures;
}

export function benchArticles(
  counts: readonly number[] = ARTICLE_COUNTS,
  { cli = join(ROOT, 'bin', 'cli-script.js'), nodeFlags = [] as string[] } = {},
): ArticlesRun[] {
  return counts.map((articles) => {
    const { dir, bytes } = writeArticles(articles);
    try {
      return { nodeFlags, articles, inputBytes: bytes, ...runCli(dir, nodeFlags, cli) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const sizes = at('sizes')?.split(',').map(Number);
  const counts = sizes ?? (process.argv.includes('--quick') ? QUICK_ARTICLE_COUNTS : ARTICLE_COUNTS);
  const cli = at('cli');
  for (const run of benchArticles(counts, cli ? { cli } : {})) console.log(JSON.stringify(run));
}
