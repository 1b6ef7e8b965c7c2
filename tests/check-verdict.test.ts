/**
 * `decideVerdict` from tables: confirmation of dead links by count and interval, streaks, and
 * what skipped, blocked and error observations do to them.
 */
import { describe, expect, it } from 'vitest';
import { decideVerdict, type Observation, type VerdictState } from '../src/check/index.js';
import type { Outcome } from '../src/model.js';

/** `d` is days after 2026-11-01; fractional days give hours. */
const at = (d: number): string => new Date(Date.UTC(2026, 10, 1) + d * 86_400_000).toISOString();

/** `'dead@0 dead@2 alive@3'` → observations. */
const obs = (spec: string): Observation[] =>
  spec
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => {
      const [outcome, day] = token.split('@');
      return { outcome: outcome as Outcome, at: at(Number(day)) };
    });

const DEFAULT = { confirm: 3, confirmIntervalDays: 3 };

type Row = [
  history: string,
  expected: Partial<VerdictState>,
  options?: { confirm: number; confirmIntervalDays?: number; confirmSpanDays?: number },
];

const ROWS: Row[] = [
  // dead needs `confirm` checks, each `confirmIntervalDays` after the previous counted one
  ['dead@0', { verdict: 'suspect', streak: 1, since: at(0), counted: 1, nextCountAt: at(3 - 1 / 24) }],
  ['dead@0 dead@1', { verdict: 'suspect', streak: 2, since: at(0), counted: 1 }],
  ['dead@0 dead@1 dead@2', { verdict: 'suspect', streak: 3, counted: 1 }],
  // regression (issue 12): daily rechecks made day 3 the third check 3 days after the first
  ['dead@0 dead@1 dead@2 dead@3', { verdict: 'suspect', streak: 4, counted: 2, nextCountAt: at(6 - 1 / 24) }],
  ['dead@0 dead@1 dead@3', { verdict: 'suspect', streak: 3, since: at(0), counted: 2 }],
  ['dead@0 dead@3 dead@6', { verdict: 'dead', streak: 3, since: at(0), counted: 3 }],
  // checks too soon after the last counted one neither count nor reset
  ['dead@0 dead@1 dead@2 dead@3 dead@4 dead@5 dead@6', { verdict: 'dead', streak: 7, counted: 3 }],
  ['dead@0 dead@2 dead@4 dead@6', { verdict: 'suspect', counted: 2, nextCountAt: at(7 - 1 / 24) }],
  ['dead@0 dead@2 dead@4 dead@6 dead@7', { verdict: 'dead', counted: 3 }],
  ['dead@0 dead@0.1 dead@0.2 dead@5', { verdict: 'suspect', streak: 4, counted: 2 }],
  // a nightly job that starts half an hour earlier than three days before still counts
  ['dead@0 dead@2.98 dead@5.96', { verdict: 'dead', counted: 3 }],
  ['dead@0 dead@2.9 dead@5.8', { verdict: 'suspect', counted: 2 }],
  // more rechecks of a confirmed dead link keep it dead
  ['dead@0 dead@3 dead@6 dead@6.1', { verdict: 'dead', streak: 4 }],
  // --confirm 1: immediate
  ['dead@0', { verdict: 'dead', streak: 1 }, { confirm: 1, confirmIntervalDays: 3 }],
  [
    'alive@0 dead@1',
    { verdict: 'dead', streak: 1, since: at(1), lastAliveAt: at(0) },
    { confirm: 1, confirmIntervalDays: 3 },
  ],
  // interval 0: count alone
  ['dead@0 dead@0 dead@0', { verdict: 'dead' }, { confirm: 3, confirmIntervalDays: 0 }],
  ['dead@0 dead@0', { verdict: 'suspect' }, { confirm: 3, confirmIntervalDays: 0 }],
  // interval 1: a nightly job confirms on the third night
  ['dead@0 dead@1 dead@2', { verdict: 'dead' }, { confirm: 3, confirmIntervalDays: 1 }],
  // the deprecated span keeps its promise: 3 checks over 4 days = one every 2 days
  ['dead@0 dead@1 dead@4', { verdict: 'suspect' }, { confirm: 3, confirmSpanDays: 4 }],
  ['dead@0 dead@2 dead@4', { verdict: 'dead' }, { confirm: 3, confirmSpanDays: 4 }],
  // alive resets the streak
  ['dead@0 dead@1 alive@2', { verdict: 'alive', streak: 1, since: at(2), lastAliveAt: at(2) }],
  ['dead@0 dead@1 alive@2 dead@4', { verdict: 'suspect', streak: 1, since: at(4), lastAliveAt: at(2) }],
  ['dead@0 alive@1 dead@2 dead@4', { verdict: 'suspect', streak: 2, since: at(2) }],
  ['alive@0 alive@1 alive@2', { verdict: 'alive', streak: 3, since: at(0), lastAliveAt: at(2) }],
  // blocked and error are never dead by themselves, and break a dead streak
  ['blocked@0 blocked@2 blocked@5 blocked@9', { verdict: 'blocked', streak: 4, since: at(0) }],
  ['error@0 error@4 error@8', { verdict: 'error', streak: 3, since: at(0) }],
  ['dead@0 dead@1 error@2', { verdict: 'error', streak: 1, since: at(2) }],
  ['dead@0 error@1 dead@2 dead@4', { verdict: 'suspect', streak: 2, since: at(2) }],
  ['alive@0 blocked@1', { verdict: 'blocked', streak: 1, lastAliveAt: at(0) }],
  // skipped: the verdict of an unchecked link, and no effect on a streak
  ['skipped@0', { verdict: 'skipped', streak: 1, since: at(0) }],
  ['dead@0 dead@1 skipped@2', { verdict: 'skipped', streak: 1, since: at(2) }],
  ['dead@0 skipped@1 dead@3 dead@6', { verdict: 'dead', streak: 3, since: at(0) }],
  ['dead@0 skipped@1 skipped@2 dead@3', { verdict: 'suspect', streak: 2, since: at(0), counted: 2 }],
  ['alive@0 skipped@1 alive@2', { verdict: 'alive', streak: 2, since: at(0) }],
  ['alive@0 skipped@1 skipped@2', { verdict: 'skipped', streak: 2, since: at(1), lastAliveAt: at(0) }],
];

