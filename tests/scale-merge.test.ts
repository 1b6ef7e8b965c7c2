/**
 * Merging shard reports: articles whose links span several sites are checked once whole and
 * once in N shards (each shard checks only its own URLs, the pipeline's way), and the merged
 * shard reports must be the unsharded reports. Then what makes reports unmergeable, and
 * reading report files and directories.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditArticle } from '../src/audit/index.js';
import {
  type CheckOptions,
  checkArticles,
  normalizeTargetUrl,
  type Observation,
} from '../src/check/index.js';
import { ENDPOINTS } from '../src/defaults.js';
import { ERROR_CODES, InputError, UsageError } from '../src/errors.js';
import { type ArticleState, articleKey, articleStateOf, diffRuns } from '../src/history/index.js';
import type { ArchiveRequest, Article, Link, Report, RunInfo } from '../src/model.js';
import type { Fetcher, FetcherStats, FetchRequest, FetchResult } from '../src/net/types.js';
import { buildReport, renderJson } from '../src/report/index.js';
import {
  formatShard,
  mergeReports,
  OTHER_SHARD,
  readShardReports,
  type Shard,
  shardFilter,
  shardOf,
} from '../src/scale/index.js';
import { article, cite, LONG, paragraph, reference, tag } from './support/article-builder.js';

const NOW = '2026-11-28T21:15:00.000Z';
const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.parse(NOW) - n * DAY).toISOString();

const OPTIONS: CheckOptions = {
  now: NOW,
  offline: false,
  confirm: 3,
  confirmSpanDays: 3,
  endpoints: ENDPOINTS,
};

const LIVE_HTML = `<!doctype html><html><head><title>A story</title></head><body><h1>A story</h1><p>${'Real content. '.repeat(150)}</p></body></html>`;

type Answer = Pick<FetchResult, 'status' | 'headers' | 'body'>;
const page = (status: number): Answer => ({
  status,
  headers: { 'content-type': 'text/html' },
  body: Buffer.from(status === 200 ? LIVE_HTML : '<html><body>Error</body></html>'),
});
const json = (status: number, value: unknown): Answer => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(value)),
});

/** Pages by URL, plus the DOI handle API, PubMed esummary and the Wayback availability API. */
const WEB: Record<string, number> = {
  'https://live.example.com/story': 200,
  'https://www.bbc.co.uk/news/1': 200,
  'https://news.bbc.co.uk/2/hi/2': 404,
  'https://a.example.co.uk/one': 200,
  'https://b.example.co.uk/two': 403,
  'https://dead.example.org/gone': 404,
  'https://blocked.example.net/x': 403,
  'https://broken.example.info/x': 500,
  'https://suspect.example.io/maybe': 410,
  'https://web.archive.org/web/2019/https://live.example.com/story': 200,
  'https://shared.example.edu/paper': 200,
  // The capture offered for the dead link (fetched and judged before it is recommended).
  'https://web.archive.org/web/20190506101010/https://dead.example.org/gone': 200,
};
const RESOLVING_DOIS = new Set(['10.1000/live']);
const PMIDS = new Set(['31452104']);
const CAPTURES: Record<string, string> = { 'https://dead.example.org/gone': '20190506101010' };

class WebFake implements Fetcher {
  readonly calls: string[] = [];

  async fetch(request: FetchRequest): Promise<FetchResult> {
    this.calls.push(request.url);
    const answer = this.#answer(request.url);
    return {
      url: request.url,
      finalUrl: request.url,
      truncated: false,
      hops: [],
      requests: 1,
      bytes: answer.body.length,
      durationMs: 5,
      ...answer,
    };
  }

  #answer(url: string): Answer {
    const u = new URL(url);
    if (url.startsWith(`${ENDPOINTS.doi}/api/handles/`)) {
      const doi = decodeURIComponent(u.pathname.slice('/api/handles/'.length));
      return RESOLVING_DOIS.has(doi)
        ? json(200, { responseCode: 1, handle: doi, values: [] })
        : json(404, { responseCode: 100, handle: doi });
    }
    if (url.startsWith(`${ENDPOINTS.eutils}/esummary.fcgi`)) {
      const ids = (u.searchParams.get('id') ?? '').split(',');
      const result: Record<string, unknown> = { uids: ids };
      for (const id of ids)
        result[id] = PMIDS.has(id)
          ? { uid: id, title: 'T' }
          : { uid: id, error: 'cannot get document summary' };
      return json(200, { header: { type: 'esummary' }, result });
    }
    if (url.startsWith(ENDPOINTS.wayback)) {
      const target = u.searchParams.get('url') ?? '';
      const ts = CAPTURES[target];
      return json(200, {
        archived_snapshots: ts
          ? {
              closest: {
                available: true,
                status: '200',
                timestamp: ts,
                url: `http://web.archive.org/web/${ts}/${target}`,
              },
            }
          : {},
      });
    }
    if (url.startsWith(ENDPOINTS.cdx)) return json(200, []);
    return page(WEB[url] ?? 404);
  }

  stats(): FetcherStats {
    return { requests: this.calls.length, bytes: 0, maxInFlightPerHost: 1, responses: 0, networkFailures: 0 };
  }

  async close(): Promise<void> {}
}

