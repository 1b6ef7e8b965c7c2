import { describe, expect, it } from 'vitest';
import { buildContext } from '../src/audit/context.js';
import { AUDIT_KIND_DESCRIPTIONS, AUDIT_KINDS, auditArticle, summarizeFindings } from '../src/audit/index.js';
import { sortFindings } from '../src/audit/order.js';
import { type Article, Finding, TAG_KINDS } from '../src/model.js';
import {
  article,
  audit,
  block,
  cite,
  LONG,
  NOW,
  ofKind,
  paragraph,
  reference,
  tag,
} from './support/article-builder.js';

const complete = { title: 'A source', work: 'Example', date: '2020-05-05' };

/** An article with one occasion for every rule. */
function everything(): Article {
  return article({
    blocks: [
      paragraph('(lead)', [LONG], 3),
      paragraph('History', [LONG, 'It then opened a laboratory in Nanjing.'], 5),
      paragraph(
        'History',
        TAG_KINDS.map((k) => `A claim marked ${k}.`),
        7,
      ),
      block('list', 'History', [LONG, LONG], 9),
      block('table', 'History', [LONG], 11),
      block('quote', 'History', [LONG], 13),
      paragraph('History', [LONG], 15),
    ],
    references: [
      reference('1', { ...complete, line: 20 }),
      reference('2', { ...complete, title: 'Unused', inlineCitations: 0, line: 21 }),
      reference('3', { title: 'A', identifiers: { doi: ['10.1/x'] }, line: 22 }),
      reference('4', { title: 'B', identifiers: { doi: ['10.1/x'] }, line: 23 }),
      reference('5', { ...complete, identifiers: { isbn: ['9781003212981'] }, line: 24 }),
      reference('6', {
        ...complete,
        doiInactiveSince: '2024-11-01',
        identifiers: { doi: ['10.2/y'] },
        line: 25,
      }),
      reference('7', { text: 'Some words about a source somewhere.', line: 26 }),
      reference('8', { ...complete, accessDate: '2024-08-24', line: 27 }),
      reference('9', {
        ...complete,
        accessDate: '2020-04-30',
        archive: { present: true, date: '2020-05-01' },
        line: 28,
      }),
    ],
    citations: [
      cite('1', 1, 0),
      ...['3', '4', '5', '6', '7', '8', '9'].map((id) => cite(id, 1, 0)),
      cite('99', 6, 0),
    ],
    tags: TAG_KINDS.map((k, i) => tag(k, 2, i)),
    trailing: [{ text: 'WELCOME TO PRESALE1 ADVISORY BOARD', line: 40 }],
  });
}

describe('auditArticle', () => {
  it('emits exactly the documented kinds', () => {
    const kinds = new Set(audit(everything()).map((f) => f.kind));
    expect([...kinds].sort()).toEqual([...AUDIT_KINDS].sort());
    for (const kind of AUDIT_KINDS) expect(AUDIT_KIND_DESCRIPTIONS[kind]).toBeTruthy();
  });

  it('returns findings that fit the model’s schema and name a section', () => {
    for (const f of audit(everything())) {
      expect(Finding.safeParse(f).success).toBe(true);
      expect(f.location.section).not.toBe('');
    }
  });

  it('is pure: the article is not changed and the same input gives the same output', () => {
    const a = everything();
    const before = structuredClone(a);
    const first = auditArticle(a, { now: NOW });
    expect(a).toEqual(before);
    expect(auditArticle(a, { now: NOW })).toEqual(first);
  });

  it('orders body findings by block, then reference findings by line, whatever the input order', () => {
    const a = everything();
    const findings = audit(a);
    const shuffled = { ...a, citations: [...a.citations].reverse(), tags: [...a.tags].reverse() };
    expect(audit(shuffled)).toEqual(findings);

    const firstReferenceFinding = findings.findIndex((f) => f.location.block === undefined);
    const body = findings.slice(0, firstReferenceFinding);
    const rest = findings.slice(firstReferenceFinding);
    expect(rest.every((f) => f.location.block === undefined)).toBe(true);
    const blocks = body.map((f) => f.location.block!);
    expect(blocks).toEqual([...blocks].sort((x, y) => x - y));
    const lines = rest.map((f) => f.location.line!);
    expect(lines).toEqual([...lines].sort((x, y) => x - y));
  });

  it('orders findings of one reference by kind', () => {
    const a = article({
      references: [reference('8', { title: 'T', accessDate: '2024-08-24', inlineCitations: 0, line: 27 })],
    });
    expect(audit(a).map((f) => f.kind)).toEqual(['incomplete-citation', 'no-archive', 'unused-reference']);
  });

  it('orders findings about references without a line by their first reference in the list', () => {
    const a = article({ references: ['x', 'y', 'z'].map((id) => reference(id)) });
    const about = (ids: string[], message: string): Finding => ({
      kind: 'duplicate-reference',
      severity: 'warning',
      message,
      referenceIds: ids,
      location: { section: 'References' },
    });
    const findings = [
      about(['ghost'], 'a: no such reference'),
      about(['y'], 'b: y'),
      about(['z', 'x'], 'c: z and x'),
      about(['z'], 'd: z'),
    ];
    const ctx = buildContext(a, NOW);
    expect(sortFindings(ctx, findings).map((f) => f.message)).toEqual([
      'c: z and x',
      'b: y',
      'd: z',
      'a: no such reference',
    ]);
    expect(sortFindings(ctx, [...findings].reverse())).toEqual(sortFindings(ctx, findings));
  });

  it('finds nothing in an empty article', () => {
    expect(audit(article())).toEqual([]);
  });
});

describe('trailing-content', () => {
  it('reports content after the references once, quoting its start, after the last reference', () => {
    const a = article({
      references: [reference('92', { ...complete, line: 403 }), reference('93', { ...complete, line: 404 })],
      blocks: [paragraph('History', [LONG])],
      citations: [cite('92', 0, 0), cite('93', 0, 0)],
      trailing: [
        { text: 'WELCOME TO PRESALE1 ADVISORY BOARD', line: 408 },
        { text: 'Stay Warm and Safe! Follow Presale1!', line: 413 },
      ],
    });
    const found = ofKind(audit(a), 'trailing-content');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'info',
      referenceIds: ['93'],
      location: { section: 'References', line: 408 },
    });
    expect(found[0]?.quote).toMatch(/^WELCOME TO PRESALE1 ADVISORY BOARD Stay Warm/);
    expect(found[0]?.message).toBe(
      '2 blocks of text after [93] belong to no reference (an advert or page debris?).',
    );
  });

  it('is silent without trailing content', () => {
    expect(ofKind(audit(article()), 'trailing-content')).toEqual([]);
  });
});

describe('summarizeFindings', () => {
  const f = (kind: string, severity: Finding['severity']): Finding => ({
    kind,
    severity,
    message: kind,
    referenceIds: [],
    location: { section: 'History' },
  });
  it.each<[string, Finding[], ReturnType<typeof summarizeFindings>]>([
    ['none', [], { error: 0, warning: 0, info: 0, byKind: {} }],
    [
      'mixed',
      [f('who', 'warning'), f('invalid-identifier', 'error'), f('who', 'warning'), f('no-archive', 'info')],
      { error: 1, warning: 2, info: 1, byKind: { 'invalid-identifier': 1, 'no-archive': 1, who: 2 } },
    ],
  ])('%s', (_name, findings, expected) => {
    const summary = summarizeFindings(findings);
    expect(summary).toEqual(expected);
    expect(Object.keys(summary.byKind)).toEqual(Object.keys(expected.byKind));
  });
});
