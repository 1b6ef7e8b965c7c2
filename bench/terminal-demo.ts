/**
 * A terminal run to look at (not a benchmark): starts the loopback simulator with live, dead,
 * blocked and failing links, writes a small article that cites them, and runs the built CLI on
 * this terminal, so the progress bar, the human log lines and the closing summary show as a
 * user sees them. `npm run build && npx tsx bench/terminal-demo.ts [extra CLI flags]`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cdxService, waybackService } from '../tests/support/services.js';
import { behaviours, startSimulator } from '../tests/support/simulator.js';

const ROOT = resolve(import.meta.dirname, '..');
const routes = {
  '/live/1': behaviours.ok(),
  '/live/2': behaviours.ok(),
  '/live/3': behaviours.ok(),
  '/gone/1': behaviours.notFound(),
  '/gone/2': behaviours.gone(),
  '/walled': behaviours.status(403, 'Forbidden'),
  '/challenge': behaviours.challenge(),
  '/broken': behaviours.status(503, 'Service Unavailable'),
  '/reset': behaviours.reset(),
};
const hosts = ['news.test', 'journal.test', 'blog.test', 'agency.test'];
const sim = await startSimulator([
  ...hosts.map((name) => ({ name, routes })),
  waybackService({}),
  cdxService({}),
]);
const ip = (host: string, path: string): string => {
  const u = new URL(sim.url(host, path));
  u.hostname = sim.addressOf(host);
  return u.href;
};
const dir = await mkdtemp(join(tmpdir(), 'citewatch-demo-'));
try {
  let refs = '';
  let n = 0;
  for (const host of hosts)
    for (const path of Object.keys(routes))
      refs += ` Claim ${++n}.<ref>{{cite web |url=${ip(host, path)} |title=Source ${n} |website=${host} |date=2025-01-01 |access-date=2025-06-01}}</ref>`;
  const article = join(dir, 'Demo article.wiki');
  await writeFile(
    article,
    `'''Demo''' is an article.${refs}\n\nA paragraph nobody sourced.{{citation needed|date=May 2025}}\n\n== References ==\n{{reflist}}\n`,
  );
  const args = [
    join(ROOT, 'bin', 'citewatch.js'),
    'check',
    article,
    '--out',
    join(dir, 'reports'),
    '--state',
    join(dir, 'state.sqlite'),
    '--allow-network',
    '127.0.0.0/8',
    '--per-host-interval',
    '250',
    '--endpoint',
    `wayback=${ip('archive.org', '/wayback/available')}`,
    '--endpoint',
    `cdx=${ip('web.archive.org', '/cdx/search/cdx')}`,
    ...process.argv.slice(2),
  ];
  const code = await new Promise<number>((done) =>
    spawn(process.execPath, args, { stdio: 'inherit' }).on('exit', (c) => done(c ?? 1)),
  );
  process.exitCode = code;
} finally {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
}