/** Earlier observations: the dead link has been dead long enough to be confirmed. */
const HISTORY: Record<string, Observation[]> = {
  'https://dead.example.org/gone': [
    { outcome: 'dead', at: daysAgo(6) },
    { outcome: 'dead', at: daysAgo(3) },
  ],
  'https://blocked.example.net/x': [{ outcome: 'blocked', at: daysAgo(1) }],
};
const history = { previous: (url: string): Observation[] => HISTORY[url] ?? [] };

const link = (url: string, role: Link['role'] = 'source'): Link => ({ url, role });

function articles(): Article[] {
  const first = article({
    blocks: [
      paragraph('History', [`${LONG} One.`, `${LONG} Two.`, `${LONG} Three.`]),
      paragraph('History', [`${LONG} An uncited paragraph.`]),
    ],
    references: [
      reference('1', {
        links: [
          link('https://live.example.com/story#part'),
          link('https://web.archive.org/web/2019/https://live.example.com/story', 'archive'),
        ],
        archive: { present: true, url: 'https://web.archive.org/web/2019/https://live.example.com/story' },
      }),
      reference('2', {
        links: [link('https://www.bbc.co.uk/news/1'), link('https://news.bbc.co.uk/2/hi/2')],
      }),
      reference('3', { links: [link('https://a.example.co.uk/one'), link('https://b.example.co.uk/two')] }),
      reference('4', { links: [link('https://dead.example.org/gone')], accessDate: '2019-05-04' }),
      reference('5', { links: [link('https://blocked.example.net/x'), link('not a url')] }),
      reference('6', {
        links: [link('https://broken.example.info/x'), link('https://doi.org/10.1000/live', 'identifier')],
        identifiers: { doi: ['10.1000/live'], isbn: ['9780306406157'] },
      }),
      reference('7', {
        links: [link('https://pubmed.ncbi.nlm.nih.gov/31452104/', 'identifier')],
        identifiers: { doi: ['10.1000/gone'], pmid: ['31452104', '99999999'] },
      }),
      reference('8', {
        links: [link('https://suspect.example.io/maybe'), link('https://shared.example.edu/paper')],
      }),
    ],
    citations: [cite('1', 0, 0), cite('2', 0, 1), cite('3', 0, 2), cite('4', 0, 0), cite('5', 0, 1)],
    tags: [tag('citation-needed', 1, 0)],
  });
  first.title = 'Sharded article';
  first.source = { format: 'markdown', path: 'articles/sharded.md', bytes: 1234, sha256: 'a'.repeat(64) };

  const second = article({
    blocks: [paragraph('History', [`${LONG} Shared.`])],
    references: [
      reference('1', {
        links: [link('https://shared.example.edu/paper'), link('https://dead.example.org/gone')],
      }),
      reference('2', { identifiers: { doi: ['10.1000/live'] } }),
    ],
    citations: [cite('1', 0, 0), cite('2', 0, 0)],
  });
  second.title = 'Second article';
  second.source = { format: 'markdown', path: 'articles/second.md', bytes: 99, sha256: 'b'.repeat(64) };
  return [first, second];
}

/**
 * The previous run's state, as the history keeps it: every link alive then except the one that
 * recovered since, and one reference not there yet.
 */
function previousStates(reports: readonly Report[]): Map<string, ArticleState> {
  const states = new Map<string, ArticleState>();
  for (const report of reports) {
    const state = articleStateOf(report);
    state.at = daysAgo(1);
    state.references = state.references.slice(1);
    for (const [url, verdict] of Object.entries(state.links))
      verdict.verdict = url === 'https://a.example.co.uk/one' ? 'dead' : 'alive';
    states.set(state.key, state);
  }
  return states;
}

