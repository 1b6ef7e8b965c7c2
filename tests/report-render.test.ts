import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Article,
  emptyArticle,
  emptyReference,
  type Finding,
  IDENTIFIER_KINDS,
  Report,
  type RunInfo,
} from '../src/model.js';
import { buildReport } from '../src/report/build.js';
import { parseReport, renderJson, reportJsonSchema, validateReport } from '../src/report/json.js';
import { closeLines, renderMarkdown } from '../src/report/markdown.js';
import { renderSummary } from '../src/report/summary.js';
import { assignSlugs, writeReports } from '../src/report/write.js';

const NOW = '2026-11-28T12:00:00.000Z';
const run: RunInfo = { now: NOW, offline: false, requests: 4, savedByCadence: 0 };

function sampleArticle(title = 'Sample *article*'): Article {
  const article = emptyArticle({ format: 'markdown', path: 'sample.md', bytes: 10, sha256: 'x' }, title);
  article.sections.push({ title: '(lead)', level: 1 });
  article.blocks.push({
    kind: 'paragraph',
    section: '(lead)',
    text: 'A claim. <b>Another</b> claim | with a pipe.',
    sentences: ['A claim.', '<b>Another</b> claim | with a pipe.'],
  });
  const dead = emptyReference('1', 'Dead source');
  dead.number = 1;
  dead.links.push({
    url: 'https://example.com/gone',
    role: 'source',
    check: {
      outcome: 'dead',
      verdict: 'dead',
      reason: 'http-404',
      httpStatus: 404,
      checkedAt: NOW,
      snapshot: {
        url: 'https://web.archive.org/web/20200101000000/https://example.com/gone',
        timestamp: '20200101000000',
      },
      streak: 3,
    },
  });
  const suspect = emptyReference('2', 'Suspect source');
  suspect.number = 2;
  suspect.links.push({
    url: 'https://example.org/flaky',
    role: 'source',
    check: {
      outcome: 'dead',
      verdict: 'suspect',
      reason: 'http-410',
      httpStatus: 410,
      checkedAt: NOW,
      streak: 1,
      since: NOW,
    },
  });
  const blocked = emptyReference('3', 'Blocked source');
  blocked.number = 3;
  blocked.links.push({
    url: 'https://paywalled.example/x',
    role: 'source',
    check: {
      outcome: 'blocked',
      verdict: 'blocked',
      reason: 'bot-challenge',
      httpStatus: 403,
      checkedAt: NOW,
      streak: 14,
      since: '2026-10-02T00:00:00.000Z',
    },
  });
  blocked.links.push({
    url: 'http://10.0.0.1/x',
    role: 'other',
    check: { outcome: 'skipped', verdict: 'skipped', reason: 'address-not-allowed', checkedAt: NOW },
  });
  article.references.push(dead, suspect, blocked);
  article.citations.push({ referenceId: '1', block: 0, sentence: 0 });
  return article;
}

const findings: Finding[] = [
  {
    kind: 'citation-needed',
    severity: 'warning',
    message: 'Claim tagged [citation needed]',
    referenceIds: [],
    location: { section: '(lead)', block: 0 },
    quote: '<b>Another</b> claim | with a pipe.',
  },
  {
    kind: 'dead-link',
    severity: 'error',
    message: 'https://example.com/gone is dead (http-404)',
    referenceIds: ['1'],
    location: { section: '(lead)' },
    suggestion:
      '|archive-url=https://web.archive.org/web/20200101000000/https://example.com/gone |archive-date=2020-01-01 |url-status=dead',
  },
  {
    kind: 'invalid-identifier',
    severity: 'error',
    message: 'ISBN 9781003212981 fails its check digit',
    referenceIds: ['2'],
    location: { section: 'References' },
  },
];

describe('buildReport', () => {
  it('counts links by verdict and findings by severity', () => {
    const report = buildReport(sampleArticle(), findings, run);
    expect(report.summary.links).toEqual({
      total: 4,
      alive: 0,
      suspect: 1,
      dead: 1,
      blocked: 1,
      error: 0,
      skipped: 1,
    });
    expect(report.summary.findings).toEqual({ error: 2, warning: 1, info: 0 });
    expect(report.summary.unsourcedClaims).toBe(1);
    expect(report.summary.findingsByKind['dead-link']).toBe(1);
    expect(Report.safeParse(report).success).toBe(true);
  });

  it('counts the identifiers of every kind and every reference', () => {
    const article = sampleArticle();
    article.references[0]!.identifiers.doi.push('10.1000/a', '10.1000/b');
    article.references[1]!.identifiers.isbn.push('9781003212981');
    article.references[2]!.identifiers.oclc.push('123');
    article.references[2]!.identifiers.pmc.push('PMC1');
    expect(buildReport(article, findings, run).summary.identifiers.total).toBe(5);
  });

  it('counts an identifier of each kind there is', () => {
    const article = sampleArticle();
    for (const kind of IDENTIFIER_KINDS) article.references[0]!.identifiers[kind].push('x');
    expect(buildReport(article, findings, run).summary.identifiers.total).toBe(IDENTIFIER_KINDS.length);
  });
});

