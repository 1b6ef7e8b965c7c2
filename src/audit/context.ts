/**
 * What every audit rule reads besides the article itself: lookups built once per audit, and the
 * small wording helpers that keep messages alike across rules.
 */
import { squash } from '../core/text.js';
import type { Article, Citation, Finding, Reference, Tag } from '../model.js';

/** The article plus indexes over it; rules read it and never change it. */
export interface AuditContext {
  readonly article: Article;
  /** The run's clock, an ISO instant. */
  readonly now: string;
  readonly referencesById: ReadonlyMap<string, Reference>;
  /** Position of each reference in `article.references`, to order findings. */
  readonly referenceOrder: ReadonlyMap<string, number>;
  readonly citationsByBlock: ReadonlyMap<number, readonly Citation[]>;
  /** Tags in the body (block ≥ 0), by block. */
  readonly tagsByBlock: ReadonlyMap<number, readonly Tag[]>;
  /** Title of the section that holds the reference list, for findings about references. */
  readonly referencesSection: string;
}

/** Section titles under which Wikipedia articles keep their reference lists. */
const REFERENCE_SECTION =
  /^(?:references?|notes?|citations?|footnotes?|notes and references|references and notes|works cited|sources|bibliography)$/i;

/** Used when the article has no reference-list heading (e.g. wikitext with only `<references/>`). */
export const DEFAULT_REFERENCES_SECTION = 'References';

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  // Indexed: `for…of` allocates an iterator result per item until the loop is optimised.
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function buildContext(article: Article, now: string): AuditContext {
  const referencesById = new Map<string, Reference>();
  const referenceOrder = new Map<string, number>();
  article.references.forEach((ref, i) => {
    if (!referencesById.has(ref.id)) {
      referencesById.set(ref.id, ref);
      referenceOrder.set(ref.id, i);
    }
  });
  const listSection = [...article.sections].reverse().find((s) => REFERENCE_SECTION.test(s.title.trim()));
  return {
    article,
    now,
    referencesById,
    referenceOrder,
    citationsByBlock: groupBy(article.citations, (c) => c.block),
    tagsByBlock: groupBy(
      article.tags.filter((t) => t.block >= 0),
      (t) => t.block,
    ),
    referencesSection: listSection?.title ?? DEFAULT_REFERENCES_SECTION,
  };
}

/** How messages name a reference: `[64]` for a numbered footnote, else its name or id in quotes. */
export function referenceLabel(ref: Pick<Reference, 'id' | 'number' | 'name'>): string {
  if (ref.number !== undefined) return `[${ref.number}]`;
  return `reference "${ref.name ?? ref.id}"`;
}

/** Labels of several references, joined for a sentence: `[1], [3] and [35]`. */
export function referenceLabels(refs: readonly Pick<Reference, 'id' | 'number' | 'name'>[]): string {
  const labels = refs.map(referenceLabel);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}

/** Longest quote a finding carries; editors search for the start of it, not all of it. */
export const MAX_QUOTE_LENGTH = 200;

/** Shortens a quote on a word boundary, marking the cut with `…`. */
export function clip(text: string, max = MAX_QUOTE_LENGTH): string {
  const t = squash(text);
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** `1 sentence`, `2 sentences`. */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** The location of a finding about one reference: the reference list, at the reference's line. */
export function referenceLocation(ctx: AuditContext, ref: Reference): Finding['location'] {
  return ref.line === undefined
    ? { section: ctx.referencesSection }
    : { section: ctx.referencesSection, line: ref.line };
}

/** A finding about one reference, quoting the start of the reference's text. */
export function referenceFinding(
  ctx: AuditContext,
  ref: Reference,
  fields: Pick<Finding, 'kind' | 'severity' | 'message'> & { suggestion?: string },
): Finding {
  const finding: Finding = {
    kind: fields.kind,
    severity: fields.severity,
    message: fields.message,
    referenceIds: [ref.id],
    location: referenceLocation(ctx, ref),
  };
  const quote = clip(ref.text);
  if (quote) finding.quote = quote;
  if (fields.suggestion !== undefined) finding.suggestion = fields.suggestion;
  return finding;
}

/** References that are footnotes of the article's explanatory notes, not citations of sources. */
export const isNote = (ref: Reference): boolean => ref.group !== undefined;

/** Capitalises the first letter, for labels that open a sentence. */
export const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
