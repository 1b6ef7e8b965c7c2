/**
 * Fuzzing the extract stage through its dispatcher (`extractArticle`): arbitrary strings, soups
 * of real lines, and random mutations (slices, splices, duplications, stray markup, odd code
 * points) of the real fixtures — the wikitext corpus, the HTML pages and the seed export — for
 * every format, forced or detected. Whatever comes in, the extractor either refuses it with an
 * `InputError` of its own (never a crash wrapped in one) or returns an `Article` that fits the
 * schema and whose indexes point where the model says they do.
 *
 * Seeds are fixed so CI runs the same cases every time; the file runs in a few seconds. The
 * regressions at the end are the bugs this fuzzing (and a scan of long repeated tokens) found.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CitewatchError, InputError } from '../src/errors.js';
import { extractArticle } from '../src/extract/index.js';
import { headingRuns } from '../src/extract/wikitext-body.js';
import { Article, INPUT_FORMATS, type InputFormat } from '../src/model.js';
import { SEED_PATH } from './support/fixtures.js';

const ROOT = new URL('../', import.meta.url);

interface Sample {
  path: string;
  format: InputFormat;
  text: string;
}

const samplesIn = (dir: string, format: InputFormat, pattern: RegExp): Sample[] =>
  readdirSync(new URL(dir, ROOT))
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => ({
      path: `${dir}${name}`,
      format,
      text: readFileSync(new URL(`${dir}${name}`, ROOT), 'utf8'),
    }));

const SAMPLES: Sample[] = [
  ...samplesIn('tests/fixtures/wikitext/corpus/', 'wikitext', /\.txt$/),
  ...samplesIn('tests/fixtures/html/', 'html', /\.html$/),
  { path: SEED_PATH, format: 'markdown', text: readFileSync(new URL(SEED_PATH, ROOT), 'utf8') },
];
const byFormat = (format: InputFormat): Sample[] => SAMPLES.filter((s) => s.format === format);

/** Markup that each format's extractor treats specially, plus characters that break naive code. */
const TOKENS: Record<InputFormat | 'any', readonly string[]> = {
  wikitext: [
    '{{',
    '}}',
    '{{{',
    '}}}',
    '<ref>',
    '<ref name="a">',
    '<ref name=a/>',
    '<ref group=note>',
    '</ref>',
    '<references/>',
    '<references>',
    '</references>',
    '{{reflist|refs=',
    '[[',
    ']]',
    '[http://x.example/ x]',
    '|',
    '=',
    '== H ==',
    '\n=== H ===\n',
    '{|',
    '|}',
    '|-',
    '!',
    '<!--',
    '-->',
    '<nowiki>',
    '</nowiki>',
    "'''",
    "''",
    '{{cite web|url=http://a.example/|archive-url=https://web.archive.org/web/2020/http://a.example/|archive-date=2020-01-01|access-date=',
    '{{cite journal|doi=10.1000/x|isbn=978-0-306-40615-7|pmid=1|title=T|date=',
    '{{sfn|A|2000|p=',
    '{{efn|',
    '{{cn|date=May 2020}}',
    '{{dead link|date=',
    '{{webarchive|url=',
    '<br />',
    '<div>',
    '</div>',
    '&amp;',
    '&#',
    '__NOTOC__',
    '#REDIRECT [[X]]',
    '<gallery>',
    '<math>',
    '<pre>',
    '<source>',
    '</source>',
  ],
  html: [
    '<p>',
    '</p>',
    '<sup class="reference"><a href="#cite_note-1">[1]</a></sup>',
    '<ol class="references">',
    '<li id="cite_note-1">',
    '<li id="cite_note-a-2">',
    '</li>',
    '</ol>',
    '<span class="reference-text">',
    '<cite class="citation web cs1">',
    '<a class="external text" href="https://web.archive.org/web/2020/http://x.example/">Archived</a>',
    '<a rel="mw:ExtLink" class="external" href="//doi.org/10.1/x">',
    '</a>',
    '<h2>',
    '</h2>',
    '<h3 id="x">',
    '<div class="mw-heading mw-heading2">',
    '<div class="mw-parser-output">',
    '</div>',
    '<section data-mw-section-id="1">',
    '</section>',
    '<sup typeof="mw:Extension/ref" data-mw=\'{"name":"ref","attrs":{"name":"a"}}\'>',
    '<span typeof="mw:Transclusion" data-mw=\'{"parts":[{"template":{"target":{"wt":"cite web"},"params":{"url":{"wt":"http://x.example/"}}}}]}\'>',
    'data-mw=\'{"parts":[',
    '<table class="wikitable"><tr><td>',
    '</td></tr></table>',
    '<ul><li>',
    '</li></ul>',
    '<blockquote>',
    '<sup class="Inline-Template Template-Fact"><span title="(April 2020)">citation needed</span></sup>',
    '<span class="Z3988" title="ctx_ver=Z39.88-2004&amp;rft.date=2020&amp;rft_id=info%3Adoi%2F10.1%2Fx">',
    '<script>',
    '</script>',
    '<style>',
    '<!--',
    '-->',
    '<![CDATA[',
    '&#x',
    '&nbsp;',
    '<h1 id="firstHeading">',
  ],
  markdown: [
    '^[12]',
    '^{[25]: 283 [28]: 101}',
    '^{[4]:12-14}',
    '^[citation needed]',
    '^{[76][original research?]}',
    '^[who?]',
    '\n[-]\n',
    '\n[.]\n',
    '[text](#)',
    '[Archived](https://web.archive.org/web/2020/http://x.example/)',
    '(https://x.example/)',
    '^ [Jump up to:](#)^{a b}',
    '[^]',
    '^a ',
    '\\(',
    '\\)',
    '\\[',
    '\\]',
    '\\$',
    '\\\\$',
    '**',
    '*',
    '\nReferences\n',
    '\n1. ',
    '\n93. ',
    '\t',
    '\n- ',
    'Retrieved 2024-09-27.',
    'ISSN 0013-0613',
    'ISBN 978-0-306-40615-7',
    'doi:10.1000/x',
    'Further information: ',
    '\n\n\n \n\n',
  ],
  any: [
    '\u0000',
    '\uFFFD',
    '\uD800',
    '\uDC00',
    '\u200F',
    '\u202E',
    '\u0301',
    '\u00A0',
    '\u2028',
    '\r',
    '\r\n',
    '\t',
    '😀',
    '𝔘',
    '中文',
    '한국어',
    'ـ',
    '\\',
    '"',
    "'",
    '`',
    '$&',
    '__proto__',
    'constructor',
    'NaN',
    '9999-99-99',
    '0000-00-00',
    '2020-02-30',
    'http://',
    'https://[::1]/',
    'http://%zz/',
    'doi:',
    '10.',
  ],
};

