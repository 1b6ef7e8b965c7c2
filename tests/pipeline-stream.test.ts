/**
 * A run streams its articles: each one is read, audited, checked and written alone, and the run
 * keeps the link table and one line per article. What must hold while it does: a link cited by
 * several articles is fetched once, even when the articles are read twice; the report files
 * appear all together or not at all; the articles' states (the next run's baseline) are saved
 * only once every report is written; `summary.md` and `--fail-on` see every article; a shard
 * reports only the articles with some of its links, and merging the shards still gives the
 * whole run.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCitewatchError } from '../src/errors.js';
import { articleKey, openHistory } from '../src/history/index.js';
import { runMerge } from '../src/merge.js';
import type { Report } from '../src/model.js';
import { resolveCheckOptions } from '../src/options.js';
import { type RunDeps, type RunResult, runCheck } from '../src/pipeline.js';
import { validateReport } from '../src/report/json.js';
import { shardOf } from '../src/scale/index.js';
import { cdxService, doiService, simulatedEndpoints, waybackService } from './support/services.js';
import { behaviours, type Simulator, startSimulator } from './support/simulator.js';

let dir: string;
let sim: Simulator | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citewatch-stream-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

const NOW = '2026-11-20T03:00:00Z';

/** A wikitext article citing `urls` (one reference each); its file name is its title. */
async function writeArticle(name: string, title: string, urls: readonly string[]): Promise<string> {
  const refs = urls
    .map(
      (url, i) =>
        `Claim ${i + 1} about ${title}.<ref>{{cite web |url=${url} |title=${title} source ${i + 1} |website=Example |access-date=2026-01-05}}</ref>`,
    )
    .join(' ');
  const path = join(dir, name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `'''${title}''' is a test subject. ${refs}\n\n== References ==\n{{reflist}}\n`);
  return path;
}

async function startWeb(hosts: readonly string[] = ['news.test', 'blog.test']): Promise<Simulator> {
  sim = await startSimulator([
    ...hosts.map((name) => ({ name, routes: { '/live': behaviours.ok(), '/gone': behaviours.notFound() } })),
    waybackService({}),
    cdxService({}),
    doiService({}),
  ]);
  return sim;
}

function check(
  inputs: string[],
  flags: Record<string, unknown> = {},
  deps: RunDeps = {},
): Promise<RunResult> {
  const s = sim!;
  const options = resolveCheckOptions({
    inputs,
    out: join(dir, 'reports'),
    state: join(dir, 'state.sqlite'),
    now: NOW,
    confirm: 1,
    allowNetwork: ['127.0.0.0/8'],
    endpoint: Object.entries(simulatedEndpoints(s)).map(([k, v]) => `${k}=${v}`),
    perHostInterval: 0,
    ...flags,
  });
  return runCheck(options, { fetcherDeps: { lookup: s.lookup }, ...deps });
}

/** The JSON reports a run wrote, in input order, each validated against the report schema. */
const writtenReports = (result: RunResult): Promise<Report[]> =>
  Promise.all(
    result.written
      .filter((p) => p.endsWith('.json'))
      .map(async (p) => validateReport(JSON.parse(await readFile(p, 'utf8')))),
  );

const gets = (s: Simulator, host: string, path: string): number =>
  s.requests.filter((r) => r.host === host && r.method === 'GET' && r.path === path).length;

