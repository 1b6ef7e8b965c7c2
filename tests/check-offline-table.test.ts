/**
 * An offline run's link table skips the snapshot dates (an offline run looks nothing up in the
 * archive; gathering them was a third of the table's cost), and its targets are the same.
 */
import { describe, expect, it } from 'vitest';
import { LinkTable } from '../src/check/index.js';
import type { Link } from '../src/model.js';
import { article, reference } from './support/article-builder.js';

const NOW = '2026-11-28T21:15:00.000Z';
const link = (url: string, role: Link['role'] = 'source'): Link => ({ url, role });

const cited = article({
  references: [
    reference('1', { links: [link('https://news.example/a#part'), link('https://news.example/b')] }),
    reference('2', { links: [link('https://news.example/a'), link('ftp://files.example/c')] }),
  ],
});

describe('the link table of an offline run', () => {
  it('gathers no snapshot dates, and the same targets (each skipped: offline)', () => {
    const online = new LinkTable({ offline: false, now: NOW });
    const offline = new LinkTable({ offline: true, now: NOW });
    expect(online.add(cited)).toBe(true);
    expect(offline.add(cited)).toBe(true);
    expect([...online.snapshotDates.keys()]).toEqual(
      expect.arrayContaining(['https://news.example/a', 'https://news.example/b']),
    );
    expect(offline.snapshotDates.size).toBe(0);
    expect([...offline.targets.keys()]).toEqual([...online.targets.keys()]);
    expect([...offline.targets.values()].map((t) => t.skip)).toEqual([
      'offline',
      'offline',
      'unsupported-scheme',
    ]);
  });
});
