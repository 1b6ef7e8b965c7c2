/**
 * Issue 11 — a hostile Wayback answer (newlines, `[[Category:…]]`, `<script>`, a foreign host)
 * must never become a snapshot: not in the report, not in the state, not in `--patch`. Replay
 * URLs are taken only in the exact Wayback shape, and a stored snapshot that fails today's
 * check is not reused.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validReplay } from '../src/archive/index.js';
import { openHistory } from '../src/history/index.js';
import type { Report } from '../src/model.js';
import { resolveCheckOptions } from '../src/options.js';
import { runCheck } from '../src/pipeline.js';
import { cdxService, doiService, simulatedEndpoints, waybackService } from './support/services.js';
import { behaviours, type Simulator, startSimulator } from './support/simulator.js';
import { writtenReports } from './support/written-reports.js';

const PAGE = 'https://news.example/2019/story';
const TS = '20200101000000';

describe('validReplay', () => {
  const ok: Array<[string, string]> = [
    ['the availability API answer (http, upgraded)', `http://web.archive.org/web/${TS}/${PAGE}`],
    ['https replay', `https://web.archive.org/web/${TS}/${PAGE}`],
    [
      'www and a port on the archived URL',
      `https://web.archive.org/web/${TS}/http://www.news.example:80/2019/story`,
    ],
    ['an id_ flag', `https://web.archive.org/web/${TS}id_/${PAGE}`],
    ['percent-encoded query', `https://web.archive.org/web/${TS}/${PAGE}?q=a%7Cb&x=1`],
  ];
  it.each(ok)('takes %s', (_, url) => {
    const result = validReplay(url, TS, { asked: PAGE });
    expect(result).toHaveProperty('snapshot');
    if ('snapshot' in result)
      expect(result.snapshot.url.startsWith('https://web.archive.org/web/')).toBe(true);
  });

  const hostile: Array<[string, string, string?]> = [
    ['a newline and a category', `https://web.archive.org/web/${TS}/${PAGE}\n[[Category:Spam]]`],
    ['a script tag', `https://web.archive.org/web/${TS}/${PAGE}<script>alert(1)</script>`],
    ['a pipe and template end', `https://web.archive.org/web/${TS}/${PAGE}|url-status=live}}`],
    ['a space', `https://web.archive.org/web/${TS}/${PAGE} [[x]]`],
    ['a foreign host', `https://evil.example/web/${TS}/${PAGE}`],
    ['a look-alike host', `https://web.archive.org.evil.example/web/${TS}/${PAGE}`],
    ['javascript:', `javascript:alert(1)//web.archive.org/web/${TS}/${PAGE}`],
    ['a short timestamp', `https://web.archive.org/web/2020/${PAGE}`, '2020'],
    ['timestamps that disagree', `https://web.archive.org/web/20190101000000/${PAGE}`],
    ['a capture of another site', `https://web.archive.org/web/${TS}/https://spam.example/`],
    ['no archived URL', `https://web.archive.org/web/${TS}/`],
  ];
  it.each(hostile)('refuses %s', (_, url, timestamp = TS) => {
    expect(validReplay(url, timestamp, { asked: PAGE })).toHaveProperty('problem');
  });

  it('takes an archived URL with non-ASCII letters, percent-encoded', () => {
    expect(
      validReplay(`http://web.archive.org/web/${TS}/https://news.example/städte`, TS, { asked: PAGE }),
    ).toEqual({
      snapshot: { url: `https://web.archive.org/web/${TS}/https://news.example/st%C3%A4dte`, timestamp: TS },
    });
  });

  it("takes the configured endpoint's origin (tests, mirrors), no other", () => {
    const url = `http://127.0.0.1:8080/web/${TS}/${PAGE}`;
    expect(validReplay(url, TS, { asked: PAGE, origins: ['http://127.0.0.1:8080/cdx/search/cdx'] })).toEqual({
      snapshot: { url, timestamp: TS },
    });
    expect(validReplay(url, TS, { asked: PAGE })).toHaveProperty('problem');
  });
});

describe('a hostile availability answer in a whole run', () => {
  let dir: string;
  let sim: Simulator | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'citewatch-hostile-'));
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function run(path: string, patch: string): Promise<Report> {
    const options = resolveCheckOptions({
      inputs: [path],
      out: join(dir, 'reports'),
      state: join(dir, 'state.sqlite'),
      now: '2026-11-20T02:17:00.000Z',
      allowNetwork: ['127.0.0.0/8'],
      endpoint: Object.entries(simulatedEndpoints(sim!)).map(([k, v]) => `${k}=${v}`),
      perHostInterval: 0,
      confirm: 1,
      patch,
    });
    const result = await runCheck(options, {
      fetcherDeps: { lookup: sim!.lookup, sleep: () => Promise.resolve() },
    });
    return (await writtenReports(result))[0]!;
  }

  it('is never written into the patch, the report or the state', async () => {
    sim = await startSimulator([
      { name: 'news.test', routes: { '/gone': behaviours.notFound() } },
      cdxService({}),
      doiService({}),
    ]);
    const gone = sim.url('news.test', '/gone');
    const evil = `http://web.archive.org/web/${TS}/${gone}\n}}[[Category:Spam]]<script>alert(1)</script>`;
    await sim.addHost(waybackService({ [gone]: [{ timestamp: TS, replayUrl: evil }] }));
    const path = join(dir, 'a.wiki');
    await writeFile(
      path,
      `'''A''' is a subject.<ref>{{cite web |url=${gone} |title=T |access-date=2020-06-15}}</ref>\n\n== References ==\n{{reflist}}\n`,
    );
    const out = join(dir, 'a.fixed.wiki');
    const report = await run(path, out);
    const check = report.article.references[0]!.links[0]!.check;
    expect(check?.snapshot).toBeUndefined();
    expect(check?.snapshotLookup).toBe('failed');
    const patched = await readFile(out, 'utf8');
    expect(patched).not.toContain('Category:Spam');
    expect(patched).not.toContain('<script>');
    const md = await readFile(join(dir, 'reports', 'a.md'), 'utf8');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('[[Category');
    const db = new Database(join(dir, 'state.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare('SELECT snapshot_url FROM snapshots UNION ALL SELECT snapshot_url FROM snapshot_lookups')
        .all();
      expect(rows).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('a hostile snapshot kept in the state by an older version is not reused', async () => {
    sim = await startSimulator([
      { name: 'news.test', routes: { '/gone': behaviours.notFound() } },
      cdxService({}),
      doiService({}),
    ]);
    const gone = sim.url('news.test', '/gone');
    await sim.addHost(waybackService({ [gone]: [{ timestamp: '20200301000000' }] }));
    const store = openHistory(join(dir, 'state.sqlite'), { now: () => '2026-11-01T00:00:00.000Z' });
    store.recordSnapshotLookup({
      url: gone,
      date: '2020-06-15',
      at: '2026-11-01T00:00:00.000Z',
      snapshot: { url: `https://web.archive.org/web/${TS}/${gone}\n[[Category:Spam]]`, timestamp: TS },
    });
    store.close();
    const path = join(dir, 'b.wiki');
    await writeFile(
      path,
      `'''B''' is a subject.<ref>{{cite web |url=${gone} |title=T |access-date=2020-06-15}}</ref>\n\n== References ==\n{{reflist}}\n`,
    );
    const out = join(dir, 'b.fixed.wiki');
    const report = await run(path, out);
    expect(report.article.references[0]!.links[0]!.check?.snapshot?.timestamp).toBe('20200301000000');
    expect(await readFile(out, 'utf8')).not.toContain('Category:Spam');
  });
});