/** The strict contract: an `InputError` of the extractor's own, never a crash wrapped in one. */
function checkInput(text: string, format: InputFormat | undefined, path?: string): void {
  let article: unknown;
  try {
    article = extractArticle({
      text,
      ...(format !== undefined && { format }),
      ...(path !== undefined && { path }),
    });
  } catch (error) {
    if (!(error instanceof InputError)) {
      throw new Error(`${format ?? 'detected'}: threw ${describeError(error)} instead of an InputError`);
    }
    const cause = (error as Error).cause;
    if (cause !== undefined && !(cause instanceof CitewatchError)) {
      throw new Error(`${format ?? 'detected'}: crashed inside the extractor: ${describeError(cause)}`);
    }
    return;
  }
  const parsed = Article.safeParse(article);
  if (!parsed.success) throw new Error(`${format ?? 'detected'}: not an Article: ${parsed.error.message}`);
  checkIndexes(parsed.data);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  return String(error);
}

/** A real calendar date (`2020-02-30` is not), as every model date must be. */
const isRealDate = (date: string): boolean => {
  const time = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === date;
};

/**
 * What the model promises beyond its schema (audit and report rely on it): unique reference
 * ids, indexes that point into `blocks` and their `sentences`, blocks under known sections,
 * real dates. A citation may name a reference the article lacks: the audit reports it as
 * `missing-reference`.
 */
