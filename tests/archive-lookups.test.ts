/**
 * Issue 12 — Wayback lookups that fail are "unknown", never "none found"; archive copies are
 * judged as archive copies; undated citations say which capture they got. Whole `check` runs
 * against the loopback simulator playing the web, the availability API and CDX.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/model.js';
import { resolveCheckOptions } from '../src/options.js';
import { type RunDeps, runCheck } from '../src/pipeline.js';
import { cdxService, doiService, simulatedEndpoints, waybackService } from './support/services.js';
import { behaviours, type SimHost, type Simulator, startSimulator } from './support/simulator.js';
import { writtenReports } from './support/written-reports.js';

let dir: string;
let sim: Simulator | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citewatch-archive-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

const NOW = '2026-11-20T02:17:00.000Z';

async function writeArticle(name: string, cites: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(
    path,
    `'''Subject''' is a test subject. ${cites.map((c, i) => `Claim ${i + 1}.<ref>${c}</ref>`).join(' ')}\n\n== References ==\n{{reflist}}\n`,
  );
  return path;
}

const citeWeb = (url: string, extra = '|access-date=2020-06-15'): string =>
  `{{cite web |url=${url} |title=Source |website=Example ${extra}}}`;

async function run(flags: Record<string, unknown>, inputs: string[], deps: RunDeps = {}): Promise<Report[]> {
  const s = sim!;
  const options = resolveCheckOptions({
    inputs,
    out: join(dir, 'reports'),
    state: join(dir, 'state.sqlite'),
    now: NOW,
    allowNetwork: ['127.0.0.0/8'],
    endpoint: Object.entries(simulatedEndpoints(s)).map(([k, v]) => `${k}=${v}`),
    perHostInterval: 0,
    confirm: 1,
    ...flags,
  });
  const result = await runCheck(options, {
    fetcherDeps: { lookup: s.lookup, sleep: () => Promise.resolve() },
    ...deps,
  });
  return writtenReports(result);
}

const linkOf = (report: Report, url: string) =>
  report.article.references.flatMap((r) => r.links).find((l) => l.url === url);

/** CDX's answer for a site the Wayback Machine has blocked (recorded shape). */
const cdxBlocked = (): SimHost => ({
  name: 'web.archive.org',
  routes: {
    '/cdx/search/cdx': behaviours.status(
      403,
      'org.archive.util.io.RuntimeIOException: org.archive.wayback.exception.AdministrativeAccessControlException: Blocked Site Error\n',
      { 'content-type': 'text/plain' },
    ),
  },
});

