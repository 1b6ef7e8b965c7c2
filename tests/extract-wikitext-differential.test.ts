/**
 * The wikitext tree builder and text helpers against the way they were before issue 14
 * (session 6) cut their allocations (`tests/support/wikitext-reference.ts`): the same tree
 * (a `<ref>` body parsed when read, instead of with the article), the same template names and
 * parameters, and the same `squash`, `cleanInline` and `unmask`, over generated wikitext made
 * of the characters and tokens each of them reacts to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences, squash } from '../src/core/text.js';
import { extractMarks } from '../src/extract/wikitext-body.js';
import {
  parseWikitext,
  refBody,
  type TemplateNode,
  templateName,
  templateParams,
  type WikiNode,
} from '../src/extract/wikitext-parse.js';
import { cleanInline } from '../src/extract/wikitext-render.js';
import { HIDDEN, unmask } from '../src/extract/wikitext-source.js';
import {
  cleanInlineBefore,
  extractMarksBefore,
  parseWikitextBefore,
  splitSentencesBefore,
  squashBefore,
  type TemplateNodeBefore,
  templateNameBefore,
  templateParamsBefore,
  unmaskBefore,
  type WikiNodeBefore,
} from './support/wikitext-reference.js';

/** A stand-in of `wikitext-source.ts` (for `|`) and one past the last, which is no stand-in. */
const STAND_IN = '\ue004';
const PAST_STAND_INS = '\ue013';

const TOKENS = [
  '{{',
  '}}',
  '{{{',
  '}}}',
  '{',
  '}',
  '[[',
  ']]',
  '[',
  ']',
  '|',
  '=',
  ' = ',
  ' ',
  '  ',
  '\t',
  '\n',
  '\u00a0',
  '\u2003',
  '\ufeff',
  '_',
  'a',
  'Bc',
  'cite web',
  'Template:',
  'subst: ',
  'url=http://x.test/a',
  ' title = T ',
  '<ref>',
  '<ref name="n">',
  '<ref name=x/>',
  '<REF >',
  '</ref>',
  '<references>',
  '</references>',
  '<references />',
  '<br>',
  "''",
  "'",
  '&amp;',
  '&nbsp;',
  '__TOC__',
  '__',
  HIDDEN,
  STAND_IN,
  PAST_STAND_INS,
  '\u0002',
];

const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join(''));

const SPACES = [' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u200b', HIDDEN];
const space = fc.array(fc.constantFrom(...SPACES), { maxLength: 3 }).map((t) => t.join(''));
const word = fc.constantFrom(
  'a',
  'Bc',
  'x y',
  'Über',
  "it''s",
  '&amp;',
  STAND_IN,
  '_',
  '=',
  'http://w.test/',
);

/** Templates with named and positional parameters, nested templates, links and references. */
const { template } = fc.letrec<{ template: string; value: string }>((tie) => ({
  template: fc
    .tuple(
      fc.constantFrom('cite web', 'Cite_news', ' Template:x ', 'subst:y', 'a  b', 'lang'),
      fc.array(
        fc.tuple(fc.option(fc.tuple(space, fc.constantFrom('url', 'Title', 'x', ''), space)), tie('value')),
        { maxLength: 4 },
      ),
      fc.boolean(),
    )
    .map(([name, params, tplarg]) => {
      const body = params.map(([key, value]) => `|${key ? `${key.join('')}=` : ''}${value}`).join('');
      return tplarg ? `{{{${name}${body}}}}` : `{{${name}${body}}}`;
    }),
  value: fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: word },
        { weight: 4, arbitrary: space },
        { weight: 1, arbitrary: tie('template') },
        { weight: 1, arbitrary: fc.constantFrom('[[L|l]]', '<ref>r {{c|d= e }}</ref>', '<ref name=n/>') },
      ),
      { maxLength: 5, depthIdentifier: 'value' },
    )
    .map((t) => t.join('')),
}));

const wikitext = fc.oneof(
  soup,
  template,
  fc.tuple(soup, template, soup).map((t) => t.join('')),
);

/** The new tree in the old one's shape: every reference's content parsed in place as `body`. */
function withBodies(src: string, nodes: readonly WikiNode[]): unknown[] {
  return nodes.map((n) => {
    if (n.kind === 'text') return n;
    if (n.kind === 'ref' || n.kind === 'references') {
      const body = refBody(src, n);
      const { content: _content, ...rest } = n;
      return { ...rest, body: body && withBodies(src, body) };
    }
    const { params: _params, ...rest } = n as TemplateNode;
    const parts = (n as TemplateNode).parts;
    return { ...rest, parts: parts.map((p) => ({ start: p.start, nodes: withBodies(src, p.nodes) })) };
  });
}

/** Every template of a tree, in document order (reference bodies included). */
function templatesOf<T extends { kind: string }>(nodes: readonly T[], bodies: (n: T) => readonly T[]): T[] {
  const out: T[] = [];
  const walk = (list: readonly T[]): void => {
    for (const n of list) {
      if (n.kind === 'template') out.push(n);
      walk(bodies(n));
    }
  };
  walk(nodes);
  return out;
}

