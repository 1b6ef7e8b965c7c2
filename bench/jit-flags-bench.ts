/**
 * What V8's optimising compiler (TurboFan) costs a run, and what Node flags that make it optimise
 * later (`--interrupt-budget`, 8 times V8's 66 KB of bytecode run before a function is judged
 * hot) or never (`--no-opt`) give instead. The CLI runs in a process of its own with each set
 * of flags in turn, round after round (so every variant sees the same machine): the 2000-link
 * article `--offline`, then, with `--online`, the same article against the loopback simulator,
 * and with `--articles N`, N corpus articles offline. CPU = user + system of the whole process,
 * the compiler's background threads included. Prints each variant's runs, its median and its
 * paired difference from no flags. The flag variants run the ES module bundle
 * (`dist/cli.bundle.js`), which sets no flag itself; the last runs what `bin/citewatch.js` runs
 * (`bin/cli-script.js`: the code cache, and the interrupt budget it sets for itself).
 * Run alone: npx tsx bench/jit-flags-bench.ts [--rounds 8] [--online] [--articles 1000]
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArticles } from './articles-bench.js';
import { arg } from './child-common.mjs';
import { runCli } from './cli-web-bench.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(ROOT, 'dist', 'cli.bundle.js');
const LAUNCHER = join(ROOT, 'bin', 'cli-script.js');

/** The flag sets compared, each with the CLI it runs; the first is the baseline of the paired differences. */
const VARIANTS: ReadonlyArray<readonly [string, string[], string]> = [
  ['no flags', [], BUNDLE],
  ['--interrupt-budget=540672', ['--interrupt-budget=540672'], BUNDLE],
  ['--no-opt', ['--no-opt'], BUNDLE],
  ['the launcher (bin)', [], LAUNCHER],
];

interface Sample {
  cpuMs: number;
  peakRssMb: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function print(title: string, samples: ReadonlyMap<string, Sample[]>): void {
  console.log(`\n${title}`);
  const base = samples.get(VARIANTS[0]![0])!;
  for (const [name] of VARIANTS) {
    const runs = samples.get(name)!;
    const cpu = runs.map((r) => r.cpuMs);
    const rss = runs.map((r) => r.peakRssMb);
    let line = `${name.padEnd(28)} CPU ${cpu.map((c) => c.toFixed(0)).join(', ')} ms; median ${median(cpu).toFixed(0)} ms; peak RSS median ${median(rss).toFixed(0)} MB`;
    if (runs !== base) {
      const diffs = runs.map((r, i) => r.cpuMs - base[i]!.cpuMs);
      line += `; paired ${median(diffs) > 0 ? '+' : ''}${median(diffs).toFixed(0)} ms, lower in ${diffs.filter((d) => d < 0).length} of ${diffs.length}`;
    }
    console.log(line);
  }
}

const rounds = Number(arg('rounds') ?? 8);
const online = process.argv.includes('--online');
const articles = arg('articles');

const workloads: Array<[string, (flags: string[], cli: string) => Promise<Sample>]> = [
  [
    'the 2000-link article --offline',
    (nodeFlags, cli) => runCli({ links: 2000 }, 20, { offline: true, nodeFlags, cli }),
  ],
];
if (online)
  workloads.push([
    'the 2000-link article online (loopback simulator)',
    (nodeFlags, cli) => runCli({ links: 2000 }, 20, { nodeFlags, cli }),
  ]);
if (articles)
  workloads.push([
    `${articles} articles --offline`,
    async (nodeFlags, cli) => benchArticles([Number(articles)], { nodeFlags, cli })[0]!,
  ]);

for (const [title, run] of workloads) {
  const samples = new Map<string, Sample[]>(VARIANTS.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (const [name, flags, cli] of VARIANTS) {
      const { cpuMs, peakRssMb } = await run(flags, cli);
      samples.get(name)!.push({ cpuMs, peakRssMb });
    }
  print(`${title}, ${rounds} rounds`, samples);
}