function checkIndexes(article: Article): void {
  const problems: string[] = [];
  const ids = new Set(article.references.map((r) => r.id));
  if (ids.size !== article.references.length) problems.push('reference ids are not unique');
  const sentencesOf = (block: number): number => article.blocks[block]?.sentences.length ?? 0;
  for (const c of article.citations) {
    if (c.block >= article.blocks.length)
      problems.push(`citation of ${c.referenceId}: block ${c.block} out of range`);
    else if (c.sentence >= Math.max(1, sentencesOf(c.block)))
      problems.push(`citation of ${c.referenceId}: sentence ${c.sentence} out of range`);
  }
  for (const t of article.tags) {
    if (t.block >= article.blocks.length) problems.push(`tag ${t.kind}: block ${t.block} out of range`);
    else if (t.block >= 0 && t.sentence >= Math.max(1, sentencesOf(t.block)))
      problems.push(`tag ${t.kind}: sentence ${t.sentence} out of range`);
    if (t.referenceId !== undefined && !ids.has(t.referenceId))
      problems.push(`tag of unknown ${t.referenceId}`);
    if (t.date !== undefined && !isRealDate(t.date)) problems.push(`tag date ${t.date}`);
  }
  const sections = new Set(['(lead)', ...article.sections.map((s) => s.title)]);
  for (const b of article.blocks)
    if (!sections.has(b.section)) problems.push(`block under unknown section ${b.section}`);
  for (const r of article.references) {
    const dates = [r.date, r.accessDate, r.archive.date, r.doiInactiveSince, r.deadLinkTag?.date];
    for (const d of dates)
      if (d !== undefined && !isRealDate(d)) problems.push(`reference ${r.id}: date ${d}`);
  }
  if (problems.length > 0) throw new Error(`${article.source.format}: ${problems.slice(0, 5).join('; ')}`);
}

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number; to: number }
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'splice'; at: number; from: number; start: number; length: number };

const mutation = (tokens: readonly string[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat({ max: 2_000 }) }),
    fc.record({
      kind: fc.constant('duplicate' as const),
      at: fc.nat(),
      length: fc.nat({ max: 2_000 }),
      to: fc.nat(),
    }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...tokens) }),
    fc.record({
      kind: fc.constant('splice' as const),
      at: fc.nat(),
      from: fc.nat(),
      start: fc.nat(),
      length: fc.nat({ max: 3_000 }),
    }),
  );

/** Applies the mutations in order; positions wrap around the text's current length. */
function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = m.at % (out.length + 1);
    switch (m.kind) {
      case 'delete':
        out = out.slice(0, at) + out.slice(at + m.length);
        break;
      case 'duplicate': {
        const piece = out.slice(at, at + m.length);
        const to = m.to % (out.length + 1);
        out = out.slice(0, to) + piece + out.slice(to);
        break;
      }
      case 'insert':
        out = out.slice(0, at) + m.token + out.slice(at);
        break;
      case 'splice': {
        const donor = (SAMPLES[m.from % SAMPLES.length] as Sample).text;
        const start = m.start % (donor.length + 1);
        out = out.slice(0, at) + donor.slice(start, start + m.length) + out.slice(at);
        break;
      }
    }
  }
  return out;
}

/** A window of a fixture (at most `max` characters), then up to 8 mutations. */
const mutatedFixture = (samples: readonly Sample[], tokens: readonly string[], max = 30_000) =>
  fc
    .record({
      sample: fc.constantFrom(...samples),
      start: fc.nat(),
      length: fc.nat({ max }),
      whole: fc.boolean(),
      mutations: fc.array(mutation(tokens), { maxLength: 8 }),
    })
    .map(({ sample, start, length, whole, mutations }) => {
      const from = whole ? 0 : start % (sample.text.length + 1);
      const window =
        whole && sample.text.length <= max ? sample.text : sample.text.slice(from, from + length);
      return { path: sample.path, text: mutate(window, mutations) };
    });

/** Random lines of the fixtures of a format, in any order, with tokens between them. */
const lineSoup = (samples: readonly Sample[], tokens: readonly string[]) => {
  const lines = [...new Set(samples.flatMap((s) => s.text.split('\n')))].filter((l) => l.length <= 2_000);
  return fc
    .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...lines) }, fc.constantFrom(...tokens)), {
      maxLength: 120,
    })
    .map((parts) => parts.join('\n'));
};

const arbitraryText = fc.oneof(
  fc.string({ maxLength: 500 }),
  fc.string({ unit: 'binary', maxLength: 500 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '<',
      '>',
      '|',
      '=',
      '\n',
      '^',
      '(',
      ')',
      '#',
      '*',
      "'",
      'a',
      ' ',
    ),
    maxLength: 300,
  }),
);

const SEEDS: Record<InputFormat, number> = { markdown: 20260301, html: 20260302, wikitext: 20260303 };

describe.each(INPUT_FORMATS)('extractArticle as %s', (format) => {
  const seed = SEEDS[format];
  const tokens = [...TOKENS[format], ...TOKENS.any];

  it('arbitrary strings: an Article or an InputError', () => {
    fc.assert(
      fc.property(arbitraryText, (text) => checkInput(text, format)),
      { numRuns: 300, seed },
    );
  });

  it('mutated fixtures of its own format', () => {
    fc.assert(
      fc.property(mutatedFixture(byFormat(format), tokens), ({ text }) => checkInput(text, format)),
      { numRuns: 150, seed },
    );
  });

  it('soups of lines of its own format', () => {
    fc.assert(
      fc.property(lineSoup(byFormat(format), tokens), (text) => checkInput(text, format)),
      { numRuns: 150, seed },
    );
  });

  it('mutated fixtures of the other formats (the wrong --input-format)', () => {
    const others = SAMPLES.filter((s) => s.format !== format);
    fc.assert(
      fc.property(mutatedFixture(others, tokens, 10_000), ({ text }) => checkInput(text, format)),
      { numRuns: 100, seed },
    );
  });

  it('every fixture whole', () => {
    for (const sample of SAMPLES) checkInput(sample.text, format, sample.path);
  });
});

