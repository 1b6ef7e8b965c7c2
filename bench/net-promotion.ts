/**
 * Do page bodies die young? The fetcher alone (`net-child.mjs`) over the web workload (2000
 * links, 50 hosts, 20 ms, 8 per host), run under `gc-census.mjs`: the share of the socket reads
 * (`ArrayBuffer`s) made between a full GC and the next minor GC that the minor GC cannot free.
 * Near 0 %: they die young. Near 100 %: old objects hold them, and they pile up until a full
 * GC (what made the online RSS peak). A deterministic figure where CPU time and RSS are noisy.
 * Bench only: the child runs with --expose-gc.
 * npx tsx bench/net-promotion.ts [--rounds 3] [--before OTHER/dist]   (dist/ by default)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveWorkload } from './web-bench.js';
import { generateWorkload } from './workload.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Census {
  samples: number;
  piledMb: number;
  keptByMinorGcMb: number;
  keptPercent: number;
}

function censusOf(
  dist: string,
  linksFile: string,
  hostsFile: string,
): Promise<Census & { peakRssMb: number }> {
  const args = [
    '--expose-gc',
    '--import',
    join(ROOT, 'bench', 'gc-census.mjs'),
    join(ROOT, 'bench', 'net-child.mjs'),
    '--module',
    join(dist, 'net', 'index.js'),
    '--links',
    linksFile,
    '--hosts',
    hostsFile,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      err += s;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const census = err.split('\n').find((l) => l.startsWith('{"census"'));
      const report = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !census || !report) {
        reject(new Error(`net-child exited ${code}: ${err.slice(-2000)}`));
        return;
      }
      resolve({
        ...(JSON.parse(census) as { census: Census }).census,
        peakRssMb: (JSON.parse(report) as { peakRssMb: number }).peakRssMb,
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argValue = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const rounds = Number(argValue('rounds') ?? 3);
  const before = argValue('before');
  const builds: Array<[string, string]> = [
    ...(before ? [['before', before] as [string, string]] : []),
    ['dist', join(ROOT, 'dist')],
  ];
  const web = await serveWorkload(generateWorkload({ links: 2000 }), 20);
  try {
    for (let i = 0; i < rounds; i++) {
      for (const [label, dist] of builds) {
        const c = await censusOf(dist, web.linksFile, web.hostsFile);
        console.log(
          `${label}: ${c.keptPercent} % of ${c.piledMb} MB of socket reads kept by a minor GC (${c.samples} samples); peak RSS ${c.peakRssMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await web.close();
  }
}
