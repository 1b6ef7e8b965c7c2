/**
 * Claims without a source: blocks with no citation at all (`uncited-paragraph`, `uncited-list`,
 * `uncited-table`, `uncited-quote`) and the sentences of a cited paragraph that come after its
 * last citation (`uncited-sentence`).
 *
 * Decisions:
 * - A block that carries a maintenance tag but no citation is not reported as uncited: its tag
 *   finding already says a source is needed, and one problem should be reported once.
 * - Blocks shorter than {@link MIN_BLOCK_LENGTH} characters (captions, one-line labels) are skipped.
 * - In the lead everything is `info`: the lead usually summarises body text that is cited
 *   where it is stated in full (Wikipedia's MOS:LEADCITE), and lead tables are infoboxes.
 * - A block quotation is not reported when the sentence right before it is cited (the usual
 *   way to attribute a quotation); otherwise it is `info`.
 * - A trailing sentence that carries a tag, or has no letter at all (debris), is not quoted.
 */
import type { Block, Citation, Finding, Severity, Tag } from '../model.js';
import { type AuditContext, clip, plural, referenceLabel } from './context.js';

/** Blocks shorter than this (in characters, trimmed) are never reported as uncited. */
export const MIN_BLOCK_LENGTH = 40;

/** The lead section's title in the model. */
export const LEAD_SECTION = '(lead)';

/** Longest quote of trailing uncited sentences. */
const MAX_SENTENCES_QUOTE = 400;

const LEADCITE =
  'the lead usually summarises body text that is cited there (MOS:LEADCITE), so this matters only for contentious claims and quotations';

const HAS_LETTER = /\p{L}/u;

function locationOf(block: Block, index: number): Finding['location'] {
  const location: Finding['location'] = { section: block.section, block: index };
  if (block.line !== undefined) location.line = block.line;
  return location;
}

function finding(
  kind: string,
  severity: Severity,
  message: string,
  block: Block,
  index: number,
  quote: string,
  suggestion: string,
): Finding {
  const f: Finding = {
    kind,
    severity,
    message,
    referenceIds: [],
    location: locationOf(block, index),
    suggestion,
  };
  if (quote) f.quote = quote;
  return f;
}

const ADD_CITATIONS =
  'Add inline citations to reliable sources that support it, or tag the claims [citation needed].';

function uncitedBlock(ctx: AuditContext, block: Block, index: number): Finding | undefined {
  if (block.text.trim().length < MIN_BLOCK_LENGTH) return undefined;
  const lead = block.section === LEAD_SECTION;
  const quote = clip(block.sentences[0] ?? block.text);
  const where = lead ? 'in the lead' : `in "${block.section}"`;
  switch (block.kind) {
    case 'paragraph': {
      const size = plural(block.sentences.length, 'sentence');
      return lead
        ? finding(
            'uncited-paragraph',
            'info',
            `Lead paragraph (${size}) has no citation; ${LEADCITE}.`,
            block,
            index,
            quote,
            'Check that the body cites what this paragraph says; cite contentious claims here too.',
          )
        : finding(
            'uncited-paragraph',
            'warning',
            `Paragraph ${where} (${size}) has no citation.`,
            block,
            index,
            quote,
            ADD_CITATIONS,
          );
    }
    case 'list':
      return finding(
        'uncited-list',
        'info',
        `List ${where} (${plural(block.sentences.length, 'item')}) has no citation.`,
        block,
        index,
        quote,
        'Cite the items (or the list as a whole) where they are not cited elsewhere in the article.',
      );
    case 'table':
      return finding(
        'uncited-table',
        lead ? 'info' : 'warning',
        lead ? `Table in the lead has no citation; ${LEADCITE}.` : `Table ${where} has no citation.`,
        block,
        index,
        quote,
        'Cite the table’s source in its caption or in its rows.',
      );
    case 'quote': {
      const previous = ctx.article.blocks[index - 1];
      const lastSentence = previous ? previous.sentences.length - 1 : -1;
      const introduced = (ctx.citationsByBlock.get(index - 1) ?? []).some((c) => c.sentence >= lastSentence);
      if (introduced) return undefined;
      return finding(
        'uncited-quote',
        'info',
        `Block quotation ${where} has no citation, and the sentence before it has none either; quotations need one.`,
        block,
        index,
        quote,
        'Cite the quotation’s source right after it (or in the sentence that introduces it).',
      );
    }
  }
}

function uncitedSentences(
  ctx: AuditContext,
  block: Block,
  index: number,
  citations: readonly Citation[],
  tags: readonly Tag[],
): Finding | undefined {
  // A loop, not Math.max(...): spreading 150 000 citations overflows the call stack.
  let last = -1;
  for (let k = 0; k < citations.length; k++) if (citations[k]!.sentence > last) last = citations[k]!.sentence;
  const tagged = new Set(tags.map((t) => t.sentence));
  const trailing: string[] = [];
  for (let i = last + 1; i < block.sentences.length; i++) {
    const sentence = block.sentences[i]!;
    if (!tagged.has(i) && HAS_LETTER.test(sentence)) trailing.push(sentence);
  }
  if (trailing.length === 0) return undefined;
  const order = (id: string): number => ctx.referenceOrder.get(id) ?? Number.MAX_SAFE_INTEGER;
  const lastIds = [...new Set(citations.filter((c) => c.sentence === last).map((c) => c.referenceId))];
  lastIds.sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
  const lastRefs = lastIds.map((id) => {
    const ref = ctx.referencesById.get(id);
    return ref ? referenceLabel(ref) : `[${id}]`;
  });
  const lead = block.section === LEAD_SECTION;
  const subject =
    trailing.length === 1
      ? 'The sentence after the paragraph’s last citation'
      : `${trailing.length} sentences after the paragraph’s last citation`;
  const verb = trailing.length === 1 ? 'has' : 'have';
  const message = `${subject} (${lastRefs.join(' ')}) ${verb} no citation${lead ? `; ${LEADCITE}` : ''}.`;
  return finding(
    'uncited-sentence',
    lead ? 'info' : 'warning',
    message,
    block,
    index,
    clip(trailing.join(' '), MAX_SENTENCES_QUOTE),
    'Cite the source that supports these sentences (if the last citation covers them, repeat it at the end).',
  );
}

/** Uncited blocks and uncited trailing sentences, in block order. */
export function auditUncited(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  ctx.article.blocks.forEach((block, index) => {
    const citations = ctx.citationsByBlock.get(index) ?? [];
    const tags = ctx.tagsByBlock.get(index) ?? [];
    let f: Finding | undefined;
    if (citations.length === 0) {
      if (tags.length === 0) f = uncitedBlock(ctx, block, index);
    } else if (block.kind === 'paragraph') {
      f = uncitedSentences(ctx, block, index, citations, tags);
    }
    if (f) findings.push(f);
  });
  return findings;
}
