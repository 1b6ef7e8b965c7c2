import { describe, expect, it } from 'vitest';
import { planChecks, type StoredObservation } from '../src/history/index.js';
import type { Outcome } from '../src/model.js';

const NOW = '2026-11-28T03:00:00.000Z';
const ago = (hours: number): string => new Date(Date.parse(NOW) - hours * 3_600_000).toISOString();

/** A history with one latest observation per URL. */
function history(latest: Record<string, { outcome: Outcome; hoursAgo: number }>) {
  return {
    last: (url: string): StoredObservation | undefined => {
      const l = latest[url];
      return (
        l && { runId: 1, url, outcome: l.outcome, reason: 'r', at: ago(l.hoursAgo), durationMs: 1, bytes: 1 }
      );
    },
  };
}

describe('planChecks', () => {
  const cases: Array<[string, Outcome | undefined, number, 'fetch' | 'reuse']> = [
    ['a new link', undefined, 0, 'fetch'],
    ['alive, checked yesterday', 'alive', 24, 'reuse'],
    ['alive, checked 6 days ago', 'alive', 6 * 24, 'reuse'],
    ['alive, checked 7 days ago', 'alive', 7 * 24, 'fetch'],
    [
      'alive, checked 7 days less 10 minutes ago (the nightly job started early)',
      'alive',
      7 * 24 - 1 / 6,
      'fetch',
    ],
    ['suspect (dead outcome), checked 2 hours ago', 'dead', 2, 'reuse'],
    ['suspect, checked 23.5 hours ago (nightly)', 'dead', 23.5, 'fetch'],
    ['suspect, checked 25 hours ago', 'dead', 25, 'fetch'],
    ['blocked, checked 3 hours ago', 'blocked', 3, 'reuse'],
    ['blocked, checked a day ago', 'blocked', 24, 'fetch'],
    ['error, checked 3 hours ago', 'error', 3, 'reuse'],
    ['error, checked a day ago', 'error', 24, 'fetch'],
    ['skipped an hour ago (offline)', 'skipped', 1, 'fetch'],
    ['observed in the future (an earlier --now)', 'alive', -5, 'fetch'],
  ];
  it.each(cases)('%s → %s', (_name, outcome, hoursAgo, expected) => {
    const view = history(outcome ? { 'https://x.test/': { outcome, hoursAgo } } : {});
    const plan = planChecks(['https://x.test/'], view, { now: NOW });
    if (expected === 'fetch') {
      expect(plan.fetch).toEqual(['https://x.test/']);
      expect(plan.reuse.size).toBe(0);
    } else {
      expect(plan.fetch).toEqual([]);
      expect(plan.reuse.get('https://x.test/')?.outcome).toBe(outcome);
    }
  });

  it('fetches everything with full, and each URL once', () => {
    const view = history({ 'https://a.test/': { outcome: 'alive', hoursAgo: 1 } });
    const urls = ['https://a.test/', 'https://b.test/', 'https://a.test/'];
    expect(planChecks(urls, view, { now: NOW, full: true })).toEqual({
      fetch: ['https://a.test/', 'https://b.test/'],
      reuse: new Map(),
    });
    const plan = planChecks(urls, view, { now: NOW });
    expect(plan.fetch).toEqual(['https://b.test/']);
    expect([...plan.reuse.keys()]).toEqual(['https://a.test/']);
  });

  it('takes its intervals from the options', () => {
    const view = history({
      'https://alive.test/': { outcome: 'alive', hoursAgo: 50 },
      'https://dead.test/': { outcome: 'dead', hoursAgo: 5 },
      'https://blocked.test/': { outcome: 'blocked', hoursAgo: 5 },
    });
    const plan = planChecks(['https://alive.test/', 'https://dead.test/', 'https://blocked.test/'], view, {
      now: NOW,
      recheckAliveDays: 2,
      recheckSuspectHours: 4,
      recheckFailingHours: 12,
      slackMs: 0,
    });
    expect(plan.fetch).toEqual(['https://alive.test/', 'https://dead.test/']);
    expect([...plan.reuse.keys()]).toEqual(['https://blocked.test/']);
  });
});