describe('renderJson and the JSON Schema', () => {
  it('round-trips through parseReport', () => {
    const report = buildReport(sampleArticle(), findings, run);
    expect(parseReport(renderJson(report), 'r.json')).toEqual(report);
  });
  it('validateReport refuses a report that does not fit the schema (tests check what runs write)', () => {
    const report = buildReport(sampleArticle(), findings, run);
    expect(validateReport(report)).toEqual(report);
    (report.summary as { references: number }).references = -1;
    expect(() => validateReport(report)).toThrow(/does not fit its schema/);
  });
  it('is a draft 2020-12 schema describing the top-level fields', () => {
    const schema = reportJsonSchema() as {
      $schema: string;
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(schema.$schema).toContain('2020-12');
    expect(schema.required).toEqual(
      expect.arrayContaining(['schemaVersion', 'article', 'findings', 'summary']),
    );
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(buildReport(sampleArticle(), findings, run));

  it('puts the summary first, then dead, suspect and blocked links', () => {
    const order = [
      '## Summary',
      '## Dead links',
      '## Suspect links',
      '## Blocked links',
      '## Unchecked',
      '## Unsourced claims',
      '## Identifier problems',
    ];
    const positions = order.map((h) => md.indexOf(h));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('names references by number and gives the archive replacement', () => {
    expect(md).toContain(
      '| \\[1\\] | <https://example.com/gone> | http-404 (HTTP 404) | 3 checks | never seen alive | <https://web.archive.org/web/20200101000000/https://example.com/gone>',
    );
    expect(md).toContain('\\|url-status=dead`');
    // The suggestion's pipes are escaped: the dead row keeps its six cells on GitHub.
    const row = md.split('\n').find((l) => l.startsWith('| \\[1\\] | <https://example.com/gone>'))!;
    expect(row.split(/(?<!\\)\|/)).toHaveLength(8);
    expect(md).toContain('**\\[2\\]** ISBN 9781003212981 fails its check digit');
    expect(md).toContain('2026-10-02, 14 checks');
  });

  it('escapes what came from the article', () => {
    expect(md).toContain('# Citation report: Sample \\*article\\*');
    expect(md).toContain('&lt;b&gt;Another&lt;/b&gt; claim \\| with a pipe.');
    expect(md).not.toContain('<b>');
  });

  it('regression: timeouts, resets and 5xx get their own section, not "Blocked links"', () => {
    const article = emptyArticle({ format: 'markdown', path: 'x.md', bytes: 1, sha256: 'x' }, 'Failures');
    const link = (url: string, verdict: 'blocked' | 'error', reason: string, httpStatus?: number) => ({
      url,
      role: 'source' as const,
      check: {
        outcome: verdict,
        verdict,
        reason,
        ...(httpStatus && { httpStatus }),
        checkedAt: NOW,
        since: '2026-11-20T00:00:00.000Z',
        streak: 2,
      },
    });
    const refused = emptyReference('1', 'Refused');
    refused.number = 1;
    refused.links.push(link('https://bot-wall.example/a', 'blocked', 'http-403', 403));
    const failing = emptyReference('2', 'Failing');
    failing.number = 2;
    failing.links.push(link('https://slow.example/a', 'error', 'timeout'));
    failing.links.push(link('https://broken.example/b', 'error', 'http-503', 503));
    article.references.push(refused, failing);
    const text = renderMarkdown(buildReport(article, [], run));
    const blocked = text.slice(
      text.indexOf('## Blocked links'),
      text.indexOf('## Links that failed to load'),
    );
    const failed = text.slice(text.indexOf('## Links that failed to load'));
    expect(text.indexOf('## Blocked links')).toBeGreaterThan(0);
    expect(text.indexOf('## Links that failed to load')).toBeGreaterThan(text.indexOf('## Blocked links'));
    expect(blocked).toContain('https://bot-wall.example/a');
    expect(blocked).not.toContain('slow.example');
    expect(failed).toContain('| \\[2\\] | <https://slow.example/a> | timeout | 2026-11-20, 2 checks |');
    expect(failed).toContain('http-503 (HTTP 503)');
    expect(failed).not.toContain('bot-wall.example');
  });

  it('says so at the top when the run was offline', () => {
    const offline = renderMarkdown(
      buildReport(sampleArticle(), [], { ...run, offline: true, offlineReason: 'requested' }),
    );
    expect(offline.split('\n').slice(0, 6).join('\n')).toContain('**Offline run**');
  });
});

describe('closeLines', () => {
  it('gives the lines joined, trailing whitespace trimmed and one closing newline, in one flat join', () => {
    const line = fc
      .array(fc.constantFrom('a', ' ', '\t', '\n', '-', 'é', ''), { maxLength: 6 })
      .map((c) => c.join(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        expect(closeLines([...lines])).toBe(`${lines.join('\n').trimEnd()}\n`);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('renderMarkdown: live links without an archive copy', () => {
  const liveRef = (id: string, url: string, snapshot?: { url: string; timestamp: string }) => {
    const ref = emptyReference(id, `Live ${id}`);
    ref.number = Number(id);
    ref.links.push({
      url,
      role: 'source',
      check: {
        outcome: 'alive',
        verdict: 'alive',
        reason: 'http-200',
        checkedAt: NOW,
        ...(snapshot && { snapshot }),
      },
    });
    return ref;
  };

  it('lists them folded, with the snapshot and the parameters to add, escaped', () => {
    const article = sampleArticle();
    const odd = 'https://example.net/a|b`c';
    article.references.push(
      liveRef('4', odd, {
        url: `https://web.archive.org/web/20210102030405/${odd}`,
        timestamp: '20210102030405',
      }),
      liveRef('5', 'https://example.net/never-saved'),
    );
    const archived = liveRef('6', 'https://example.net/has-copy');
    archived.archive = {
      present: true,
      url: 'https://web.archive.org/web/2020/https://example.net/has-copy',
    };
    article.references.push(archived);
    const md = renderMarkdown(buildReport(article, [], run));
    const section = md.slice(md.indexOf('## Live links without an archive copy'), md.indexOf('</details>'));
    expect(section).toContain('1 of 2 have one in the Wayback Machine');
    expect(section).toContain('<summary>2 live links without an archive copy</summary>');
    expect(section).toContain('\\|archive-date=2021-01-02 \\|url-status=live');
    expect(section).toContain('| \\[5\\] | <https://example.net/never-saved> | none found |');
    expect(section).not.toContain('has-copy');
    // The odd URL never breaks the table: every row has its four cells.
    for (const row of section.split('\n').filter((l) => l.startsWith('| \\[')))
      expect(row.split(/(?<!\\)\|/).length).toBe(6);
  });

  it('is left out when every live link has its archive copy', () => {
    expect(renderMarkdown(buildReport(sampleArticle(), [], run))).not.toContain('without an archive copy');
  });
});

describe('renderSummary', () => {
  it('lists the worst article first and dead links by host', () => {
    const good = buildReport(emptyArticle({ format: 'markdown', bytes: 1, sha256: 'y' }, 'Good'), [], run);
    const bad = buildReport(sampleArticle('Bad'), findings, run);
    const md = renderSummary([good, bad]);
    expect(md.indexOf('[Bad](bad.md)')).toBeLessThan(md.indexOf('[Good](good.md)'));
    expect(md).toContain('| example.com | 1 |');
  });
  it('gives two articles with one title distinct file names', () => {
    const a = buildReport(sampleArticle('Same'), [], run);
    expect(assignSlugs([a, a])).toEqual(['same', 'same-2']);
  });
});

describe('writeReports', () => {
  it('writes every report, the summary and the trend chart, and no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cw-write-'));
    try {
      const report = buildReport(sampleArticle('One'), findings, run);
      const written = await writeReports(dir, [report], {
        formats: ['json', 'md'],
        trend: [{ at: NOW, dead: 1, suspect: 1, blocked: 1 }],
      });
      expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
        'one.json',
        'one.md',
        'summary.md',
        'trend.svg',
      ]);
      expect((await readdir(dir)).sort()).toEqual([
        '.citewatch-manifest.json',
        'one.json',
        'one.md',
        'summary.md',
        'trend.svg',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a rendering error part way leaves neither a report nor a temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cw-write-'));
    try {
      const good = buildReport(sampleArticle('Good'), findings, run);
      // The second report cannot be rendered: its article is missing.
      const broken = {
        ...buildReport(sampleArticle('Broken'), [], run),
        article: undefined,
      } as unknown as Report;
      await expect(writeReports(dir, [good, broken], { formats: ['json', 'md'] })).rejects.toThrow();
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
