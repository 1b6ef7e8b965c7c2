import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { renderTrendSvg, type TrendChartPoint } from '../src/report/trend.js';

const T0 = Date.parse('2026-08-01T03:00:00.000Z');
const points = (n: number): TrendChartPoint[] =>
  Array.from({ length: n }, (_, i) => ({
    at: new Date(T0 + i * 86_400_000).toISOString(),
    dead: i % 5,
    suspect: (i * 3) % 7,
    blocked: 2,
  }));

/** Well-formed XML: every tag closed in order, attributes quoted, no stray `<` or `&`. */
function expectWellFormed(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const m of xml.matchAll(tag)) {
    const between = xml.slice(last, m.index);
    expect(between).not.toMatch(/[<>]/);
    expect(between).not.toMatch(/&(?!(?:amp|lt|gt|quot|#\d+);)/);
    last = m.index! + m[0].length;
    if (m[4]) continue;
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]!);
  }
  expect(xml.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
}

describe('renderTrendSvg', () => {
  it('draws three series with a legend and dated axes', () => {
    const svg = renderTrendSvg(points(10));
    expectWellFormed(svg);
    const $ = load(svg, { xml: true });
    expect($('svg').attr('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect($('polyline')).toHaveLength(3);
    expect($('polyline').first().attr('points')!.split(' ')).toHaveLength(10);
    const texts = $('text')
      .map((_, e) => $(e).text())
      .get();
    expect(texts).toEqual(expect.arrayContaining(['dead (4)', 'suspect (6)', 'blocked (2)']));
    expect(texts).toEqual(expect.arrayContaining(['2026-08-01', '2026-08-10']));
    expect($('circle')).toHaveLength(30);
  });

  it('keeps the last 90 runs, without markers when there are many', () => {
    const svg = renderTrendSvg(points(120));
    expectWellFormed(svg);
    const $ = load(svg, { xml: true });
    expect($('polyline').first().attr('points')!.split(' ')).toHaveLength(90);
    expect($('circle')).toHaveLength(0);
    expect(svg).toContain('2026-08-31');
    expect(svg).not.toContain('>2026-08-01<');
  });

  it('is self-contained: no scripts, links, external fonts or styles', () => {
    const svg = renderTrendSvg(points(5));
    expect(svg).not.toMatch(/<script|<style|<a\b|href=|@import|url\(|<foreignObject|<image/i);
  });

  it('escapes text and handles one run, no run and odd values', () => {
    const title = 'Links <b>&</b> "runs"';
    const one = renderTrendSvg([{ at: '2026-11-28T03:00:00.000Z', dead: 3, suspect: 0, blocked: 1 }], {
      title,
    });
    expectWellFormed(one);
    expect(one).toContain('Links &lt;b&gt;&amp;&lt;/b&gt; &quot;runs&quot;');
    expect(one).not.toContain('<b>');
    const none = renderTrendSvg([]);
    expectWellFormed(none);
    expect(none).toContain('No runs recorded yet');
    const odd = renderTrendSvg([
      { at: 'not a date <x>', dead: Number.NaN, suspect: -1, blocked: 0 },
      { at: 'not a date <x>', dead: 0, suspect: 0, blocked: 0 },
    ]);
    expectWellFormed(odd);
    expect(odd).not.toContain('NaN');
    expect(odd).toContain('not a date &lt;x&gt;');
  });
});
