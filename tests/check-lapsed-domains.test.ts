/**
 * Lapsed domains (issue 12): a resolver's "no such domain" (NXDOMAIN) is a dead signal for that
 * link, not evidence that the network is down. Whole `check` runs through the real fetcher on
 * the loopback simulator, whose resolver answers ENOTFOUND for names it does not play.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/model.js';
import { resolveCheckOptions } from '../src/options.js';
import { runCheck } from '../src/pipeline.js';
import { cdxService, simulatedEndpoints, waybackService } from './support/services.js';
import { type Simulator, startSimulator } from './support/simulator.js';
import { writtenReports } from './support/written-reports.js';

let dir: string;
let sim: Simulator | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citewatch-lapsed-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const day = (n: number): string => new Date(Date.parse('2026-11-01T02:17:00Z') + n * DAY).toISOString();

/** Names the simulator's resolver does not know: ENOTFOUND, as for a lapsed registration. */
const LAPSED = ['http://gone1.test/a', 'http://gone2.test/b', 'http://gone3.test/c', 'http://gone4.test/d'];

async function writeArticle(urls: readonly string[]): Promise<string> {
  const refs = urls
    .map(
      (url, i) =>
        `Claim ${i + 1}.<ref>{{cite web |url=${url} |title=Source ${i + 1} |website=Example |access-date=2026-01-05}}</ref>`,
    )
    .join(' ');
  const path = join(dir, 'lapsed.wiki');
  await writeFile(path, `'''Lapsed''' is a test subject. ${refs}\n\n== References ==\n{{reflist}}\n`);
  return path;
}

async function run(path: string, now: string, endpoints: Record<string, string>): Promise<Report> {
  const options = resolveCheckOptions({
    inputs: [path],
    out: join(dir, 'reports'),
    state: join(dir, 'state.sqlite'),
    now,
    allowNetwork: ['127.0.0.0/8'],
    endpoint: Object.entries(endpoints).map(([k, v]) => `${k}=${v}`),
    perHostInterval: 0,
  });
  const result = await runCheck(options, { fetcherDeps: { lookup: sim!.lookup } });
  return (await writtenReports(result))[0]!;
}

const checks = (report: Report) => report.article.references.flatMap((r) => r.links.map((l) => l.check));

describe('an article whose only links are lapsed domains', () => {
  it('regression: gets them confirmed dead over the confirmation runs, not skipped as offline', async () => {
    sim = await startSimulator([waybackService({}), cdxService({})]);
    const endpoints = { ...simulatedEndpoints(sim) };
    const path = await writeArticle(LAPSED);

    const first = await run(path, day(0), endpoints);
    expect(first.run.offline).toBe(false);
    expect(checks(first).map((c) => [c?.outcome, c?.verdict, c?.reason])).toEqual(
      LAPSED.map(() => ['dead', 'suspect', 'dns-not-found']),
    );
    await run(path, day(3), endpoints);
    const third = await run(path, day(6), endpoints);
    expect(checks(third).map((c) => [c?.verdict, c?.streak])).toEqual(LAPSED.map(() => ['dead', 3]));
    expect(third.findings.filter((f) => f.kind === 'dead-link')).toHaveLength(LAPSED.length);
  });

  it('when the archive does not answer either, nothing was reached: the run is offline, nothing is recorded', async () => {
    sim = await startSimulator([cdxService({})]);
    // simulatedEndpoints points the Wayback API at a name nothing resolves.
    const endpoints = { ...simulatedEndpoints(sim) };
    const path = await writeArticle(LAPSED);
    const first = await run(path, day(0), endpoints);
    expect(first.run.offline).toBe(true);
    expect(checks(first).map((c) => [c?.outcome, c?.reason])).toEqual(
      LAPSED.map(() => ['skipped', 'offline']),
    );
    // Nothing was kept: a later run starts the streak from scratch.
    await sim.close();
    sim = await startSimulator([waybackService({}), cdxService({})]);
    const later = await run(path, day(1), { ...simulatedEndpoints(sim) });
    expect(checks(later).map((c) => [c?.verdict, c?.streak])).toEqual(LAPSED.map(() => ['suspect', 1]));
  });

  it('regression: a run whose only network work is identifiers, with no name resolving at all, is offline', async () => {
    // The seed article on a machine without DNS: every DOI lookup answered "no such name".
    sim = await startSimulator([cdxService({})]);
    const path = join(dir, 'dois.wiki');
    await writeFile(
      path,
      `'''DOIs''' only. A claim.<ref>{{cite journal |title=A paper |journal=J |date=2020 |doi=10.1000/abc}}</ref> Another.<ref>{{cite journal |title=B paper |journal=J |date=2021 |doi=10.1000/def}}</ref>\n\n== References ==\n{{reflist}}\n`,
    );
    const report = await run(path, day(0), { ...simulatedEndpoints(sim) });
    expect(report.run.offline).toBe(true);
    const dois = report.article.references.flatMap((r) => r.identifierChecks.filter((c) => c.kind === 'doi'));
    expect(dois.length).toBeGreaterThan(0);
    for (const c of dois) expect(c.outcome === 'error' || c.reason === 'dns-not-found').toBe(false);
  });
});
