/**
 * Markers and references that do not meet: a marker citing a reference the article does not
 * define (`missing-reference`, once per missing id, at its first marker) and a reference no
 * marker cites (`unused-reference`; explanatory notes are skipped — they are not sources).
 */
import type { Citation, Finding } from '../model.js';
import {
  type AuditContext,
  clip,
  isNote,
  plural,
  referenceFinding,
  referenceLabel,
  upperFirst,
} from './context.js';

function missingReferences(ctx: AuditContext): Finding[] {
  const byId = new Map<string, Citation[]>();
  const citations = ctx.article.citations;
  // Indexed: `for…of` allocates an iterator result per citation until the loop is optimised.
  for (let k = 0; k < citations.length; k++) {
    const c = citations[k]!;
    if (ctx.referencesById.has(c.referenceId)) continue;
    const list = byId.get(c.referenceId);
    if (list) list.push(c);
    else byId.set(c.referenceId, [c]);
  }
  return [...byId].map(([id, citations]) => {
    const first = citations[0]!;
    const block = ctx.article.blocks[first.block];
    const location: Finding['location'] = {
      section: block?.section ?? ctx.referencesSection,
      block: first.block,
    };
    const line = first.line ?? block?.line;
    if (line !== undefined) location.line = line;
    const label = /^\d+$/.test(id) ? `[${id}]` : `"${id}"`;
    const finding: Finding = {
      kind: 'missing-reference',
      severity: 'error',
      message: `Citation ${label} points at no reference in the article (cited ${plural(citations.length, 'time')}).`,
      referenceIds: [id],
      location,
      suggestion: 'Restore the reference’s definition, or point the marker at the intended reference.',
    };
    const sentence = block?.sentences[first.sentence];
    if (sentence) finding.quote = clip(sentence);
    return finding;
  });
}

function unusedReferences(ctx: AuditContext): Finding[] {
  const cited = new Set(ctx.article.citations.map((c) => c.referenceId));
  return ctx.article.references
    .filter((ref) => !isNote(ref) && ref.inlineCitations === 0 && !cited.has(ref.id))
    .map((ref) =>
      referenceFinding(ctx, ref, {
        kind: 'unused-reference',
        severity: 'warning',
        message: `${upperFirst(referenceLabel(ref))} is not cited anywhere in the text.`,
        suggestion: 'Cite it where it supports the text, or remove it (or move it to Further reading).',
      }),
    );
}

export function auditReferences(ctx: AuditContext): Finding[] {
  return [...missingReferences(ctx), ...unusedReferences(ctx)];
}