describe('decideVerdict', () => {
  it.each(ROWS)('%s → %o', (history, expected, options = DEFAULT) => {
    expect(decideVerdict(obs(history), options)).toMatchObject(expected);
  });

  it('without any observation the link is skipped', () => {
    expect(decideVerdict([], DEFAULT)).toEqual({ verdict: 'skipped', streak: 0 });
  });

  it('has no lastAliveAt when the link was never alive', () => {
    expect(decideVerdict(obs('dead@0 dead@5 dead@9'), DEFAULT)).not.toHaveProperty('lastAliveAt');
  });
});

describe('--confirm-interval and the deprecated --confirm-span', () => {
  it('the interval defaults to 3 days; a span alone is read as span/(N-1); both at once is a usage error', async () => {
    const { resolveCheckOptions } = await import('../src/options.js');
    const { UsageError } = await import('../src/errors.js');
    expect(resolveCheckOptions({ inputs: ['a'] })).toMatchObject({ confirm: 3, confirmInterval: 3 });
    expect(resolveCheckOptions({ inputs: ['a'], confirmInterval: '1.5' }).confirmInterval).toBe(1.5);
    expect(resolveCheckOptions({ inputs: ['a'], confirmSpan: '4' }).confirmInterval).toBe(2);
    expect(resolveCheckOptions({ inputs: ['a'], confirm: '5' }, { confirmSpan: 8 }).confirmInterval).toBe(2);
    expect(() => resolveCheckOptions({ inputs: ['a'], confirmSpan: '4', confirmInterval: '2' })).toThrow(
      UsageError,
    );
    const { main } = await import('../src/cli.js');
    let help = '';
    await main(['check', '--help'], { stdout: (s) => (help += s), stderr: () => {}, env: {} });
    for (const flag of [
      '--confirm-interval',
      '--confirm-span',
      '--exclude',
      '--include',
      '--ignore-file',
      '--accept',
    ])
      expect(help).toContain(flag);
    expect(help).toContain('each 3+ days after the previous');
  });
});
