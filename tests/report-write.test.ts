/**
 * Writing the report files: file names that never collide (two articles with one title, titles
 * that differ only in case, an article called "Summary", reserved Windows names, long titles),
 * and write failures that leave no temporary file and no half-written run behind.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, ReportError } from '../src/errors.js';
import { emptyArticle, type Report, type RunInfo } from '../src/model.js';
import { buildReport } from '../src/report/build.js';
import {
  assignSlugs,
  MANIFEST_FILE,
  type ReportFs,
  ReportWriter,
  removeTemporaryFiles,
  stableForm,
  writeFileAtomic,
  writeReports,
  writeUtf8File,
} from '../src/report/write.js';

const NOW = '2026-11-28T12:00:00.000Z';
const run: RunInfo = { now: NOW, offline: false, requests: 0, savedByCadence: 0 };
const reportOf = (title: string): Report =>
  buildReport(emptyArticle({ format: 'markdown', bytes: 1, sha256: 'x' }, title), [], run);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stableForm', () => {
  const link = (verdict: string, at: string, streak: number) => ({
    url: 'https://example.org/a',
    check: { verdict, checkedAt: at, streak, lastAliveAt: at, reason: 'http-404' },
  });
  const parsed = (at: string, streak: number, verdict = 'dead', extra: Record<string, unknown> = {}) =>
    JSON.parse(
      JSON.stringify({
        generatedAt: at,
        run: { now: at, offline: false, requests: streak, savedByCadence: 1 },
        article: { title: 'A', references: [{ id: '1', links: [link(verdict, at, streak)] }] },
        findings: [{ kind: 'dead-link', message: `dead for ${streak} checks since ${at.slice(0, 10)}` }],
        ...extra,
      }),
    ) as unknown;

  it('drops what changes every run by itself: clocks, streaks, request counts', () => {
    const a = parsed('2026-11-20T00:00:00.000Z', 3);
    const b = parsed('2026-11-21T00:00:00.000Z', 4);
    expect(stableForm(a)).not.toEqual(stableForm(b)); // the finding's date differs
    const c = parsed('2026-11-20T00:00:00.000Z', 4);
    expect(stableForm(c)).toEqual(stableForm(a));
    expect(stableForm(a)).toEqual({
      run: { offline: false, offlineReason: undefined, shard: undefined },
      article: {
        title: 'A',
        references: [
          {
            id: '1',
            links: [
              {
                url: 'https://example.org/a',
                check: { verdict: 'dead', lastAliveAt: '2026-11-20T00:00:00.000Z', reason: 'http-404' },
              },
            ],
          },
        ],
      },
      findings: [{ kind: 'dead-link', message: 'dead for N checks since 2026-11-20' }],
    });
  });

  it('drops lastAliveAt of an alive link only, and keeps every other field', () => {
    const alive = stableForm(parsed('2026-11-20T00:00:00.000Z', 1, 'alive', { summary: { x: 1 } })) as {
      article: { references: Array<{ links: Array<{ check: Record<string, unknown> }> }> };
      summary: unknown;
    };
    expect(alive.article.references[0]!.links[0]!.check).toEqual({ verdict: 'alive', reason: 'http-404' });
    expect(alive.summary).toEqual({ x: 1 });
  });
});

/** The real file system, except that the `failAt`-th call of `op` fails with `code`. */
function faultyFs(op: 'writeFile' | 'rename', failAt: number, code: string): ReportFs {
  let calls = 0;
  const fail = () => {
    calls += 1;
    if (calls === failAt) {
      const error = new Error(`${code}: simulated failure, ${op} '/somewhere'`) as NodeJS.ErrnoException;
      error.code = code;
      throw error;
    }
  };
  return {
    writeFile: async (...args) => {
      if (op === 'writeFile') fail();
      const { writeFile } = await import('node:fs/promises');
      return writeFile(...args);
    },
    rename: async (...args) => {
      if (op === 'rename') fail();
      const { rename } = await import('node:fs/promises');
      return rename(...args);
    },
  };
}