describe('streaming articles', () => {
  it('read twice (nothing kept between the passes), a link cited by three articles is still fetched once', async () => {
    const s = await startWeb();
    const live = s.url('news.test', '/live');
    const gone = s.url('news.test', '/gone');
    const inputs = [
      await writeArticle('Alpha.wiki', 'Alpha', [live, gone]),
      await writeArticle('Beta.wiki', 'Beta', [gone]),
      await writeArticle('Gamma.wiki', 'Gamma', [live, gone, s.url('blog.test', '/live')]),
    ];
    const result = await check(inputs, { failOn: 'dead' }, { keepExtractedChars: 0 });
    expect(gets(s, 'news.test', '/gone')).toBe(1);
    expect(gets(s, 'news.test', '/live')).toBe(1);
    // One line per article, in input order, with the slug its files were written under.
    expect(result.articles.map((l) => [l.title, l.slug])).toEqual([
      ['Alpha', 'alpha'],
      ['Beta', 'beta'],
      ['Gamma', 'gamma'],
    ]);
    expect(result.articles.map((l) => l.summary.links.dead)).toEqual([1, 1, 1]);
    expect(result.articles[0]!.deadUrls).toEqual([gone]);
    expect(result.failed.map((m) => [m.article, m.kind])).toEqual([
      ['Alpha', 'dead-link'],
      ['Beta', 'dead-link'],
      ['Gamma', 'dead-link'],
    ]);
    const reports = await writtenReports(result);
    expect(reports.map((r) => r.summary)).toEqual(result.articles.map((l) => l.summary));
    const summary = await readFile(join(dir, 'reports', 'summary.md'), 'utf8');
    for (const title of ['Alpha', 'Beta', 'Gamma']) expect(summary).toContain(`[${title}](`);
    expect(summary).toContain('| news.test | 3 |');
  });

  it('keeps the GitHub annotations of each article only when asked (the CLI asks inside Actions)', async () => {
    const s = await startWeb();
    const path = await writeArticle('Alpha.wiki', 'Alpha', [s.url('news.test', '/gone')]);
    const kept = await check([path], { out: join(dir, 'with'), state: join(dir, 'w.sqlite') });
    expect(kept.articles[0]!.annotations.map((a) => a.title)).toContain('citewatch: dead-link');
    const left = await check(
      [path],
      { out: join(dir, 'without'), state: join(dir, 'o.sqlite') },
      { annotations: false },
    );
    expect(left.articles[0]!.annotations).toEqual([]);
    expect(left.articles[0]!.summary).toEqual(kept.articles[0]!.summary);
  });

  it('gives the same reports whether the articles are kept between the passes or read again', async () => {
    const s = await startWeb();
    const inputs = [
      await writeArticle('one/Alpha.wiki', 'Alpha', [
        s.url('news.test', '/live'),
        s.url('news.test', '/gone'),
      ]),
      await writeArticle('two/Alpha.wiki', 'Alpha', [s.url('blog.test', '/gone')]),
    ];
    const kept = await writtenReports(
      await check(inputs, { out: join(dir, 'kept'), state: join(dir, 'k.sqlite') }),
    );
    const reread = await writtenReports(
      await check(
        inputs,
        { out: join(dir, 'reread'), state: join(dir, 'r.sqlite') },
        { keepExtractedChars: 0 },
      ),
    );
    expect(reread).toEqual(kept);
    // Two articles with one title: the second is written as alpha-2, as before streaming.
    expect((await readdir(join(dir, 'reread'))).sort()).toEqual(
      [
        '.citewatch-manifest.json',
        'alpha-2.json',
        'alpha-2.md',
        'alpha.json',
        'alpha.md',
        'summary.md',
        'trend.svg',
      ].sort(),
    );
  });

  it('a failed report write leaves no report and no article state: the baseline moves only after the writes', async () => {
    const s = await startWeb();
    const gone = s.url('news.test', '/gone');
    const path = await writeArticle('Alpha.wiki', 'Alpha', [gone]);
    // The same run with a folder it can write: its state has the article.
    const [report] = await writtenReports(await check([path], { state: join(dir, 'ok.sqlite') }));
    const key = articleKey(report!.article);
    const lastState = (state: string) => {
      const store = openHistory(state, { now: () => NOW });
      try {
        return { state: store.lastArticleState(key), trend: store.trend() };
      } finally {
        store.close();
      }
    };
    expect(lastState(join(dir, 'ok.sqlite')).state?.verdictCounts.dead).toBe(1);
    // The report folder cannot be made (a file has its name): the links were checked, the
    // observations kept, but the article's state is not saved.
    const out = join(dir, 'taken');
    await writeFile(out, 'not a folder');
    const error = await check([path], { out, state: join(dir, 'failed.sqlite') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(lastState(join(dir, 'failed.sqlite'))).toEqual({ state: undefined, trend: [] });
  });

  it('bad input after the first article (offline, read once) leaves no report, no temporary file and no state', async () => {
    await startWeb();
    const good = await writeArticle('Alpha.wiki', 'Alpha', ['https://example.org/page']);
    const empty = join(dir, 'b.wiki');
    await writeFile(empty, '');
    const error = await check([good, empty], { offline: true }).catch((e: unknown) => e);
    expect(isCitewatchError(error)).toBe(true);
    expect((error as Error).message).toContain(empty);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
    expect((await readdir(dir)).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect(existsSync(join(dir, 'state.sqlite'))).toBe(false);
  });
});

describe('shards stream too', () => {
  it('a shard reports only the articles with some of its links (shard 1 also those with none); merged, they equal the whole run', async () => {
    // Two sites that fall in different shards of two.
    const names = ['news.test', 'blog.test', 'paper.test', 'daily.test', 'wire.test'];
    const byShard = new Map<number, string>();
    for (const n of names)
      if (!byShard.has(shardOf(`http://${n}/`, 2))) byShard.set(shardOf(`http://${n}/`, 2), n);
    const one = byShard.get(1)!;
    const two = byShard.get(2)!;
    const s = await startWeb([one, two]);
    const inputs = [
      await writeArticle('Only one.wiki', 'Only one', [s.url(one, '/gone')]),
      await writeArticle('Only two.wiki', 'Only two', [s.url(two, '/live'), s.url(two, '/gone')]),
      await writeArticle('Both.wiki', 'Both', [s.url(one, '/live'), s.url(two, '/gone')]),
      await writeArticle('No links.wiki', 'No links', []),
    ];
    const whole = await check(inputs, { out: join(dir, 'whole'), state: join(dir, 'whole.sqlite') });
    const shard1 = await check(inputs, { shard: '1/2', out: join(dir, 's1'), state: join(dir, 's1.sqlite') });
    const shard2 = await check(inputs, { shard: '2/2', out: join(dir, 's2'), state: join(dir, 's2.sqlite') });
    expect(shard1.articles.map((l) => l.title)).toEqual(['Only one', 'Both', 'No links']);
    expect(shard2.articles.map((l) => l.title)).toEqual(['Only two', 'Both']);
    const merged = await runMerge([join(dir, 's1'), join(dir, 's2')], {
      out: join(dir, 'merged'),
      confirm: '1',
    });
    const comparable = (r: Report) => ({ ...r, run: { ...r.run, requests: 0 } });
    const byTitle = (rs: Report[]) => [...rs].sort((a, b) => a.article.title.localeCompare(b.article.title));
    expect(byTitle(merged.reports).map(comparable)).toEqual(
      byTitle(await writtenReports(whole)).map(comparable),
    );
    // Without shard 2's reports, the merge names it.
    await expect(runMerge([join(dir, 's1')], { out: join(dir, 'm2'), confirm: '1' })).rejects.toThrow(
      /no report from shard 2\/2/,
    );
  });
});