/** One `check` run over the articles, its reports assembled the pipeline's way. */
async function run(shard?: Shard, previous?: Map<string, ArticleState>): Promise<Report[]> {
  const include = shard ? shardFilter(shard) : undefined;
  const input = articles();
  const checked = await checkArticles(
    input,
    { ...OPTIONS, ...(include && { include }) },
    { fetcher: new WebFake(), history },
  );
  const info: RunInfo = {
    now: NOW,
    offline: checked.offline,
    ...(checked.offlineReason && { offlineReason: checked.offlineReason }),
    ...(shard && { shard: formatShard(shard) }),
    requests: checked.requests,
    savedByCadence: 0,
  };
  return checked.articles.map((a, i) => {
    const report = buildReport(a, [...auditArticle(input[i]!, { now: NOW }), ...checked.findings[i]!], info);
    if (previous) report.changes = diffRuns(previous.get(articleKey(a)), articleStateOf(report));
    // Save Page Now (without credentials) lists the live source links this run checked.
    const seen = new Set<string>();
    report.archiveRequests = a.references
      .filter((r) => !r.archive.present)
      .flatMap((r) => r.links)
      .filter((l) => l.check?.outcome === 'alive' && l.role === 'source')
      .flatMap((l): ArchiveRequest[] => {
        const url = normalizeTargetUrl(l.url).url;
        if (seen.has(url)) return [];
        seen.add(url);
        return [{ url, status: 'skipped', reason: 'no-credentials', requestedAt: NOW }];
      });
    return report;
  });
}

async function shardRuns(count: number, previous?: Map<string, ArticleState>): Promise<Report[][]> {
  return Promise.all(Array.from({ length: count }, (_, i) => run({ index: i + 1, count }, previous)));
}

/** A report without what legitimately differs between a whole run and merged shards. */
function comparable(report: Report): Report {
  const copy = structuredClone(report);
  delete copy.run.shard;
  copy.run.requests = 0;
  return copy;
}