describe('report file names', () => {
  it('two articles with one title, or titles that differ only in case, get distinct names', () => {
    const slugs = assignSlugs([reportOf('Apple'), reportOf('Apple'), reportOf('APPLE'), reportOf('Apple 2')]);
    expect(new Set(slugs.map((s) => s.toLowerCase())).size).toBe(4);
    expect(slugs[0]).toBe('apple');
  });

  it('an article never takes the name of the summary, the trend chart or a reserved device name', () => {
    const titles = ['Summary', 'Trend', 'CON', 'nul', 'Aux', 'PRN', 'COM1', 'lpt9', 'Summary'];
    const slugs = assignSlugs(titles.map(reportOf));
    for (const slug of slugs)
      expect(['summary', 'trend', 'con', 'nul', 'aux', 'prn', 'com1', 'lpt9']).not.toContain(slug);
    expect(new Set(slugs).size).toBe(titles.length);
    for (const slug of slugs) expect(slug).toMatch(/^[^.]/);
  });

  it('a long title in a non-Latin script still fits a file name (255 bytes)', async () => {
    const title = '中华人民共和国人工智能产业'.repeat(12);
    const [slug] = assignSlugs([reportOf(title), reportOf(title)]);
    expect(Buffer.byteLength(`${slug}.json.123456789.tmp`)).toBeLessThanOrEqual(255);
    const written = await writeReports(dir, [reportOf(title), reportOf(title)], { formats: ['json'] });
    expect(written).toHaveLength(3);
  });

  it('"Summary" and two "Apple"s: every report is kept, summary.md is the run summary', async () => {
    const reports = [reportOf('Summary'), reportOf('Apple'), reportOf('apple')];
    const written = await writeReports(dir, reports, { formats: ['json', 'md'] });
    // Besides the reports, the manifest of what citewatch wrote (for removing stale reports).
    const files = (await readdir(dir)).filter((f) => f !== MANIFEST_FILE).sort();
    expect(files).toHaveLength(7);
    expect(written).toHaveLength(7);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    const summary = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('# citewatch summary');
    // The summary links every article to its own file.
    for (const f of files.filter((f) => f.endsWith('.md') && f !== 'summary.md'))
      expect(summary).toContain(`](${f})`);
    const titles = await Promise.all(
      files
        .filter((f) => f.endsWith('.json'))
        .map(async (f) => (JSON.parse(await readFile(join(dir, f), 'utf8')) as Report).article.title),
    );
    expect(titles.sort()).toEqual(['Apple', 'Summary', 'apple']);
  });
});

describe('file contents', () => {
  it('a report file holds the UTF-8 bytes of its text, lone surrogates as U+FFFD as Buffer.from makes them', async () => {
    // Article text reaches the Markdown report as it is, a stray half of a surrogate pair too.
    const text = `# A\uD800b \uDC00 😀 é \u0000 ${'x'.repeat(70_000)} \uD83D`;
    const path = join(dir, 'a.md');
    await writeFileAtomic(path, text);
    expect((await readFile(path)).equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(await readdir(dir)).toEqual(['a.md']);
  });

  it('writing a chunk at a time gives the bytes of Buffer.from, surrogate pairs across every chunk end', async () => {
    const path = join(dir, 'c.txt');
    const unit = fc.constantFrom('a', 'é', '中', '😀', '\uD800', '\uDC00', '\u0000', '\n');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), (units, chunk) => {
        const text = units.join('');
        writeUtf8File(path, text, chunk);
        expect(readFileSync(path).equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('write failures', () => {
  it('a folder squatting a report’s name: a ReportError naming it, nothing written, no temporary file', async () => {
    await mkdir(join(dir, 'two.json'));
    const error = await writeReports(dir, [reportOf('One'), reportOf('Two')], {
      formats: ['json', 'md'],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).code).toBe(ERROR_CODES.report);
    expect((error as ReportError).message).toContain(join(dir, 'two.json'));
    expect((error as ReportError).message.split('\n')).toHaveLength(1);
    expect(await readdir(dir)).toEqual(['two.json']);
  });

  it('a full disk part way (ENOSPC): a ReportError saying so, no report and no temporary file', async () => {
    const error = await writeReports(dir, [reportOf('One'), reportOf('Two')], {
      formats: ['json', 'md'],
      fs: faultyFs('writeFile', 3, 'ENOSPC'),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).message).toMatch(/ENOSPC/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a rename that fails part way leaves no temporary file', async () => {
    await expect(
      writeReports(dir, [reportOf('One'), reportOf('Two')], {
        formats: ['json', 'md'],
        fs: faultyFs('rename', 2, 'EIO'),
      }),
    ).rejects.toThrow(ReportError);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('removeTemporaryFiles (the CLI’s signal handlers) removes the files a writer has not renamed yet', async () => {
    const writer = new ReportWriter(dir, { formats: ['json', 'md'] });
    await writer.add(reportOf('One'));
    await writer.add(reportOf('Two'));
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toHaveLength(4);
    expect(
      writer
        .temporaryPaths()
        .map((p) => p.slice(dir.length + 1))
        .sort(),
    ).toEqual(['one.json', 'one.md', 'two.json', 'two.md'].map((f) => `${f}.${process.pid}.tmp`));
    removeTemporaryFiles();
    expect(await readdir(dir)).toEqual([]);
  });

  it('a rename that fails part way: abort removes the files still temporary, the writer lists no more', async () => {
    const writer = new ReportWriter(dir, { formats: ['json'], fs: faultyFs('rename', 2, 'EIO') });
    await writer.add(reportOf('One'));
    await writer.add(reportOf('Two'));
    await expect(writer.finish(() => '# summary\n')).rejects.toThrow(ReportError);
    // one.json is in place; two.json and summary.md are still temporary.
    expect(writer.temporaryPaths()).toHaveLength(2);
    await writer.abort();
    expect(writer.temporaryPaths()).toEqual([]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('an --out that is a file: a ReportError, not a stack trace', async () => {
    const file = join(dir, 'taken');
    await (await import('node:fs/promises')).writeFile(file, 'x');
    await expect(writeReports(file, [reportOf('One')], { formats: ['json'] })).rejects.toThrow(ReportError);
  });
});
