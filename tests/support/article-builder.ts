/**
 * Small hand-built articles for the audit tests: blocks from sentences, numbered references from
 * a few fields, citations and tags by block and sentence.
 */
import { auditArticle } from '../../src/audit/index.js';
import {
  type Article,
  type Block,
  type Citation,
  emptyArticle,
  emptyReference,
  type Finding,
  type Identifiers,
  type Reference,
  type Tag,
  type TagKind,
} from '../../src/model.js';

/** The clock every audit test runs at. */
export const NOW = '2026-11-28T21:15:00.000Z';

/** A sentence comfortably longer than the audit's minimum block length. */
export const LONG =
  'The State Council published a development plan that set goals for the artificial intelligence industry.';

export function block(kind: Block['kind'], section: string, sentences: string[], line?: number): Block {
  const b: Block = { kind, section, text: sentences.join(' '), sentences };
  if (line !== undefined) b.line = line;
  return b;
}

export const paragraph = (section: string, sentences: string[], line?: number): Block =>
  block('paragraph', section, sentences, line);

/** Reference fields a test may set; `identifiers` may be partial. */
export type ReferenceFields = Partial<Omit<Reference, 'id' | 'identifiers'>> & {
  identifiers?: Partial<Identifiers>;
};

/** A reference numbered like the seed's (`id` "12" → `number` 12), with `inlineCitations` 1. */
export function reference(id: string, fields: ReferenceFields = {}): Reference {
  const ref = emptyReference(id, fields.text ?? `Reference ${id}.`);
  if (/^\d+$/.test(id)) ref.number = Number(id);
  ref.inlineCitations = 1;
  const { identifiers, ...rest } = fields;
  Object.assign(ref, rest);
  if (identifiers) Object.assign(ref.identifiers, identifiers);
  return ref;
}

export function cite(
  referenceId: string,
  blockIndex: number,
  sentence: number,
  extra: Partial<Citation> = {},
): Citation {
  return { referenceId, block: blockIndex, sentence, ...extra };
}

export function tag(kind: TagKind, blockIndex: number, sentence: number, extra: Partial<Tag> = {}): Tag {
  return { kind, text: kind.replace(/-/g, ' '), block: blockIndex, sentence, ...extra };
}

export interface ArticleParts {
  blocks?: Block[];
  references?: Reference[];
  citations?: Citation[];
  tags?: Tag[];
  trailing?: Article['trailing'];
  sections?: Article['sections'];
}

export function article(parts: ArticleParts = {}): Article {
  const a = emptyArticle({ format: 'markdown', bytes: 0, sha256: '0'.repeat(64) }, 'Test article');
  a.sections = parts.sections ?? [
    { title: '(lead)', level: 1 },
    { title: 'History', level: 2 },
    { title: 'References', level: 2 },
  ];
  a.blocks = parts.blocks ?? [];
  a.references = parts.references ?? [];
  a.citations = parts.citations ?? [];
  a.tags = parts.tags ?? [];
  a.trailing = parts.trailing ?? [];
  return a;
}

/** Audits at {@link NOW}. */
export const audit = (a: Article, now: string = NOW): Finding[] => auditArticle(a, { now });

/** The findings of one kind. */
export const ofKind = (findings: readonly Finding[], kind: string): Finding[] =>
  findings.filter((f) => f.kind === kind);

/** Only references, each cited once from one paragraph, so that no other rule fires on them. */
export function referencesOnly(refs: Reference[]): Article {
  return article({
    blocks: [
      paragraph(
        'History',
        refs.map((_, i) => `${LONG} Claim ${i}.`),
      ),
    ],
    references: refs,
    citations: refs.map((r, i) => cite(r.id, 0, i)),
  });
}