describe('mergeReports', () => {
  it.each([1, 2, 3, 5, 8])('%i shards merge into the unsharded reports', async (count) => {
    const whole = await run();
    const previous = previousStates(whole);
    const expected = await run(undefined, previous);
    const shards = await shardRuns(count, previous);

    const merged = mergeReports(shards);

    expect(merged.map(comparable)).toEqual(expected.map(comparable));
    // The comparison covers every part a shard changes.
    const [first] = merged;
    expect(first!.changes).toMatchObject({
      newlyDead: [{ url: 'https://dead.example.org/gone' }],
      newlySuspect: [{ url: 'https://news.bbc.co.uk/2/hi/2' }, { url: 'https://suspect.example.io/maybe' }],
      recovered: [{ url: 'https://a.example.co.uk/one', from: 'dead', to: 'alive' }],
      newlyBlocked: [{ url: 'https://b.example.co.uk/two' }, { url: 'https://blocked.example.net/x' }],
      referencesAdded: ['Reference 1.'],
    });
    expect(first!.archiveRequests?.map((a) => a.url)).toEqual([
      'https://www.bbc.co.uk/news/1',
      'https://a.example.co.uk/one',
      'https://shared.example.edu/paper',
    ]);
    expect(first!.article.references[3]!.links[0]!.check?.snapshot?.timestamp).toBe('20190506101010');
    expect(first!.summary.identifiers).toEqual({ total: 5, invalid: 0, unresolved: 2 });
    // Requests are the shards' sum, and no shard asked for what another owned.
    const sum = shards.reduce((n, reports) => n + reports[0]!.run.requests, 0);
    expect(merged.map((r) => r.run.requests)).toEqual([sum, sum]);
    expect(merged.every((r) => r.run.shard === undefined && !r.run.offline)).toBe(true);
  });

  it('takes each check from the shard that owns its URL', async () => {
    const count = 3;
    const shards = await shardRuns(count);
    const owners = new Set<number>();
    for (const [i, reports] of shards.entries()) {
      for (const ref of reports[0]!.article.references)
        for (const l of ref.links) {
          const owner = shardOf(normalizeTargetUrl(l.url).url, count);
          if (l.role === 'identifier' || l.url === 'not a url') continue;
          if (owner === i + 1) {
            owners.add(owner);
            expect(l.check?.reason).not.toBe(OTHER_SHARD);
          } else
            expect(l.check).toMatchObject({ outcome: 'skipped', reason: OTHER_SHARD, verdict: 'skipped' });
        }
    }
    // The fixture spreads its sites over more than one shard, so the merge has work to do.
    expect(owners.size).toBeGreaterThan(1);
    const merged = mergeReports(shards.flat());
    const checks = merged.flatMap((r) =>
      r.article.references.flatMap((ref) => ref.links.map((l) => l.check)),
    );
    const identifierChecks = merged.flatMap((r) =>
      r.article.references.flatMap((ref) => ref.identifierChecks),
    );
    expect(checks.some((c) => c?.reason === OTHER_SHARD)).toBe(false);
    expect(identifierChecks.some((c) => c.reason === OTHER_SHARD)).toBe(false);
    expect(merged[0]!.summary.links).toEqual({
      total: 12,
      alive: 5,
      dead: 1,
      suspect: 2,
      blocked: 2,
      error: 1,
      skipped: 1,
    });
    expect(merged[0]!.findings.map((f) => f.kind)).toContain('dead-link');
  });

  it('accepts the reports flat, in any order, grouped or not', async () => {
    const shards = await shardRuns(3);
    const grouped = mergeReports(shards);
    expect(mergeReports(shards.flat().reverse())).toEqual([grouped[1], grouped[0]]);
  });

  it('recomputes suspect findings with the confirm the shards ran with', async () => {
    const shards = await shardRuns(2);
    const suspect = (reports: Report[]) =>
      reports[0]!.findings.filter((f) => f.kind === 'suspect-link').map((f) => f.message);
    expect(suspect(mergeReports(shards)).every((m) => m.includes('of 3 checks'))).toBe(true);
    expect(suspect(mergeReports(shards, { confirm: 5 })).every((m) => m.includes('of 5 checks'))).toBe(true);
  });

  it('is offline only when every shard was', async () => {
    const shards = await shardRuns(2);
    const offline = (reports: Report[], reason: RunInfo['offlineReason']): Report[] =>
      reports.map((r) => ({ ...r, run: { ...r.run, offline: true, offlineReason: reason } }));
    const one = mergeReports([offline(shards[0]!, 'requested'), shards[1]!]);
    expect(one[0]!.run.offline).toBe(false);
    expect(one[0]!.run.offlineReason).toBeUndefined();
    const both = mergeReports([offline(shards[0]!, 'requested'), offline(shards[1]!, 'requested')]);
    expect(both[0]!.run).toMatchObject({ offline: true, offlineReason: 'requested' });
    const mixed = mergeReports([offline(shards[0]!, 'requested'), offline(shards[1]!, 'unreachable')]);
    expect(mixed[0]!.run).toMatchObject({ offline: true, offlineReason: 'unreachable' });
  });

  it('merges shards of one night whose clocks differ, dated by the latest (regression: the sharded workflow never succeeded)', async () => {
    const shards = await shardRuns(3);
    // Each shard job started on its own runner, minutes to hours apart.
    const late = (reports: readonly Report[], hours: number): Report[] =>
      reports.map((r) => ({
        ...r,
        run: { ...r.run, now: new Date(Date.parse(NOW) + hours * 3_600_000).toISOString() },
      }));
    const spread = [shards[0]!, late(shards[1]!, 0.25), late(shards[2]!, 5)];
    const merged = mergeReports(spread);
    const latest = new Date(Date.parse(NOW) + 5 * 3_600_000).toISOString();
    expect(merged.map((r) => r.run.now)).toEqual([latest, latest]);
    // The same checks as with one clock: only the date moved.
    const same = mergeReports(shards);
    expect(merged[0]!.summary).toEqual(same[0]!.summary);
    // Still one night: a day and more apart is refused, naming both clocks.
    expect(() => mergeReports([shards[0]!, shards[1]!, late(shards[2]!, 25)])).toThrow(
      /different nights: .* and .* are more than 24 h apart/,
    );
  });

  it('merges nothing into nothing', () => {
    expect(mergeReports([])).toEqual([]);
  });

  describe('refuses reports that are not one whole run', () => {
    const usage = (f: () => unknown): void => {
      expect(f).toThrow(UsageError);
      try {
        f();
      } catch (error) {
        expect((error as UsageError).code).toBe(ERROR_CODES.usage);
      }
    };

    it('a shard missing', async () => {
      const shards = await shardRuns(3);
      usage(() => mergeReports([shards[0]!, shards[2]!]));
      expect(() => mergeReports([shards[0]!, shards[2]!])).toThrow(/no report from shard 2\/3/);
    });

    it('a shard given twice', async () => {
      const shards = await shardRuns(2);
      expect(() => mergeReports([shards[0]!, shards[1]!, shards[1]!])).toThrow(/two reports of shard 2\/2/);
    });

    it('an article missing from one shard', async () => {
      const shards = await shardRuns(2);
      usage(() => mergeReports([shards[0]!, shards[1]!.slice(0, 1)]));
    });

    it('an article whose text differs between shards', async () => {
      const shards = await shardRuns(2);
      const changed = structuredClone(shards[1]!);
      changed[0]!.article.source.sha256 = 'c'.repeat(64);
      usage(() => mergeReports([shards[0]!, changed]));
      expect(() => mergeReports([shards[0]!, changed])).toThrow(/differs between shards/);
    });

    it('an article extracted differently', async () => {
      const shards = await shardRuns(2);
      const changed = structuredClone(shards[1]!);
      changed[0]!.article.references[1]!.links.pop();
      usage(() => mergeReports([shards[0]!, changed]));
      const fewerChecks = structuredClone(shards[1]!);
      fewerChecks[0]!.article.references[5]!.identifierChecks.pop();
      usage(() => mergeReports([shards[0]!, fewerChecks]));
    });

    it('different nights (clocks more than a day apart) or shard counts', async () => {
      const shards = await shardRuns(2);
      const later = shards[1]!.map((r) => ({ ...r, run: { ...r.run, now: daysAgo(-1.5) } }));
      expect(() => mergeReports([shards[0]!, later])).toThrow(/different nights/);
      const recounted = shards[1]!.map((r) => ({ ...r, run: { ...r.run, shard: '2/3' } }));
      expect(() => mergeReports([shards[0]!, recounted])).toThrow(/different shard counts/);
      const malformed = shards[1]!.map((r) => ({ ...r, run: { ...r.run, shard: 'two' } }));
      usage(() => mergeReports([shards[0]!, malformed]));
    });
  });
});

