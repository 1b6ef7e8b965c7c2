/**
 * Whole `check` runs (the pipeline the CLI calls) against the loopback simulator, one after the
 * other with `--now` moving forward: confirmation across runs, recovery, blocked links, the
 * recheck cadence, changes since the last run, many articles sharing URLs, the trend chart,
 * `--patch`, `--archive` and offline runs. A fresh state database and report folder per test.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCitewatchError } from '../src/errors.js';
import type { Report } from '../src/model.js';
import { resolveCheckOptions } from '../src/options.js';
import { type RunDeps, type RunResult, runCheck } from '../src/pipeline.js';
import { validateReport } from '../src/report/json.js';
import { MANIFEST_FILE } from '../src/report/write.js';
import { MEDIAWIKI_PATH, mediawikiService } from './support/mediawiki.js';
import { cdxService, doiService, simulatedEndpoints, waybackService } from './support/services.js';
import { behaviours, type SimHost, type Simulator, startSimulator } from './support/simulator.js';
import { spnService } from './support/spn-service.js';

let dir: string;
let sim: Simulator | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citewatch-runs-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const day = (n: number): string => new Date(Date.parse('2026-11-01T02:17:00Z') + n * DAY).toISOString();

/** A wikitext article citing `urls` (one reference each), saved under `name`. */
async function writeArticle(name: string, title: string, urls: string[], extra = ''): Promise<string> {
  const refs = urls
    .map(
      (url, i) =>
        `Claim number ${i + 1} about ${title}.<ref>{{cite web |url=${url} |title=Source ${i + 1} |website=Example |date=2025-03-0${(i % 9) + 1} |access-date=2026-01-05}}</ref>`,
    )
    .join(' ');
  const path = join(dir, name);
  await writeFile(
    path,
    `'''${title}''' is a test subject. ${refs}${extra}\n\n== References ==\n{{reflist}}\n`,
  );
  return path;
}

function endpointFlags(s: Simulator): string[] {
  return Object.entries(simulatedEndpoints(s)).map(([k, v]) => `${k}=${v}`);
}

async function run(
  inputs: string[],
  now: string,
  flags: Record<string, unknown> = {},
  deps: RunDeps = {},
): Promise<Report[]> {
  const s = sim!;
  const options = resolveCheckOptions({
    inputs,
    out: join(dir, 'reports'),
    state: join(dir, 'state.sqlite'),
    now,
    allowNetwork: ['127.0.0.0/8'],
    endpoint: endpointFlags(s),
    perHostInterval: 0,
    ...flags,
  });
  // The reports as this run made them: without the manifest of the last run, the writer keeps
  // no report that says the same as before (with its run times, such as `cached`, unchanged).
  await rm(join(dir, 'reports', MANIFEST_FILE), { force: true });
  const result = await runCheck(options, { fetcherDeps: { lookup: s.lookup }, ...deps });
  return writtenReports(result);
}

/** The JSON reports a run wrote, in input order, each validated against the report schema. */
async function writtenReports(result: RunResult): Promise<Report[]> {
  const files = result.written.filter((p) => p.endsWith('.json'));
  expect(files).toHaveLength(result.articles.length);
  return Promise.all(files.map(async (p) => validateReport(JSON.parse(await readFile(p, 'utf8')))));
}

const linkOf = (report: Report, url: string) =>
  report.article.references.flatMap((r) => r.links).find((l) => l.url === url);

const hits = (s: Simulator, host: string, path: string): number =>
  s.requests.filter((r) => r.host === host && r.method === 'GET' && r.path === path).length;

/** The routes of news.test; tests change them between runs (the simulator reads them per request). */
let newsRoutes: NonNullable<SimHost['routes']>;

async function startWeb(extra: SimHost[] = []): Promise<Simulator> {
  newsRoutes = {
    '/live': behaviours.ok(),
    '/gone': behaviours.notFound(),
    '/flaky': behaviours.notFound(),
  };
  sim = await startSimulator([
    { name: 'news.test', routes: newsRoutes },
    { name: 'guarded.test', routes: { '/story': behaviours.challenge() } },
    waybackService({}),
    cdxService({}),
    doiService({}),
    ...extra,
  ]);
  return sim;
}

