/**
 * Letting users correct false positives (issue 12): exclude/include patterns, the ignore file,
 * accepted statuses and per-URL overrides. Patterns from tables; whole `check` runs on the
 * loopback simulator for what is fetched, reported and recorded.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compilePattern, compileRules, parseAccept } from '../src/check/index.js';
import { main } from '../src/cli.js';
import { UsageError } from '../src/errors.js';
import { openHistory } from '../src/history/index.js';
import type { Report } from '../src/model.js';
import { resolveCheckOptions } from '../src/options.js';
import { runCheck } from '../src/pipeline.js';
import { cdxService, simulatedEndpoints, waybackService } from './support/services.js';
import { behaviours, type Simulator, startSimulator } from './support/simulator.js';
import { writtenReports } from './support/written-reports.js';

const NOW = '2026-11-28T03:00:00.000Z';

describe('patterns', () => {
  const rows: Array<[pattern: string, url: string, matches: boolean]> = [
    // a domain: the host and its subdomains
    ['example.com', 'https://example.com/a', true],
    ['example.com', 'https://www.example.com/a?b', true],
    ['example.com', 'https://notexample.com/a', false],
    ['example.com', 'https://example.com.evil.test/', false],
    ['Example.COM', 'https://news.example.com/', true],
    // a glob over the whole URL; without a scheme it matches http and https
    ['example.com/private/*', 'https://example.com/private/x/y', true],
    ['example.com/private/*', 'http://example.com/private/', true],
    ['example.com/private/*', 'https://example.com/public/x', false],
    ['https://*.example.org/*.pdf', 'https://files.example.org/a/b.pdf', true],
    ['https://*.example.org/*.pdf', 'http://files.example.org/a/b.pdf', false],
    ['https://x.test/a?c', 'https://x.test/abc', true],
    // a regular expression, searched in the URL
    ['/\\/login\\b/i', 'https://x.test/LOGIN?next=1', true],
    ['/^https:\\/\\/x\\.test\\/\\d+$/', 'https://x.test/123', true],
    ['/^https:\\/\\/x\\.test\\/\\d+$/', 'https://x.test/123/a', false],
  ];
  it.each(rows)('%s ~ %s → %s', (pattern, url, matches) => {
    expect(compilePattern(pattern, 'test').test(url)).toBe(matches);
  });

  it('a bad pattern is a one-line usage error naming where it came from', () => {
    expect(() => compilePattern('/a(/', '.citewatchignore:4')).toThrow(UsageError);
    expect(() => compilePattern('/a(/', '.citewatchignore:4')).toThrow(
      /^\.citewatchignore:4: not a valid regular expression/,
    );
    expect(() => compilePattern('not a domain', 'exclude')).toThrow(/neither a domain/);
    expect(() => resolveCheckOptions({ inputs: ['x'], exclude: ['/[/'] })).toThrow(UsageError);
    expect(() => resolveCheckOptions({ inputs: ['x'], accept: ['4xx'] })).toThrow(/--accept: 4xx/);
    expect(() =>
      resolveCheckOptions({ inputs: ['x'] }, { overrides: [{ url: 'x.test', until: 'soon', reason: 'r' }] }),
    ).toThrow(UsageError);
  });

  it('accepted statuses: single codes and ranges; 2xx stays judged by its page', () => {
    expect(parseAccept(['200..299,403', 429, '500-503'])).toEqual([
      [200, 299],
      [403, 403],
      [429, 429],
      [500, 503],
    ]);
    const rules = compileRules({ accept: ['403', '500..503'] });
    expect(rules.accepts(403)).toBe('accept 403');
    expect(rules.accepts(502)).toBe('accept 500..503');
    expect(rules.accepts(404)).toBeUndefined();
    expect(rules.accepts(200)).toBeUndefined();
  });

  it('include wins over exclude; the ignore file has comments and !includes; overrides last through their day', () => {
    const rules = compileRules({
      exclude: ['example.com'],
      include: ['example.com/keep/*'],
      ignoreFile: {
        name: '.citewatchignore',
        lines: [
          '# social sites refuse robots',
          '',
          'twitter.com',
          '  /\\.pdf$/  ',
          '!twitter.com/x/status/*',
        ],
      },
      overrides: [{ url: 'https://blocked.test/page', until: '2026-11-28', reason: 'answers 404 to robots' }],
    });
    expect(rules.decide('https://example.com/a', NOW)).toEqual({
      kind: 'excluded',
      rule: 'exclude: example.com',
    });
    expect(rules.decide('https://example.com/keep/a', NOW)).toBeUndefined();
    expect(rules.decide('https://twitter.com/a', NOW)).toEqual({
      kind: 'excluded',
      rule: '.citewatchignore:3: twitter.com',
    });
    expect(rules.decide('https://twitter.com/x/status/1', NOW)).toBeUndefined();
    expect(rules.decide('https://other.test/a.pdf', NOW)?.rule).toBe('.citewatchignore:4: /\\.pdf$/');
    expect(rules.decide('https://blocked.test/page', '2026-11-28T23:59:00.000Z')).toMatchObject({
      kind: 'override',
      until: '2026-11-28',
      reason: 'answers 404 to robots',
    });
    expect(rules.decide('https://blocked.test/page', '2026-11-29T00:00:00.000Z')).toBeUndefined();
    expect(rules.expired('2026-11-29T00:00:00.000Z')).toHaveLength(1);
  });
});

describe('rules in a whole run', () => {
  let dir: string;
  let sim: Simulator | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'citewatch-rules-'));
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function writeArticle(urls: readonly string[]): Promise<string> {
    const refs = urls
      .map(
        (url, i) =>
          `Claim ${i + 1}.<ref>{{cite web |url=${url} |title=Source ${i + 1} |website=Example}}</ref>`,
      )
      .join(' ');
    const path = join(dir, 'rules.wiki');
    await writeFile(path, `'''Rules''' is a test subject. ${refs}\n\n== References ==\n{{reflist}}\n`);
    return path;
  }

  it('excluded links are never fetched nor recorded, and are listed with their rule; accepted and overridden links are alive', async () => {
    sim = await startSimulator([
      {
        name: 'news.test',
        routes: {
          '/gone': behaviours.notFound(),
          '/members': behaviours.status(403, '<title>Members only</title>'),
          '/robots-get-404': behaviours.notFound(),
        },
      },
      { name: 'social.test', fallback: behaviours.notFound() },
      { name: 'drafts.test', fallback: behaviours.notFound() },
      waybackService({}),
      cdxService({}),
    ]);
    const urls = {
      gone: sim.url('news.test', '/gone'),
      members: sim.url('news.test', '/members'),
      override: sim.url('news.test', '/robots-get-404'),
      social: sim.url('social.test', '/status/1'),
      draft: sim.url('drafts.test', '/d/1'),
    };
    const path = await writeArticle(Object.values(urls));
    const ignoreFile = join(dir, 'my-ignore');
    await writeFile(ignoreFile, '# drafts are never public\ndrafts.test:*/d/*\n');
    const config = {
      overrides: [{ url: urls.override, until: '2026-12-31', reason: 'the site answers 404 to robots' }],
    };
    const options = resolveCheckOptions(
      {
        inputs: [path],
        out: join(dir, 'reports'),
        state: join(dir, 'state.sqlite'),
        now: NOW,
        allowNetwork: ['127.0.0.0/8'],
        endpoint: Object.entries(simulatedEndpoints(sim)).map(([k, v]) => `${k}=${v}`),
        perHostInterval: 0,
        confirm: 1,
        exclude: ['social.test'],
        ignoreFile,
        accept: ['403'],
      },
      config,
    );
    const reports = await writtenReports(await runCheck(options, { fetcherDeps: { lookup: sim.lookup } }));
    const report: Report = reports[0]!;
    const check = (url: string) =>
      report.article.references.flatMap((r) => r.links).find((l) => l.url === url)?.check;

    expect(check(urls.social)).toMatchObject({
      outcome: 'skipped',
      verdict: 'skipped',
      reason: 'excluded',
      rule: 'exclude: social.test',
    });
    expect(check(urls.draft)).toMatchObject({
      reason: 'excluded',
      rule: `${ignoreFile}:2: drafts.test:*/d/*`,
    });
    expect(check(urls.members)).toMatchObject({
      outcome: 'alive',
      reason: 'accepted',
      rule: 'accept 403',
      httpStatus: 403,
    });
    expect(check(urls.override)).toMatchObject({ outcome: 'alive', verdict: 'alive', reason: 'override' });
    expect(check(urls.override)?.rule).toContain('the site answers 404 to robots');
    expect(check(urls.gone)).toMatchObject({ verdict: 'dead', reason: 'http-404' });

    // Never fetched: neither the excluded hosts nor the overridden page.
    const asked = sim.requests.map((r) => `${r.host}${r.path}`);
    expect(asked.filter((a) => a.startsWith('social.test') || a.startsWith('drafts.test'))).toEqual([]);
    expect(asked).not.toContain('news.test/robots-get-404');
    // Never recorded as observations.
    const store = openHistory(join(dir, 'state.sqlite'), { now: () => NOW });
    try {
      const view = store.view();
      expect(view.previous(urls.social)).toEqual([]);
      expect(view.previous(urls.draft)).toEqual([]);
      expect(view.previous(urls.override)).toEqual([]);
      expect(view.previous(urls.members).map((o) => o.outcome)).toEqual(['alive']);
    } finally {
      store.close();
    }
    // Listed in the report, with the rule, never silently dropped.
    expect(report.summary.links.skipped).toBe(2);
    const mdFile = (await readdir(join(dir, 'reports'))).find((f) => f.endsWith('.md') && f !== 'summary.md');
    const md = await readFile(join(dir, 'reports', mdFile!), 'utf8');
    expect(md).toContain('## Decided by your rules');
    expect(md).toMatch(/social\.test.*excluded — exclude: social\.test/);
    expect(md).toMatch(/members.*accepted — accept 403/);
  });

  it('a missing --ignore-file or a bad pattern in it is exit 2 with one line', async () => {
    const path = join(dir, 'a.md');
    await writeFile(path, '# A\n\nText.[^1]\n\n[^1]: A source.\n');
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (s: string) => err.push(s), env: {} };
    const state = join(dir, 's.sqlite');
    expect(
      await main(
        ['check', path, '--offline', '--state', state, '--out', dir, '--ignore-file', join(dir, 'nope')],
        io,
      ),
    ).toBe(2);
    expect(err.join('')).toMatch(/^citewatch: .*nope: cannot read the ignore file \(ENOENT\)\n$/);
    err.length = 0;
    await writeFile(join(dir, 'bad-ignore'), 'ok.test\n/[unclosed/\n');
    expect(
      await main(
        [
          'check',
          path,
          '--offline',
          '--state',
          state,
          '--out',
          dir,
          '--ignore-file',
          join(dir, 'bad-ignore'),
        ],
        io,
      ),
    ).toBe(2);
    expect(err.join('')).toMatch(/bad-ignore:2: not a valid regular expression: \/\[unclosed\//);
    expect(err.join('').trim().split('\n')).toHaveLength(1);
  });
});
