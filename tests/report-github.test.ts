import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyArticle, emptyReference, type Finding, type RunInfo } from '../src/model.js';
import { buildReport } from '../src/report/build.js';
import {
  annotationsFor,
  countRun,
  escapeCommandData,
  escapeCommandProperty,
  renderAnnotation,
  renderOutputs,
} from '../src/report/github.js';
import { writeGithubRunFiles } from '../src/report/github-write.js';

const run: RunInfo = { now: '2026-11-28T00:00:00.000Z', offline: false, requests: 0, savedByCadence: 0 };

describe('workflow-command escaping', () => {
  it('escapes % CR LF in data', () => {
    expect(escapeCommandData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
  });
  it('escapes % CR LF : , in properties', () => {
    expect(escapeCommandProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });
  it('renders an annotation', () => {
    expect(
      renderAnnotation({
        level: 'warning',
        file: 'refs/a,b.md',
        line: 12,
        title: 'citewatch: citation-needed',
        message: 'Tagged: "x"\nnext',
      }),
    ).toBe('::warning file=refs/a%2Cb.md,line=12,title=citewatch%3A citation-needed::Tagged: "x"%0Anext');
  });
});

describe('annotationsFor', () => {
  it('annotates findings with a line, skipping info', () => {
    const article = emptyArticle({ format: 'markdown', path: 'references/a.md', bytes: 1, sha256: 'x' }, 'A');
    article.blocks.push({ kind: 'paragraph', section: 'History', text: 't', sentences: ['t'], line: 7 });
    const ref = emptyReference('3', 'r');
    ref.line = 40;
    article.references.push(ref);
    const findings: Finding[] = [
      {
        kind: 'citation-needed',
        severity: 'warning',
        message: 'm1',
        referenceIds: [],
        location: { section: 'History', block: 0 },
      },
      {
        kind: 'invalid-identifier',
        severity: 'error',
        message: 'm2',
        referenceIds: ['3'],
        location: { section: 'References' },
      },
      {
        kind: 'no-archive',
        severity: 'info',
        message: 'm3',
        referenceIds: ['3'],
        location: { section: 'References' },
      },
      { kind: 'x', severity: 'warning', message: 'nowhere', referenceIds: [], location: { section: 'S' } },
    ];
    const anns = annotationsFor(buildReport(article, findings, run));
    expect(anns).toEqual([
      {
        level: 'warning',
        file: 'references/a.md',
        line: 7,
        title: 'citewatch: citation-needed',
        message: 'm1',
      },
      {
        level: 'error',
        file: 'references/a.md',
        line: 40,
        title: 'citewatch: invalid-identifier',
        message: 'm2',
      },
    ]);
  });
});

describe('outputs', () => {
  it('uses name=value, and a heredoc whose delimiter is not in the value', () => {
    expect(renderOutputs({ dead: 2, text: 'a\nCITEWATCH_EOF\nb' })).toBe(
      'dead=2\ntext<<CITEWATCH_EOF_\na\nCITEWATCH_EOF\nb\nCITEWATCH_EOF_\n',
    );
  });

  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cw-gh-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends the summary and the counts to the runner files', async () => {
    const report = buildReport(emptyArticle({ format: 'markdown', bytes: 1, sha256: 'x' }, 'A'), [], run);
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_OUTPUT: join(dir, 'output'),
    };
    await writeGithubRunFiles(env, [report], { outDir: 'reports', exitCode: 0 });
    await writeGithubRunFiles(env, [report], { outDir: 'reports', exitCode: 1 });
    expect((await readFile(env.GITHUB_STEP_SUMMARY, 'utf8')).match(/# citewatch summary/g)).toHaveLength(2);
    const output = await readFile(env.GITHUB_OUTPUT, 'utf8');
    expect(output).toContain('report-dir=reports\ndead=0\n');
    expect(output).toContain('exit-code=1\n');
    expect(countRun([report])).toEqual({
      dead: 0,
      suspect: 0,
      blocked: 0,
      unsourced: 0,
      archived: 0,
      newDead: 0,
      newUnsourced: 0,
    });
  });
});

describe('ACTION_OUTPUT_NAMES', () => {
  it('matches what writeGithubRunFiles writes', async () => {
    const { ACTION_OUTPUT_NAMES } = await import('../src/report/github-write.js');
    const dir = await mkdtemp(join(tmpdir(), 'cw-gh-'));
    const report = buildReport(emptyArticle({ format: 'markdown', bytes: 1, sha256: 'x' }, 'A'), [], run);
    await writeGithubRunFiles({ GITHUB_OUTPUT: join(dir, 'o') }, [report], { outDir: 'r', exitCode: 0 });
    const names = (await readFile(join(dir, 'o'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split('=')[0]);
    await rm(dir, { recursive: true, force: true });
    expect(names).toEqual([...ACTION_OUTPUT_NAMES]);
  });
});

describe('job summary size (regression: over 1 MiB at ~8,700 articles, news lost)', () => {
  it('keeps the news first and the summary within 1 MiB, cut on a character boundary, linking to the run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cw-gh-'));
    try {
      const reports = Array.from({ length: 9000 }, (_, i) => {
        const r = buildReport(
          emptyArticle(
            { format: 'markdown', bytes: 1, sha256: `${i}` },
            `Ärtikel ${i} — ${'日本語'.repeat(20)}`,
          ),
          [],
          run,
        );
        if (i === 8999)
          r.changes = {
            revisionChanged: false,
            newlyDead: [{ url: 'https://news.example/gone', referenceIds: ['r1'], to: 'dead' }],
            newlySuspect: [],
            recovered: [],
            newlyBlocked: [],
            referencesAdded: [],
            referencesRemoved: [],
            tagsAdded: [],
            tagsRemoved: [],
            newUnsourcedClaims: 0,
          };
        return r;
      });
      const env = {
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_RUN_ID: '42',
      };
      await writeGithubRunFiles(env, reports, { outDir: 'reports', exitCode: 0 });
      const bytes = await readFile(env.GITHUB_STEP_SUMMARY);
      expect(bytes.length).toBeLessThanOrEqual(1024 * 1024);
      const text = bytes.toString('utf8');
      expect(Buffer.from(text, 'utf8').equals(bytes)).toBe(true);
      expect(text).not.toContain('\uFFFD');
      const news = text.indexOf('## New since the last run');
      expect(news).toBeGreaterThan(0);
      expect(news).toBeLessThan(text.indexOf('| Article |'));
      expect(text).toContain('dead: <https://news.example/gone>');
      expect(text).toContain('https://github.com/o/r/actions/runs/42');
      expect(text.trimEnd().endsWith('artifact).')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the link-rot issue (regression: the 60 KB cut broke UTF-8 and dropped the news)', () => {
  const deadReport = (title: string, urls: readonly string[]) => {
    const article = emptyArticle({ format: 'markdown', bytes: 1, sha256: title }, title);
    urls.forEach((url, i) => {
      const ref = emptyReference(`r${i}`, 'Quelle');
      ref.links.push({
        url,
        role: 'source',
        check: {
          outcome: 'dead',
          verdict: 'dead',
          reason: 'http-404',
          checkedAt: run.now,
          since: '2026-11-01T00:00:00.000Z',
        },
      });
      article.references.push(ref);
    });
    return buildReport(article, [], run);
  };

  it('puts the links not announced yet first, stays within 65,536 characters on character boundaries, and remembers what it announced', async () => {
    const { renderIssue, announcedIn, ISSUE_MARKER } = await import('../src/report/github-issue.js');
    const many = Array.from({ length: 3000 }, (_, i) =>
      deadReport(`Статья ${i} ${'😀'.repeat(5)}`, [`https://old.example/${i}/${'ü'.repeat(10)}`]),
    );
    const first = renderIssue(many, { runUrl: 'https://github.com/o/r/actions/runs/1' });
    expect([...first.body].length).toBeLessThanOrEqual(65_536);
    expect(first.body).not.toContain('\uFFFD');
    expect(first.body.startsWith(ISSUE_MARKER)).toBe(true);
    expect(first.body).toContain(
      'more newly dead links (announced in a later update): see [the workflow run](https://github.com/o/r/actions/runs/1)',
    );
    const announced = announcedIn(first.body);
    expect(announced.size).toBe(first.fresh.length);
    expect(first.fresh.length).toBeGreaterThan(100);

    // The next night: one more link died; it comes first, the others are not news again.
    const tonight = [deadReport('Neu', ['https://new.example/gone']), ...many];
    const second = renderIssue(tonight, { previousBody: first.body });
    const newly = second.body.slice(
      second.body.indexOf('## Newly dead'),
      second.body.indexOf('## All dead links'),
    );
    expect(newly).toContain('<https://new.example/gone>');
    expect(newly).not.toContain('https://old.example/0/');
    expect(second.body.indexOf('## Newly dead')).toBeLessThan(second.body.indexOf('## All dead links'));
    expect(second.comment).toContain('<https://new.example/gone>');
    // What did not fit before is announced now, never lost.
    expect(second.fresh.some((d) => d.url.startsWith('https://old.example/'))).toBe(true);
  });

  it('says nothing new when every dead link was announced, and forgets links that recovered', async () => {
    const { renderIssue, announcedIn } = await import('../src/report/github-issue.js');
    const a = deadReport('A', ['https://a.example/x', 'https://a.example/y']);
    const body = renderIssue([a]).body;
    const again = renderIssue([a], { previousBody: body });
    expect(again.fresh).toEqual([]);
    expect(again.comment).toBe('');
    const recovered = deadReport('A', ['https://a.example/x']);
    expect(announcedIn(renderIssue([recovered], { previousBody: body }).body).size).toBe(1);
  });
});