const childrenAfter =
  (src: string) =>
  (n: WikiNode): WikiNode[] => {
    if (n.kind === 'template' || n.kind === 'link') return n.parts.flatMap((p) => p.nodes);
    return n.kind === 'text' ? [] : (refBody(src, n) ?? []);
  };
const childrenBefore = (n: WikiNodeBefore): WikiNodeBefore[] => {
  if (n.kind === 'template' || n.kind === 'link') return n.parts.flatMap((p) => p.nodes);
  return n.kind === 'text' ? [] : (n.body ?? []);
};

/** A template's parameters as plain data, their nodes in the old tree's shape. */
const paramsAfter = (src: string, t: TemplateNode): unknown[] =>
  [...templateParams(t)].map(([k, nodes]) => [k, withBodies(src, nodes)]);
const paramsBefore = (t: TemplateNodeBefore): unknown[] =>
  [...templateParamsBefore(t)].map(([k, nodes]) => [k, JSON.parse(JSON.stringify(nodes))]);

describe('the tree builder, against the one before issue 14 session 6', () => {
  it('builds the same tree, names and parameters', () => {
    fc.assert(
      fc.property(wikitext, (src) => {
        const after = parseWikitext(src);
        const before = parseWikitextBefore(src);
        expect(JSON.parse(JSON.stringify(withBodies(src, after)))).toEqual(
          JSON.parse(JSON.stringify(before)),
        );
        const ta = templatesOf(after, childrenAfter(src)) as TemplateNode[];
        const tb = templatesOf(before, childrenBefore) as TemplateNodeBefore[];
        expect(ta.length).toBe(tb.length);
        ta.forEach((t, k) => {
          expect(templateName(t)).toBe(templateNameBefore(tb[k]!));
          expect(JSON.parse(JSON.stringify(paramsAfter(src, t)))).toEqual(paramsBefore(tb[k]!));
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same results on the corners it handles by hand', () => {
    for (const src of [
      '{{cite web | url = http://a.test/ |  title =  T  | |x=}}',
      '{{a|b=  }}',
      '{{a|b=\u00a0x\u00a0}}',
      '{{a|b= {{c}} }}',
      '{{a|b={{c}}  d  {{e}}  }}',
      '{{a|b=  {{c}}}}',
      '{{a|b=<ref>r</ref>  }}',
      '{{a|=x}}',
      '{{ Template : Cite_web |x}}',
      '{{subst:template:X}}',
      '{{{{a}}|b}}',
      '{{{a|b}}}',
      '{{a|[[b|c]]=d}}',
    ]) {
      const after = parseWikitext(src);
      const before = parseWikitextBefore(src);
      const ta = templatesOf(after, childrenAfter(src)) as TemplateNode[];
      const tb = templatesOf(before, childrenBefore) as TemplateNodeBefore[];
      expect(ta.length, src).toBe(tb.length);
      ta.forEach((t, k) => {
        expect(templateName(t), src).toBe(templateNameBefore(tb[k]!));
        expect(JSON.parse(JSON.stringify(paramsAfter(src, t))), src).toEqual(paramsBefore(tb[k]!));
      });
    }
  });
});

describe('text helpers, against the ones before issue 14 session 6', () => {
  it('squash, cleanInline and unmask give the same strings', () => {
    fc.assert(
      fc.property(wikitext, (s) => {
        expect(squash(s)).toBe(squashBefore(s));
        expect(cleanInline(s)).toBe(cleanInlineBefore(s));
        expect(unmask(s)).toBe(unmaskBefore(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('squash treats every whitespace character as the regex \\s does', () => {
    const spaces = [' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028'];
    const extra = ['\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u200b', '\u0085', 'x', '.'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...spaces, ...extra), { maxLength: 12 }), (chars) => {
        const s = chars.join('');
        expect(squash(s)).toBe(squashBefore(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('extractMarks reads markers as its regex did: digits between \\u0002 and \\u0003, nothing else', () => {
    const pieces = [
      '\u0002',
      '\u0003',
      '0',
      '7',
      '12',
      '007',
      '9'.repeat(17),
      '1'.repeat(16),
      ' ',
      '  ',
      'a',
      '.',
      '\u0002x\u0003',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), (parts) => {
        const s = parts.join('');
        expect(extractMarks(s)).toEqual(extractMarksBefore(s));
      }),
      { numRuns: 4000 },
    );
  });

  it('splitSentences splits as it did with matchAll, call after call', () => {
    const pieces = [
      'Mr.',
      ' ',
      'Dr',
      '. ',
      'A',
      'b',
      '1',
      '?',
      '!',
      '。',
      '中',
      '"',
      ')',
      'e.g.',
      'X.',
      '\n',
      'word',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...pieces), { maxLength: 20 }), { maxLength: 3 }),
        (texts) => {
          // Several calls in a row: the shared regex starts afresh each time.
          for (const parts of texts) {
            const s = parts.join('');
            expect(splitSentences(s)).toEqual(splitSentencesBefore(s));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
