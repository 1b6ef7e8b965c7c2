/**
 * The terminal progress bar: shown on a TTY outside CI only, redrawn at most ten times a
 * second, cleared at the end.
 */
import { describe, expect, it } from 'vitest';
import type { CheckProgress } from '../src/check/index.js';
import { ProgressBar, renderProgressLine, wantsProgress } from '../src/progress.js';

const progress = (done: number, total: number, dead = 0): CheckProgress => ({
  done,
  total,
  byOutcome: { alive: done - dead, dead, blocked: 0, error: 0, skipped: 0 },
});

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
  it('renders counts by outcome, leaving out zeros', () => {
    expect(renderProgressLine(progress(6, 24, 2))).toBe('[######..................] 6/24  alive 4  dead 2');
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
