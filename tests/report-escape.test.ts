import { describe, expect, it } from 'vitest';
import { codeSpan, escapeMarkdown, linkUrl, truncate } from '../src/report/escape.js';

describe('escapeMarkdown', () => {
  it.each([
    ['*bold* _it_', '\\*bold\\* \\_it\\_'],
    ['[link](http://evil)', '\\[link\\](http\u200b://evil)'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['a | b', 'a \\| b'],
    ['@someone #12', '\\@someone \\#12'],
    ['1. not a list', '1\\. not a list'],
    ['- not a list', '\\- not a list'],
    ['line\nbreak', 'line break'],
    ['`code`', '\\`code\\`'],
    ['a & b', 'a &amp; b'],
    ['中国人工智能', '中国人工智能'],
    ['![img](x)', '\\!\\[img\\](x)'],
  ])('escapes %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('keeps autolinks from forming', () => {
    expect(escapeMarkdown('see www.example.com or https://example.com')).not.toMatch(/www\.|https:\/\//);
  });
});

describe('codeSpan', () => {
  it('uses a fence longer than any backtick run', () => {
    expect(codeSpan('a ``b`` c')).toBe('```a ``b`` c```');
    expect(codeSpan('`x')).toBe('`` `x ``');
  });
});

describe('linkUrl', () => {
  it('links plain http(s) URLs', () => {
    expect(linkUrl('https://example.com/a?b=c')).toBe('<https://example.com/a?b=c>');
  });
  it.each(['javascript:alert(1)', 'https://example.com/a>b', 'https://ex ample.com', 'data:text/html,x'])(
    'shows %j without linking it',
    (url) => {
      expect(linkUrl(url).startsWith('`')).toBe(true);
    },
  );
});

describe('truncate', () => {
  it('cuts on a word boundary', () => {
    expect(truncate('one two three four', 10)).toBe('one two…');
    expect(truncate('short', 10)).toBe('short');
  });
});