describe('confirmation across runs', () => {
  it('a 404 is suspect, then dead after three checks each three days after the previous; the alive link is reused', async () => {
    const s = await startWeb();
    const live = s.url('news.test', '/live');
    const gone = s.url('news.test', '/gone');
    const path = await writeArticle('alpha.wiki', 'Alpha', [live, gone]);

    const [first] = await run([path], day(0));
    expect(linkOf(first!, gone)?.check).toMatchObject({ outcome: 'dead', verdict: 'suspect', streak: 1 });
    expect(linkOf(first!, live)?.check).toMatchObject({ verdict: 'alive' });
    expect(first!.changes?.previousRunAt).toBeUndefined();
    expect(first!.findings.some((f) => f.kind === 'suspect-link')).toBe(true);

    // The next day a check of the suspect link would not count: it is not fetched.
    const [next] = await run([path], day(1));
    expect(linkOf(next!, gone)?.check).toMatchObject({ verdict: 'suspect', streak: 1, cached: true });
    expect(hits(s, 'news.test', '/gone')).toBe(1);

    const [second] = await run([path], day(3));
    expect(linkOf(second!, gone)?.check).toMatchObject({ verdict: 'suspect', streak: 2, counted: 2 });
    // Checked three days ago and alive: not fetched again.
    expect(linkOf(second!, live)?.check).toMatchObject({ verdict: 'alive', cached: true });
    expect(second!.run.savedByCadence).toBe(1);
    expect(hits(s, 'news.test', '/live')).toBe(1);

    const [third] = await run([path], day(6));
    const check = linkOf(third!, gone)?.check;
    expect(check).toMatchObject({ verdict: 'dead', streak: 3, since: day(0) });
    expect(third!.changes?.newlyDead.map((l) => l.url)).toEqual([gone]);
    const dead = third!.findings.find((f) => f.kind === 'dead-link');
    expect(dead?.suggestion).toMatch(/^\{\{dead link\|date=November 2026\}\}$/);
    expect(hits(s, 'news.test', '/gone')).toBe(3);

    const md = await readFile(join(dir, 'reports', 'alpha.md'), 'utf8');
    expect(md).toContain('## Dead links');
    expect(md).toContain('## Changes since the last run');
    expect(md).toMatch(/Newly dead: .*\/gone/);
    const summary = await readFile(join(dir, 'reports', 'summary.md'), 'utf8');
    expect(summary).toContain('trend.svg');
    const svg = await readFile(join(dir, 'reports', 'trend.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
  });

  it('three failures within one day stay suspect; the next day they are not refetched twice', async () => {
    const s = await startWeb();
    const gone = s.url('news.test', '/gone');
    const path = await writeArticle('beta.wiki', 'Beta', [gone]);
    await run([path], day(0));
    const [again] = await run([path], new Date(Date.parse(day(0)) + 3_600_000).toISOString());
    // Checked an hour ago: the suspect waits for its recheck spacing.
    expect(linkOf(again!, gone)?.check).toMatchObject({ verdict: 'suspect', cached: true, streak: 1 });
    expect(hits(s, 'news.test', '/gone')).toBe(1);
    const [full] = await run([path], new Date(Date.parse(day(0)) + 7_200_000).toISOString(), { full: true });
    expect(linkOf(full!, gone)?.check).toMatchObject({ verdict: 'suspect', streak: 2 });
    expect(hits(s, 'news.test', '/gone')).toBe(2);
  });

  it('a link that comes back is reported recovered and its streak starts again', async () => {
    const s = await startWeb();
    const flaky = s.url('news.test', '/flaky');
    const path = await writeArticle('gamma.wiki', 'Gamma', [flaky]);
    await run([path], day(0));
    await run([path], day(2));
    newsRoutes['/flaky'] = behaviours.ok();
    const [back] = await run([path], day(4));
    expect(linkOf(back!, flaky)?.check).toMatchObject({ verdict: 'alive', streak: 1, lastAliveAt: day(4) });
    expect(back!.changes?.recovered.map((l) => l.url)).toEqual([flaky]);
    newsRoutes['/flaky'] = behaviours.notFound();
    const [again] = await run([path], day(12));
    expect(linkOf(again!, flaky)?.check).toMatchObject({ verdict: 'suspect', streak: 1 });
  });

  it('a blocked link stays blocked, with how long it has lasted, and is never called dead', async () => {
    const s = await startWeb();
    const story = s.url('guarded.test', '/story');
    const path = await writeArticle('delta.wiki', 'Delta', [story]);
    for (const n of [0, 2, 4, 6]) await run([path], day(n));
    const [last] = await run([path], day(8));
    const check = linkOf(last!, story)?.check;
    expect(check).toMatchObject({ outcome: 'blocked', verdict: 'blocked', since: day(0) });
    expect(check?.streak).toBeGreaterThanOrEqual(4);
    expect(last!.findings.find((f) => f.kind === 'blocked-link')?.message).toMatch(/since 2026-11-01/);
    expect(last!.findings.some((f) => f.kind === 'dead-link')).toBe(false);
  });
});

describe('many articles', () => {
  it('fetches a URL cited by several articles once, and writes a report per article plus the summary', async () => {
    const s = await startWeb();
    const live = s.url('news.test', '/live');
    const gone = s.url('news.test', '/gone');
    const paths = [
      await writeArticle('one.wiki', 'One', [live, gone]),
      await writeArticle('two.wiki', 'Two', [live]),
      await writeArticle('three.wiki', 'Three', [gone, live]),
    ];
    const reports = await run(paths, day(0));
    expect(reports).toHaveLength(3);
    expect(hits(s, 'news.test', '/live')).toBe(1);
    expect(hits(s, 'news.test', '/gone')).toBe(1);
    for (const name of ['one', 'two', 'three']) {
      expect(existsSync(join(dir, 'reports', `${name}.json`))).toBe(true);
      expect(existsSync(join(dir, 'reports', `${name}.md`))).toBe(true);
    }
    const summary = await readFile(join(dir, 'reports', 'summary.md'), 'utf8');
    expect(summary.toLowerCase()).toMatch(/one[\s\S]*three|three[\s\S]*one/);
  });
});

describe('offline and bad input', () => {
  it('--offline sends nothing, calls nothing dead and leaves the baseline alone', async () => {
    const s = await startWeb();
    const gone = s.url('news.test', '/gone');
    const path = await writeArticle('epsilon.wiki', 'Epsilon', [gone]);
    const [offline] = await run([path], day(0), { offline: true });
    expect(offline!.run).toMatchObject({ offline: true, offlineReason: 'requested', requests: 0 });
    expect(linkOf(offline!, gone)?.check).toMatchObject({ outcome: 'skipped', reason: 'offline' });
    expect(s.requests).toHaveLength(0);
    const [online] = await run([path], day(1));
    // The offline run is no baseline: this is the first real comparison point.
    expect(online!.changes?.previousRunAt).toBeUndefined();
    expect(linkOf(online!, gone)?.check).toMatchObject({ verdict: 'suspect', streak: 1 });
  });

  it('a missing input stops the run before any report or state is written', async () => {
    await startWeb();
    const error = await run([join(dir, 'nope.wiki')], day(0)).catch((e: unknown) => e);
    expect(isCitewatchError(error)).toBe(true);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
    expect(existsSync(join(dir, 'state.sqlite'))).toBe(false);
  });
});

describe('--patch and --archive', () => {
  it('writes a patched copy for a confirmed dead link with a snapshot, never the input', async () => {
    const gonePath = '/gone';
    sim = await startSimulator([
      { name: 'news.test', routes: { [gonePath]: behaviours.notFound() } },
      cdxService({}),
      doiService({}),
    ]);
    const s = sim;
    const gone = s.url('news.test', gonePath);
    await s.addHost(waybackService({ [gone]: [{ timestamp: '20251201101010' }] }));
    const path = await writeArticle('zeta.wiki', 'Zeta', [gone]);
    const before = await readFile(path, 'utf8');
    const out = join(dir, 'zeta.fixed.wiki');
    const [report] = await run([path], day(0), { confirm: 1, patch: out });
    expect(linkOf(report!, gone)?.check?.snapshot?.timestamp).toBe('20251201101010');
    const patched = await readFile(out, 'utf8');
    expect(patched).toContain('web.archive.org/web/20251201101010/');
    expect(patched).toContain('|url-status=dead');
    expect(await readFile(path, 'utf8')).toBe(before);
    const overwrite = await run([path], day(1), { confirm: 1, patch: path }).catch((e: unknown) => e);
    expect(isCitewatchError(overwrite)).toBe(true);
  });

  it('--archive asks Save Page Now for live sources without a snapshot only', async () => {
    const spn = spnService({ name: 'web.archive.org', accessKey: 'key', secret: 'sekrit', clock: Date.now });
    sim = await startSimulator([
      {
        name: 'news.test',
        routes: { '/live': behaviours.ok(), '/gone': behaviours.notFound() },
      },
      waybackService({}),
      { ...spn.host, routes: { ...spn.host.routes, ...cdxService({}).routes } },
      doiService({}),
    ]);
    const s = sim;
    const live = s.url('news.test', '/live');
    const gone = s.url('news.test', '/gone');
    const path = await writeArticle('eta.wiki', 'Eta', [live, gone]);
    const [report] = await run(
      [path],
      day(0),
      { archive: true, spn: { accessKey: 'key', secret: 'sekrit' } },
      { sleep: async () => undefined },
    );
    expect(spn.submissions.map((x) => x.url)).toEqual([live]);
    expect(report!.archiveRequests?.map((a) => [a.url, a.status])).toEqual([[live, 'captured']]);
    const md = await readFile(join(dir, 'reports', 'eta.md'), 'utf8');
    expect(md).toContain('## Archive requests');
    expect(md).not.toContain('sekrit');
  });
});

describe('snapshots of live links', () => {
  it('looks up each live link once, keeps what it found in the state, and reports what to add', async () => {
    // The captures name the pages' URLs on the simulator, known once it runs: filled in then.
    const captures: Parameters<typeof waybackService>[0] = {};
    sim = await startSimulator([
      { name: 'news.test', routes: { '/kept': behaviours.ok(), '/unsaved': behaviours.ok() } },
      waybackService(captures),
      cdxService({}),
      doiService({}),
    ]);
    const s = sim;
    const kept = s.url('news.test', '/kept');
    const unsaved = s.url('news.test', '/unsaved');
    captures[kept] = [{ timestamp: '20260103040506' }];
    const path = await writeArticle('theta.wiki', 'Theta', [kept, unsaved]);
    // Lookups are batched (one POST can carry both), so requests are counted, not lookups.
    const lookups = () => s.requests.filter((r) => r.host === 'archive.org').length;

    const [first] = await run([path], day(0));
    const firstRun = lookups();
    expect(firstRun).toBeGreaterThan(0);
    expect(linkOf(first!, kept)?.check?.snapshot).toEqual({
      url: `https://web.archive.org/web/20260103040506/${kept}`,
      timestamp: '20260103040506',
    });
    expect(linkOf(first!, unsaved)?.check?.snapshot).toBeUndefined();
    const md = await readFile(join(dir, 'reports', 'theta.md'), 'utf8');
    expect(md).toContain('## Live links without an archive copy');
    expect(md).toContain('1 of 2 have one in the Wayback Machine');
    expect(md).toContain(
      `\\|archive-url=https://web.archive.org/web/20260103040506/${kept} \\|archive-date=2026-01-03 \\|url-status=live`,
    );

    // Eight days on both links are fetched again (past the 7-day cadence), but the snapshot
    // found is reused and the miss is believed for 30 days: no lookup at all.
    const [second] = await run([path], day(8));
    expect(lookups()).toBe(firstRun);
    expect(linkOf(second!, kept)?.check?.snapshot?.timestamp).toBe('20260103040506');

    // 31 days after the miss, it is asked again.
    const [third] = await run([path], day(31));
    expect(lookups()).toBeGreaterThan(firstRun);
    expect(linkOf(third!, unsaved)?.check?.snapshotLookup).toBe('none');
    expect(linkOf(third!, kept)?.check?.snapshotLookup).toBe('found');
  });

  it('--snapshots none looks up nothing', async () => {
    const s = await startWeb();
    const path = await writeArticle('kappa.wiki', 'Kappa', [
      s.url('news.test', '/live'),
      s.url('news.test', '/gone'),
    ]);
    const [report] = await run([path], day(0), { snapshots: 'none' });
    expect(s.requests.filter((r) => r.host === 'archive.org' || r.host === 'web.archive.org')).toEqual([]);
    expect(
      report!.article.references.flatMap((r) => r.links).every((l) => l.check?.snapshot === undefined),
    ).toBe(true);
  });

  it('--snapshots dead looks up only dead links', async () => {
    const s = await startWeb();
    const path = await writeArticle('iota.wiki', 'Iota', [
      s.url('news.test', '/live'),
      s.url('news.test', '/gone'),
    ]);
    const [report] = await run([path], day(0), { snapshots: 'dead' });
    expect(s.requests.some((r) => r.host === 'archive.org')).toBe(true);
    // Batched lookups carry their URLs in the body: what was looked up shows on the links.
    expect(linkOf(report!, s.url('news.test', '/gone'))?.check?.snapshotLookup).toBe('none');
    expect(linkOf(report!, s.url('news.test', '/live'))?.check?.snapshotLookup).toBeUndefined();
  });
});

describe('articles by title', () => {
  const linkRot =
    "'''Link rot''' is decay.<ref>{{cite web |url=http://gone.test/a |title=A}}</ref>\n\n== References ==\n{{reflist}}\n";
  const preservation = "'''Digital preservation''' keeps things.{{citation needed|date=May 2026}}\n";

  it('--wiki and --wiki-list fetch the articles even --offline, keep the revision, and check nothing', async () => {
    const wiki = mediawikiService({
      pages: [
        { title: 'Link rot', wikitext: linkRot, revid: 4242 },
        { title: 'Digital preservation', wikitext: preservation },
      ],
      redirects: { Linkrot: 'Link rot' },
    });
    sim = await startSimulator([wiki]);
    const s = sim;
    const list = join(dir, 'titles.txt');
    await writeFile(list, '# titles\nDigital preservation\n\nLinkrot\n');
    const reports = await run([], day(0), {
      offline: true,
      wiki: ['Linkrot'],
      wikiList: list,
      endpoint: [...endpointFlags(s), `mediawiki=${s.url('en.wikipedia.org', MEDIAWIKI_PATH)}`],
    });
    expect(reports.map((r) => r.article.title)).toEqual(['Link rot', 'Digital preservation']);
    expect(reports[0]!.article.source.wiki).toMatchObject({ title: 'Link rot', revisionId: 4242 });
    expect(reports[0]!.run).toMatchObject({ offline: true });
    expect(reports[1]!.findings.some((f) => f.kind === 'citation-needed')).toBe(true);
    // One request per distinct title, nothing else.
    expect(wiki.served()).toBe(2);
    const md = await readFile(join(dir, 'reports', 'link-rot.md'), 'utf8');
    expect(md).toContain('revision 4242');
  });

  it('a missing title is a usage error and nothing is written', async () => {
    sim = await startSimulator([mediawikiService({ pages: [] })]);
    const s = sim;
    const error = await run([], day(0), {
      offline: true,
      wiki: ['No such article'],
      endpoint: [...endpointFlags(s), `mediawiki=${s.url('en.wikipedia.org', MEDIAWIKI_PATH)}`],
    }).catch((e: unknown) => e);
    expect(isCitewatchError(error) && error.code).toBe('CW_ERR_WIKI_MISSING_TITLE');
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });
});