describe('readShardReports', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'citewatch-merge-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const inputError = async (promise: Promise<unknown>, subject: string, pattern: RegExp): Promise<void> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe(ERROR_CODES.input);
    expect((error as InputError).subject).toBe(subject);
    expect((error as InputError).message).toMatch(pattern);
  };

  it('reads report files and directories of them, passing over the rest', async () => {
    const shards = await shardRuns(2);
    for (const [i, reports] of shards.entries()) {
      const out = join(dir, `shard-${i + 1}`);
      await mkdir(out);
      for (const [j, report] of reports.entries()) {
        await writeFile(join(out, `article-${j}.json`), renderJson(report));
        await writeFile(join(out, `article-${j}.md`), '# report\n');
      }
      await writeFile(join(out, 'summary.md'), '# summary\n');
      await writeFile(join(out, 'trend.svg'), '<svg/>');
    }
    const fromDirs = await readShardReports([join(dir, 'shard-1'), join(dir, 'shard-2')]);
    expect(fromDirs).toEqual(shards.flat());
    const fromFiles = await readShardReports([join(dir, 'shard-2', 'article-1.json'), join(dir, 'shard-1')]);
    expect(fromFiles).toEqual([shards[1]![1], ...shards[0]!]);
    expect(mergeReports(fromDirs)).toEqual(mergeReports(shards));
  });

  it('names the file that is not JSON, not a report, or of another schema version', async () => {
    const [report] = await run();
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ not json');
    await inputError(readShardReports([bad]), bad, /not JSON/);

    const other = join(dir, 'other.json');
    await writeFile(other, JSON.stringify({ ...report, schemaVersion: 2 }));
    await inputError(readShardReports([other]), other, /schema version 2/);

    const notReport = join(dir, 'package.json');
    await writeFile(notReport, JSON.stringify({ name: 'x' }));
    await inputError(readShardReports([notReport]), notReport, /not a citewatch report/);

    const broken = join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify({ ...report, findings: 'none' }));
    await inputError(readShardReports([broken]), broken, /not a citewatch report/);
  });

  it('names a path that does not exist and a directory without reports', async () => {
    const missing = join(dir, 'missing');
    await inputError(readShardReports([missing]), missing, /no such file/);
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'notes.md'), '# notes\n');
    await inputError(readShardReports([empty]), empty, /no report JSON/);
    // A shard whose articles had none of its links wrote its summary only: no report, no error.
    const idle = join(dir, 'idle-shard');
    await mkdir(idle);
    await writeFile(join(idle, 'summary.md'), '# summary\n');
    expect(await readShardReports([idle])).toEqual([]);
  });
});
