/**
 * Writing into a folder that is committed every night: a report whose only change is the run's
 * time is left as it is (so nothing is committed on a quiet night), and the reports of articles
 * no longer checked are removed — only files citewatch wrote, as its manifest lists them.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyArticle, emptyReference, type Report, type RunInfo } from '../src/model.js';
import { buildReport } from '../src/report/build.js';
import { MANIFEST_FILE, writeReports } from '../src/report/write.js';

const run = (now: string): RunInfo => ({ now, offline: false, requests: 4, savedByCadence: 1 });

function report(title: string, now: string, outcome: 'alive' | 'dead' = 'alive'): Report {
  const article = emptyArticle({ format: 'markdown', path: `${title}.md`, bytes: 10, sha256: 'x' }, title);
  const ref = emptyReference('1', 'A source');
  ref.number = 1;
  ref.links.push({
    url: 'https://example.com/page',
    role: 'source',
    check: {
      outcome,
      verdict: outcome,
      reason: outcome === 'alive' ? 'ok' : 'http-404',
      httpStatus: outcome === 'alive' ? 200 : 404,
      checkedAt: now,
      streak: 1,
      lastAliveAt: now,
    },
  });
  article.references.push(ref);
  return buildReport(article, [], run(now));
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-nightly-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const snapshot = async (): Promise<Record<string, string>> =>
  Object.fromEntries(
    await Promise.all(
      (await readdir(dir)).sort().map(async (f) => [f, await readFile(join(dir, f), 'utf8')] as const),
    ),
  );

describe('writeReports into a committed folder', () => {
  it('leaves every file as it was when only the run time changed (regression: a commit every night)', async () => {
    const trend = (at: string) => [{ at, dead: 0, suspect: 0, blocked: 0 }];
    await writeReports(dir, [report('One', '2026-11-01T03:17:00.000Z')], {
      formats: ['json', 'md'],
      trend: trend('2026-11-01T03:17:00.000Z'),
    });
    const before = await snapshot();
    const second = await writeReports(dir, [report('One', '2026-11-02T03:17:00.000Z')], {
      formats: ['json', 'md'],
      trend: [...trend('2026-11-01T03:17:00.000Z'), ...trend('2026-11-02T03:17:00.000Z')],
    });
    expect(await snapshot()).toEqual(before);
    expect(second.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
      'one.json',
      'one.md',
      'summary.md',
      'trend.svg',
    ]);
    // A real change rewrites the report and the summary.
    await writeReports(dir, [report('One', '2026-11-03T03:17:00.000Z', 'dead')], { formats: ['json', 'md'] });
    const after = await snapshot();
    expect(after['one.json']).toContain('"verdict": "dead"');
    expect(after['one.md']).not.toEqual(before['one.md']);
    expect(after['summary.md']).toContain('2026-11-03');
  });

  it('removes the reports of articles no longer checked, and nothing it did not write (regression: renamed articles kept forever)', async () => {
    await writeFile(join(dir, 'README.md'), "kept: not citewatch's\n");
    await writeReports(
      dir,
      [report('Old title', '2026-11-01T03:17:00.000Z'), report('Other', '2026-11-01T03:17:00.000Z')],
      {
        formats: ['json', 'md'],
      },
    );
    expect((await readdir(dir)).sort()).toEqual([
      MANIFEST_FILE,
      'README.md',
      'old-title.json',
      'old-title.md',
      'other.json',
      'other.md',
      'summary.md',
    ]);
    await writeReports(
      dir,
      [report('New title', '2026-11-02T03:17:00.000Z'), report('Other', '2026-11-02T03:17:00.000Z')],
      {
        formats: ['json', 'md'],
      },
    );
    expect((await readdir(dir)).sort()).toEqual([
      MANIFEST_FILE,
      'README.md',
      'new-title.json',
      'new-title.md',
      'other.json',
      'other.md',
      'summary.md',
    ]);
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest.files).toEqual([
      'new-title.json',
      'new-title.md',
      'other.json',
      'other.md',
      'summary.md',
    ]);
    // A file the manifest names but the user replaced with a folder is not touched either.
    expect((await stat(join(dir, 'README.md'))).isFile()).toBe(true);
  });
});