describe('extractArticle with the format detected', () => {
  it('mutated fixtures of any format, with and without a file name', () => {
    const tokens = [...TOKENS.wikitext, ...TOKENS.html, ...TOKENS.markdown, ...TOKENS.any];
    fc.assert(
      fc.property(mutatedFixture(SAMPLES, tokens, 15_000), fc.boolean(), ({ path, text }, named) =>
        checkInput(text, undefined, named ? path : undefined),
      ),
      { numRuns: 200, seed: 20260304 },
    );
  });

  it('arbitrary strings', () => {
    fc.assert(
      fc.property(
        arbitraryText,
        fc.constantFrom(undefined, 'a.md', 'a.html', 'a.wiki', 'a.txt'),
        (text, path) => checkInput(text, undefined, path),
      ),
      { numRuns: 300, seed: 20260305 },
    );
  });
});

describe('regressions found by fuzzing', () => {
  it('html: a reference list item repeated (same li id) gives one reference, as a browser links to the first', () => {
    const note = '<li id="cite_note-1"><span class="reference-text">First note.</span></li>';
    const html = `<div class="mw-parser-output"><p>Claim.<sup class="reference"><a href="#cite_note-1">[1]</a></sup></p>
<ol class="references">${note}<li id="cite_note-1"><span class="reference-text">Pasted again.</span></li></ol>
<ol class="references">${note}</ol></div>`;
    const article = extractArticle({ text: html, format: 'html' });
    expect(article.references.map((r) => [r.id, r.text])).toEqual([['cite_note-1', 'First note.']]);
    expect(article.references[0]?.inlineCitations).toBe(1);
  });

  it('html: a fragment of 30 000 top-level paragraphs is read in one walk (cheerio selectors were quadratic)', () => {
    const article = extractArticle({ text: '<p>Claim. </p>'.repeat(30_000), format: 'html' });
    expect(article.blocks).toHaveLength(30_000);
  });

  it('wikitext: heading runs are what /^(=+)(.+?)(=+)\\s*$/ matched, without its cubic backtracking', () => {
    const legacy = (shape: string) => {
      const m = /^(=+)(.+?)(=+)\s*$/.exec(shape);
      return m ? { open: m[1]!.length, close: m[3]!.length } : undefined;
    };
    const shape = fc.string({
      unit: fc.constantFrom('=', '=', 'a', ' ', '\t', '\r', '\n', '\u2028'),
      maxLength: 24,
    });
    fc.assert(
      fc.property(shape, (s) => {
        expect(headingRuns(s)).toEqual(legacy(s));
      }),
      { numRuns: 2_000, seed: 20260306 },
    );
  });

  it('wikitext: a line of 20 000 "=" that never closes is text (the regex needed 23 s for 4 000)', () => {
    const article = extractArticle({
      text: `Intro.\n\n${'='.repeat(20_000)} end.\n\nMore.`,
      format: 'wikitext',
    });
    expect(article.sections.map((s) => s.title)).toEqual(['(lead)']);
  });

  it('markdown: 40 000 pieces of one paragraph split by page breaks join once, not piece by piece', () => {
    const article = extractArticle({ text: `Title\n\n${'and more\n\n'.repeat(40_000)}`, format: 'markdown' });
    const body = article.blocks.filter((b) => b.text.startsWith('and more'));
    expect(body).toHaveLength(1);
    expect(body[0]?.text.split('and more')).toHaveLength(40_001);
  });

  it('markdown: a 1 MB paragraph on one line (its text was flattened again at every space and link)', () => {
    const unit = 'A claim about [a topic](https://example.org/t) in China.^[1] ';
    const text = `Title\n\n${unit.repeat(16_000)}\n\nReferences\n\n[-]\n\n1. ^ A source.`;
    const article = extractArticle({ text, format: 'markdown' });
    expect(article.blocks[0]?.text).toBe('A claim about a topic in China. '.repeat(16_000).trimEnd());
    expect(article.citations).toHaveLength(16_000);
  });
});
