import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeSpan, escapeMarkdown, linkUrl, truncate } from '../src/report/escape.js';
import { codeSpanReference } from './support/escape-reference.js';

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

  it('spans what the code before its fast path spanned, byte for byte', () => {
    const text = fc.stringMatching(/^[a-z `\r\n|\\]{0,12}$/);
    fc.assert(
      fc.property(fc.oneof(text, fc.string(), fc.string({ unit: 'binary' })), (t) => {
        expect(codeSpan(t)).toBe(codeSpanReference(t));
      }),
      { numRuns: 2000 },
    );
    for (const t of [
      '',
      'plain',
      'Archive it (citewatch check --archive) and add |archive-url=.',
      'a\nb',
      '\r',
      '`',
      'x`',
    ])
      expect(codeSpan(t)).toBe(codeSpanReference(t));
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

describe('escapeMarkdown, as it was written first (seven passes over every string)', () => {
  const SPECIAL = /[\\`*_[\]|~#!{}@]/g;
  const reference = (text: string): string =>
    text
      .replace(/[\r\n\t]+/g, ' ')
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(SPECIAL, (c) => `\\${c}`)
      .replace(/^(\s*)(\d+)([.)])/, '$1$2\\$3')
      .replace(/^(\s*)([-+=])/, '$1\\$2')
      .replace(/(https?|ftp|www)(:\/\/|\.)/gi, '$1\u200b$2');
  const pieces = [
    ...'ab 1.)-+=&<>\\`*_[]|~#!{}@\r\n\t\u0000\u0001\u001f\u007f\u00a0 中.',
    'http',
    'HTTPS://',
    'ftp.',
    'www.',
    'WwW',
    '://',
    '12.',
    ' - ',
  ];

  it('gives the same text for any mix of markup, controls, list starts and URLs', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        expect(escapeMarkdown(text)).toBe(reference(text));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeMarkdown(text)).toBe(reference(text));
      }),
    );
  });

  it('returns a text that needs nothing as it is', () => {
    for (const text of ['', 'plain words', 'not-a-list 3. later', 'http-404', 'a-b=c+d'])
      expect(escapeMarkdown(text)).toBe(reference(text));
  });
});
