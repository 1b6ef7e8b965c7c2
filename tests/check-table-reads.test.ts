/**
 * What the link table and `apply` skip (issue 14), and that skipping it changes nothing: a run
 * without lookups gathers no snapshot dates, `apply` finds each link's target without
 * normalising its URL again, and an identifier's history is read only for a check whose verdict
 * depends on it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CheckOptions,
  checkLinks,
  identifierVerdict,
  LinkTable,
  normalizeTargetUrl,
} from '../src/check/index.js';
import { identifierVerdictReadsHistory } from '../src/check/verdict.js';
import { ENDPOINTS } from '../src/defaults.js';
import { IDENTIFIER_OUTCOMES, type IdentifierCheck, type Link } from '../src/model.js';
import type { Fetcher } from '../src/net/types.js';
import { article, reference } from './support/article-builder.js';

const NOW = '2026-11-28T21:15:00.000Z';
const link = (url: string, role: Link['role'] = 'source'): Link => ({ url, role });

const cited = article({
  references: [
    reference('1', {
      links: [
        link('https://news.example/a#part'),
        link('  https://NEWS.example/b '),
        link('//news.example/c'),
      ],
      accessDate: '2026-01-02',
    }),
    reference('2', {
      links: [
        link('https://news.example/a'),
        link('ftp://web.archive.org/c'),
        link('not a url'),
        link('https://web.archive.org/web/2020/https://news.example/a', 'archive'),
      ],
      identifiers: { doi: ['10.1000/xyz'], isbn: ['9780306406157', '9780306406158'] },
    }),
    reference('3', { links: [link('https://doi.org/10.1000/xyz', 'identifier')] }),
  ],
});

describe('the link table', () => {
  it('gathers no snapshot dates when the run looks none up, and the same targets', () => {
    const looking = new LinkTable({ offline: false, now: NOW });
    const notLooking = new LinkTable({ offline: false, now: NOW, snapshotDates: false });
    expect(notLooking.add(cited)).toBe(looking.add(cited));
    expect(looking.snapshotDates.size).toBeGreaterThan(0);
    expect(notLooking.snapshotDates.size).toBe(0);
    expect(notLooking.targets).toEqual(looking.targets);
    expect(notLooking.identifierRefs).toEqual(looking.identifierRefs);
  });

  it('gives each link the target of its normalised URL, for the links it filed and for others', () => {
    const table = new LinkTable({ offline: false, now: NOW });
    table.add(cited);
    for (const ref of cited.references)
      for (const l of ref.links) {
        const byUrl = table.targets.get(normalizeTargetUrl(l.url).url);
        expect(byUrl).toBeDefined();
        expect(table.targetOf(l)).toBe(byUrl);
        // The same link read again (a large run's second pass) is another object.
        expect(table.targetOf({ ...l })).toBe(byUrl);
      }
    expect(table.targetOf(link('https://elsewhere.example/'))).toBeUndefined();
  });
});

describe('identifier verdicts', () => {
  const observation = fc.record({
    outcome: fc.constantFrom(...IDENTIFIER_OUTCOMES),
    at: fc.constantFrom('2026-11-01T00:00:00.000Z', '2026-11-10T00:00:00.000Z', '2026-11-20T00:00:00.000Z'),
  });
  const check = fc.record(
    {
      kind: fc.constantFrom('doi', 'isbn', 'hdl'),
      value: fc.constant('10.1000/xyz'),
      outcome: fc.constantFrom(...IDENTIFIER_OUTCOMES),
      reason: fc.constant('r'),
      checkedAt: fc.constant(NOW),
    },
    { requiredKeys: ['kind', 'value', 'outcome', 'reason'] },
  ) as fc.Arbitrary<IdentifierCheck>;

  it('of a check that does not read the history are the same whatever the history', () => {
    fc.assert(
      fc.property(
        check,
        fc.array(observation, { maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (c, h, n) => {
          if (identifierVerdictReadsHistory(c)) return;
          const options = { confirm: n, confirmIntervalDays: 3 };
          expect(identifierVerdict(c, h, options)).toEqual(identifierVerdict(c, [], options));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('read no history in an offline run (every check there is skipped, valid or invalid)', async () => {
    const read: string[] = [];
    const options: CheckOptions = { now: NOW, offline: true, confirm: 3, endpoints: ENDPOINTS };
    const table = new LinkTable(options);
    table.add(cited);
    const noFetcher: Fetcher = {
      fetch: () => Promise.reject(new Error('an offline check made a request')),
      stats: () => ({ requests: 0, bytes: 0, maxInFlightPerHost: 0, responses: 0, networkFailures: 0 }),
      close: async () => {},
    };
    const history = [{ outcome: 'resolves' as const, at: '2026-11-01T00:00:00.000Z' }];
    const results = await checkLinks(table, options, {
      fetcher: noFetcher,
      history: {
        previous: () => [],
        previousIdentifier: (kind, value) => {
          read.push(`${kind}:${value}`);
          return history;
        },
      },
    });
    const checks = results.apply(cited).article.references.flatMap((r) => r.identifierChecks);
    expect(checks.map((c) => [c.kind, c.outcome, c.verdict])).toEqual([
      ['doi', 'skipped', 'skipped'],
      ['isbn', 'valid', 'skipped'],
      ['isbn', 'invalid', undefined],
    ]);
    expect(read).toEqual([]);
    // What reading it would have given.
    for (const c of checks) expect(identifierVerdict(c, history, options)).toEqual(c);
  });
});
