import { describe, expect, it } from 'vitest';
import { suggestFix } from '../src/fix/index.js';
import type { Link, LinkCheck, Reference, Verdict } from '../src/model.js';
import { reference } from './support/article-builder.js';

const NOW = '2026-11-28T21:15:00.000Z';
const SNAP = {
  url: 'https://web.archive.org/web/20190102030405/https://dead.test/',
  timestamp: '20190102030405',
};

const check = (
  verdict: Verdict,
  snapshot?: LinkCheck['snapshot'],
  snapshotLookup: LinkCheck['snapshotLookup'] = snapshot ? 'found' : 'none',
): LinkCheck => ({
  outcome: verdict === 'suspect' ? 'dead' : verdict,
  verdict,
  reason: 'http-404',
  checkedAt: NOW,
  ...(snapshot && { snapshot }),
  ...(snapshotLookup && { snapshotLookup }),
});

const link = (role: Link['role'] = 'source'): Link => ({ url: 'https://dead.test/', role });

describe('suggestFix', () => {
  const cases: Array<[string, Reference, Link, LinkCheck, string | undefined]> = [
    [
      'dead with a snapshot: the exact CS1 parameters',
      reference('1'),
      link(),
      check('dead', SNAP),
      `|archive-url=${SNAP.url} |archive-date=2019-01-02 |url-status=dead`,
    ],
    [
      'dead without a snapshot: {{dead link}} with the month',
      reference('1'),
      link(),
      check('dead'),
      '{{dead link|date=November 2026}}',
    ],
    // Regression (issue 12): a failed lookup (429, blocked site, 5xx, timeout) was taken for
    // "none found" and a good capture was hidden under {{dead link}}.
    [
      'dead, the Wayback lookup failed: no {{dead link}}',
      reference('1'),
      link(),
      check('dead', undefined, 'failed'),
      undefined,
    ],
    [
      'dead, no Wayback lookup made: no {{dead link}}',
      reference('1'),
      link(),
      { outcome: 'dead', verdict: 'dead', reason: 'http-404', checkedAt: NOW },
      undefined,
    ],
    [
      'dead, the reference already has an archive: mark the URL dead',
      reference('1', {
        archive: { present: true, url: 'https://web.archive.org/web/2018/x', date: '2018-01-01' },
      }),
      link(),
      check('dead', SNAP),
      '|url-status=dead',
    ],
    [
      'dead, archive and url-status=dead already: nothing',
      reference('1', {
        archive: { present: true, url: 'https://web.archive.org/web/2018/x' },
        urlStatus: 'dead',
      }),
      link(),
      check('dead'),
      undefined,
    ],
    [
      'dead, already tagged {{dead link}} and no snapshot: nothing',
      reference('1', { deadLinkTag: { date: '2025-05-01', fixAttempted: false } }),
      link(),
      check('dead'),
      undefined,
    ],
    [
      'a dead chapter link with a snapshot: {{webarchive}}',
      reference('1'),
      link('chapter'),
      check('dead', SNAP),
      `{{webarchive |url=${SNAP.url} |date=2019-01-02}}`,
    ],
    ['suspect: not yet', reference('1'), link(), check('suspect', SNAP), undefined],
    ['blocked: never', reference('1'), link(), check('blocked'), undefined],
    ['alive: nothing', reference('1'), link(), check('alive', SNAP), undefined],
  ];
  it.each(cases)('%s', (_name, ref, l, c, expected) => {
    expect(suggestFix(ref, l, c, NOW)).toBe(expected);
  });

  it('escapes characters that would break the template', () => {
    const snapshot = {
      url: 'https://web.archive.org/web/20190102030405/https://dead.test/a|b}}',
      timestamp: '20190102030405',
    };
    expect(suggestFix(reference('1'), link(), check('dead', snapshot), NOW)).toBe(
      '|archive-url=https://web.archive.org/web/20190102030405/https://dead.test/a%7Cb%7D%7D |archive-date=2019-01-02 |url-status=dead',
    );
  });
});
