/**
 * The line a streaming run keeps of each article (`reportLine`): what `summary.md`, the
 * annotations and the action's outputs need, and no more — a run of 10,000 articles keeps
 * 10,000 of them until its end.
 */
import { describe, expect, it } from 'vitest';
import { type Changes, emptyArticle, type Report, type RunInfo } from '../src/model.js';
import { buildReport } from '../src/report/build.js';
import { reportLine } from '../src/report/line.js';
import { renderSummary, renderSummaryLines } from '../src/report/summary.js';

const NOW = '2026-11-28T12:00:00.000Z';
const run: RunInfo = { now: NOW, offline: false, requests: 3, savedByCadence: 0 };

const noChanges = (): Changes => ({
  previousRunAt: '2026-11-27T12:00:00.000Z',
  revisionChanged: true,
  newlyDead: [],
  newlySuspect: [],
  recovered: [],
  newlyBlocked: [],
  referencesAdded: ['A new book'],
  referencesRemoved: [],
  tagsAdded: [{ kind: 'citation-needed', text: '{{cn}}' }],
  tagsRemoved: [],
  newUnsourcedClaims: 2,
});

const reportOf = (title: string, changes?: Changes): Report => {
  const report = buildReport(emptyArticle({ format: 'markdown', bytes: 1, sha256: 'x' }, title), [], run);
  if (changes) report.changes = changes;
  return report;
};

describe('report lines', () => {
  it('keeps only the news of the changes: newly dead, recovered, new unsourced claims', () => {
    const changes = noChanges();
    changes.newlyDead = [{ url: 'https://gone.test/a', referenceIds: ['r1'], from: 'alive', to: 'dead' }];
    const line = reportLine(reportOf('Alpha', changes), 'alpha');
    expect(line.changes).toEqual({
      newlyDead: [{ url: 'https://gone.test/a', referenceIds: ['r1'], from: 'alive', to: 'dead' }],
      recovered: [],
      newUnsourcedClaims: 2,
    });
    expect(line.changes?.newlyDead).not.toBe(changes.newlyDead);
    expect(line).toMatchObject({ title: 'Alpha', slug: 'alpha', run, archived: 0, deadUrls: [] });
    expect(reportLine(reportOf('Beta'), 'beta').changes).toBeUndefined();
  });

  it('every empty list of every line is one shared frozen list', () => {
    const a = reportLine(reportOf('Alpha', noChanges()), 'alpha', { annotations: false });
    const b = reportLine(reportOf('Beta', noChanges()), 'beta');
    const empties = [a.deadUrls, a.annotations, a.changes?.newlyDead, a.changes?.recovered, b.deadUrls];
    for (const list of empties) {
      expect(list).toBe(a.deadUrls);
      expect(Object.isFrozen(list)).toBe(true);
    }
    expect(() => (a.deadUrls as string[]).push('https://x.test/')).toThrow(TypeError);
  });

  it('summary.md from the lines is the one from the whole reports', () => {
    const changes = noChanges();
    changes.recovered = [{ url: 'https://back.test/', referenceIds: ['r2'], from: 'dead', to: 'alive' }];
    const reports = [reportOf('Alpha', changes), reportOf('Beta', noChanges()), reportOf('Gamma')];
    const slugs = ['alpha', 'beta', 'gamma'];
    expect(renderSummaryLines(reports.map((r, i) => reportLine(r, slugs[i]!)))).toBe(
      renderSummary(reports, { slugs }),
    );
    expect(renderSummary(reports, { slugs })).toContain('0 newly dead, 1 recovered, 2 new unsourced claims');
  });
});