const lookupRows = (): number => {
  const db = new Database(join(dir, 'state.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM snapshot_lookups').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('a failed Wayback lookup is unknown, not "none found"', () => {
  it('429 from availability and a blocked CDX: no {{dead link}} in the finding, the report or --patch; asked again next run', async () => {
    sim = await startSimulator([
      { name: 'news.test', routes: { '/gone': behaviours.notFound() } },
      waybackService({}, 'archive.org', { failWith: 429 }),
      cdxBlocked(),
      doiService({}),
    ]);
    const gone = sim.url('news.test', '/gone');
    const path = await writeArticle('a.wiki', [citeWeb(gone)]);
    const out = join(dir, 'a.fixed.wiki');
    const [report] = await run({ patch: out }, [path]);
    const check = linkOf(report!, gone)?.check;
    expect(check).toMatchObject({ verdict: 'dead', snapshotLookup: 'failed' });
    expect(check?.snapshot).toBeUndefined();
    const finding = report!.findings.find((f) => f.kind === 'dead-link');
    expect(finding?.suggestion).toBeUndefined();
    expect(finding?.message).toContain('lookup failed');
    const md = await readFile(join(dir, 'reports', 'a.md'), 'utf8');
    expect(md).toContain('lookup failed, will retry');
    expect(md).not.toContain('no snapshot found');
    expect(md).not.toContain('dead link|');
    expect(await readFile(out, 'utf8')).not.toMatch(/dead link/i);
    // Not believed for 30 days like "none found": nothing is remembered.
    expect(lookupRows()).toBe(0);
  });

  it('the archive answers "none" (both APIs): {{dead link}} is suggested and written, and remembered', async () => {
    sim = await startSimulator([
      { name: 'news.test', routes: { '/gone': behaviours.notFound() } },
      waybackService({}),
      cdxService({}),
      doiService({}),
    ]);
    const gone = sim.url('news.test', '/gone');
    const path = await writeArticle('b.wiki', [citeWeb(gone)]);
    const out = join(dir, 'b.fixed.wiki');
    const [report] = await run({ patch: out }, [path]);
    expect(linkOf(report!, gone)?.check).toMatchObject({ verdict: 'dead', snapshotLookup: 'none' });
    expect(report!.findings.find((f) => f.kind === 'dead-link')?.suggestion).toMatch(/^\{\{dead link\|/);
    expect(await readFile(out, 'utf8')).toContain('{{dead link|date=November 2026|bot=citewatch}}');
    expect(lookupRows()).toBe(1);
  });

  it('a 429 from the availability API falls back to CDX, which finds the capture', async () => {
    sim = await startSimulator([
      { name: 'news.test', routes: { '/gone': behaviours.notFound() } },
      waybackService({}, 'archive.org', { failWith: 429 }),
      doiService({}),
    ]);
    const gone = sim.url('news.test', '/gone');
    // CDX's replay URL is on its own host; the capture is served there and passes the page checks.
    const cdx = cdxService({ [gone]: [{ timestamp: '20200601000000' }] });
    await sim.addHost({
      ...cdx,
      routes: { ...cdx.routes, [`/web/20200601000000/${gone}`]: behaviours.ok() },
    });
    const path = await writeArticle('c.wiki', [citeWeb(gone)]);
    const [report] = await run({}, [path]);
    expect(linkOf(report!, gone)?.check).toMatchObject({
      snapshotLookup: 'found',
      snapshot: { timestamp: '20200601000000' },
    });
  });
});

describe('the good capture before the access date, then after', () => {
  it('takes the capture before the access date even when one after is closer', async () => {
    sim = await startSimulator([
      { name: 'news.test', routes: { '/gone': behaviours.notFound() } },
      cdxService({}),
      doiService({}),
    ]);
    const gone = sim.url('news.test', '/gone');
    await sim.addHost(
      waybackService({
        [gone]: [
          { timestamp: '20200101000000' },
          { timestamp: '20200614000000', status: '404' },
          { timestamp: '20200616000000' },
        ],
      }),
    );
    const path = await writeArticle('d.wiki', [citeWeb(gone)]);
    const [report] = await run({}, [path]);
    expect(linkOf(report!, gone)?.check?.snapshot?.timestamp).toBe('20200101000000');
  });

  it('falls back to the capture after the access date when there is none before', async () => {
    sim = await startSimulator([
      { name: 'news.test', routes: { '/gone': behaviours.notFound() } },
      cdxService({}),
      doiService({}),
    ]);
    const gone = sim.url('news.test', '/gone');
    await sim.addHost(waybackService({ [gone]: [{ timestamp: '20210301000000' }] }));
    const path = await writeArticle('e.wiki', [citeWeb(gone)]);
    const [report] = await run({}, [path]);
    expect(linkOf(report!, gone)?.check?.snapshot?.timestamp).toBe('20210301000000');
  });

  it('an undated citation gets the capture before the run date and says so: check it by eye', async () => {
    sim = await startSimulator([
      { name: 'news.test', routes: { '/gone': behaviours.notFound() } },
      cdxService({}),
      doiService({}),
    ]);
    const gone = sim.url('news.test', '/gone');
    await sim.addHost(
      waybackService({ [gone]: [{ timestamp: '20190101000000' }, { timestamp: '20261125000000' }] }),
    );
    const path = await writeArticle('f.wiki', [citeWeb(gone, '')]);
    const [report] = await run({}, [path]);
    const check = linkOf(report!, gone)?.check;
    expect(check).toMatchObject({ snapshotBefore: '2026-11-20', snapshot: { timestamp: '20190101000000' } });
    const finding = report!.findings.find((f) => f.kind === 'dead-link');
    expect(finding?.message).toContain('Undated citation: the snapshot is the one closest before 2026-11-20');
    const md = await readFile(join(dir, 'reports', 'f.md'), 'utf8');
    expect(md).toContain(
      'undated citation: snapshot closest before 2026-11-20 — check it shows the cited content',
    );
  });
});

const EXCLUDED_PAGE = `<!DOCTYPE html><html><head><title>Wayback Machine</title></head><body>
<h2 id="livewebInfo" class="blue">Hrm.</h2>
<p class="code">Sorry.</p><p class="code shift target">This URL has been excluded from the Wayback Machine.</p>
</body></html>`;

describe('snapshots are judged before they replace a dead link', () => {
  it('a capture that shows Wayback\'s "excluded" page is not recommended, and gets no {{dead link}} either', async () => {
    sim = await startSimulator([
      { name: 'news.test', routes: { '/gone': behaviours.notFound() } },
      doiService({}),
    ]);
    const gone = sim.url('news.test', '/gone');
    const replayPath = `/web/20200101000000/${gone}`;
    await sim.addHost({
      name: 'web.archive.org',
      routes: {
        ...cdxService({}).routes,
        [replayPath]: behaviours.status(200, EXCLUDED_PAGE, { 'content-type': 'text/html' }),
      },
    });
    const replay = sim.url('web.archive.org', replayPath);
    await sim.addHost(waybackService({ [gone]: [{ timestamp: '20200101000000', replayUrl: replay }] }));
    const path = await writeArticle('h.wiki', [citeWeb(gone)]);
    const out = join(dir, 'h.fixed.wiki');
    const [report] = await run({ patch: out }, [path]);
    const check = linkOf(report!, gone)?.check;
    expect(check?.snapshot).toBeUndefined();
    expect(check?.snapshotLookup).toBe('unusable');
    expect(report!.findings.find((f) => f.kind === 'dead-link')?.suggestion).toBeUndefined();
    const patched = await readFile(out, 'utf8');
    expect(patched).not.toContain(replayPath);
    expect(patched).not.toMatch(/dead link/i);
  });
});

describe("the citation's own archive copy", () => {
  const EXCLUDED = `<!DOCTYPE html><html><head><title>Wayback Machine</title></head><body>
<div id="wm-ipp-base"></div><div id="positionHome"><section><div id="error">
<h2 id="livewebInfo" class="blue">Hrm.</h2>
<p class="code">Sorry.</p><p class="code shift target">This URL has been excluded from the Wayback Machine.</p>
</div></section></div></body></html>`;

  it('an "excluded" page served with 200 is not a usable copy; a 429 is blocked, not unusable', async () => {
    sim = await startSimulator([
      { name: 'news.test', routes: { '/a': behaviours.ok(), '/b': behaviours.ok() } },
      {
        name: 'web.archive.org',
        routes: {
          '/web/20200101000000/https://news.test/a': behaviours.status(200, EXCLUDED, {
            'content-type': 'text/html; charset=utf-8',
          }),
          '/web/20200101000000/https://news.test/b': behaviours.status(429, 'Too Many Requests', {
            'retry-after': '1',
          }),
        },
      },
      waybackService({}),
      doiService({}),
    ]);
    const archiveA = sim.url('web.archive.org', '/web/20200101000000/https://news.test/a');
    const archiveB = sim.url('web.archive.org', '/web/20200101000000/https://news.test/b');
    const path = await writeArticle('g.wiki', [
      citeWeb(
        sim.url('news.test', '/a'),
        `|access-date=2020-01-01 |archive-url=${archiveA} |archive-date=2020-01-01`,
      ),
      citeWeb(
        sim.url('news.test', '/b'),
        `|access-date=2020-01-01 |archive-url=${archiveB} |archive-date=2020-01-01`,
      ),
    ]);
    const [report] = await run({}, [path]);
    expect(linkOf(report!, archiveA)?.check).toMatchObject({ outcome: 'dead', reason: 'archive-excluded' });
    expect(linkOf(report!, archiveB)?.check).toMatchObject({ outcome: 'blocked' });
    const unusable = report!.findings.filter((f) => f.kind === 'archive-link-dead');
    expect(unusable).toHaveLength(1);
    expect(unusable[0]!.message).toContain('excluded');
    const blocked = report!.findings.find((f) => f.kind === 'blocked-link');
    expect(blocked?.message).toContain('could not be checked');
    expect(blocked?.message).not.toContain('not usable');
  });
});
