/**
 * The terminal progress bar: shown on a TTY outside CI only, redrawn at most ten times a
 * second, cleared at the end.
 */
import { describe, expect, it } from 'vitest';
import { type CheckProgress, checkArticles } from '../src/check/index.js';
import { ENDPOINTS } from '../src/defaults.js';
import type { FetchRequest, FetchResult } from '../src/net/types.js';
import { ProgressBar, renderProgressLine, wantsProgress } from '../src/progress.js';
import { article, reference } from './support/article-builder.js';

const progress = (done: number, total: number, dead = 0): CheckProgress => ({
  done,
  total,
  byOutcome: { alive: done - dead, dead, blocked: 0, error: 0, skipped: 0 },
  byVerdict: { alive: done - dead, suspect: 0, dead, blocked: 0, error: 0, skipped: 0 },
});

/** A web where every URL whose path starts with /gone is a 404 and the rest are live pages. */
const web = {
  async fetch(request: FetchRequest): Promise<FetchResult> {
    const gone = new URL(request.url).pathname.startsWith('/gone');
    return {
      url: request.url,
      finalUrl: request.url,
      status: gone ? 404 : 200,
      headers: { 'content-type': 'text/html' },
      body: Buffer.from(
        gone ? 'Not found' : `<html><body><p>${'Real content. '.repeat(200)}</p></body></html>`,
      ),
      truncated: false,
      hops: [],
      requests: 1,
      bytes: 100,
      durationMs: 5,
    };
  },
  stats: () => ({ requests: 0, bytes: 0, maxInFlightPerHost: 0, responses: 1, networkFailures: 0 }),
  close: async () => {},
};

describe('wantsProgress', () => {
  it('auto: a terminal outside CI only', () => {
    expect(wantsProgress('auto', { isTTY: true, write: () => true }, {})).toBe(true);
    expect(wantsProgress('auto', { isTTY: false, write: () => true }, {})).toBe(false);
    expect(wantsProgress('auto', { isTTY: true, write: () => true }, { CI: 'true' })).toBe(false);
    expect(wantsProgress('auto', { isTTY: true, write: () => true }, { GITHUB_ACTIONS: 'true' })).toBe(false);
  });
  it('always and never override the terminal test', () => {
    expect(wantsProgress('always', { isTTY: false, write: () => true }, { CI: '1' })).toBe(true);
    expect(wantsProgress('never', { isTTY: true, write: () => true }, {})).toBe(false);
  });
});

describe('ProgressBar', () => {
  it('renders counts by verdict, leaving out zeros', () => {
    expect(renderProgressLine(progress(6, 24, 2))).toBe('[######..................] 6/24  alive 4  dead 2');
  });

  it('regression: a first dead outcome is counted as suspect, as the report counts it', async () => {
    const links = ['/gone/1', '/gone/2', '/gone/3', '/live'].map((p) => ({
      url: `https://news.example${p}`,
      role: 'source' as const,
    }));
    const seen: CheckProgress[] = [];
    await checkArticles(
      [article({ references: [reference('1', { links })] })],
      {
        now: '2026-11-28T21:15:00.000Z',
        offline: false,
        confirm: 3,
        confirmSpanDays: 3,
        endpoints: ENDPOINTS,
        snapshotsFor: [],
      },
      { fetcher: web, onProgress: (p) => seen.push(p) },
    );
    const last = seen.at(-1)!;
    expect(last.byVerdict).toEqual({ alive: 1, suspect: 3, dead: 0, blocked: 0, error: 0, skipped: 0 });
    expect(renderProgressLine(last)).toBe('[########################] 4/4  alive 1  suspect 3');
  });

  it('a link confirmed by its history is dead in the bar too', async () => {
    const history = {
      previous: (url: string) =>
        url.endsWith('/gone/1')
          ? [
              { outcome: 'dead' as const, at: '2026-11-20T00:00:00.000Z' },
              { outcome: 'dead' as const, at: '2026-11-24T00:00:00.000Z' },
            ]
          : [],
    };
    const seen: CheckProgress[] = [];
    await checkArticles(
      [
        article({
          references: [
            reference('1', {
              links: [
                { url: 'https://news.example/gone/1', role: 'source' },
                { url: 'https://news.example/gone/2', role: 'source' },
              ],
            }),
          ],
        }),
      ],
      {
        now: '2026-11-28T21:15:00.000Z',
        offline: false,
        confirm: 3,
        confirmSpanDays: 3,
        endpoints: ENDPOINTS,
        snapshotsFor: [],
      },
      { fetcher: web, history, onProgress: (p) => seen.push(p) },
    );
    expect(renderProgressLine(seen.at(-1)!)).toBe('[########################] 2/2  suspect 1  dead 1');
  });

  it('shows the Wayback lookups once the pages are done, throttled like the pages', () => {
    const writes: string[] = [];
    let t = 1000;
    const bar = new ProgressBar({ isTTY: true, columns: 120, write: (s) => writes.push(s) }, () => t);
    const pages = progress(24, 24, 2);
    expect(renderProgressLine({ ...pages, snapshots: { done: 3, total: 20 } })).toBe(
      '[########################] 24/24  alive 22  dead 2  snapshots 3/20',
    );
    bar.update({ ...pages, snapshots: { done: 1, total: 20 } });
    t += 10;
    bar.update({ ...pages, snapshots: { done: 2, total: 20 } });
    t += 10;
    bar.update({ ...pages, snapshots: { done: 20, total: 20 } });
    expect(writes).toHaveLength(2);
    expect(writes.at(-1)).toContain('snapshots 20/20');
  });

  it('print() puts whole lines above the bar in one write: clear, print, redraw', () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ isTTY: true, columns: 80, write: (s) => writes.push(s) }, () => 1000);
    bar.print('before any bar\n');
    bar.update(progress(3, 10));
    bar.print('a log line');
    expect(writes).toEqual([
      'before any bar\n',
      '\r\x1b[2K[#######.................] 3/10  alive 3',
      '\r\x1b[2Ka log line\n[#######.................] 3/10  alive 3',
    ]);
    bar.finish();
    bar.print('after\n');
    expect(writes.at(-1)).toBe('after\n');
  });

  it('redraws at most every 100 ms, always draws the last update, and clears the line', () => {
    const writes: string[] = [];
    let t = 1000;
    const bar = new ProgressBar({ isTTY: true, columns: 80, write: (s) => writes.push(s) }, () => t);
    bar.update(progress(1, 10));
    t += 10;
    bar.update(progress(2, 10));
    t += 200;
    bar.update(progress(3, 10));
    t += 1;
    bar.update(progress(10, 10));
    expect(writes).toHaveLength(3);
    expect(writes.at(-1)).toContain('10/10');
    bar.finish();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });
});
