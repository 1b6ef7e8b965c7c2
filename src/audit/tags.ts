/**
 * Maintenance tags (`[citation needed]`, `[who?]`, `[dead link]`, …): one finding per tag, kind =
 * the tag's kind, severity warning. `dead-link` becomes `dead-link-tag` (so it is not confused
 * with the network check's dead links) and `other` becomes `maintenance-tag`.
 *
 * Tags that judge a source (`better source needed`, `failed verification`, `dead link`, …) name
 * the references cited on their sentence; tags that judge the claim name none.
 */
import { monthYear } from '../core/dates.js';
import type { Finding, Reference, Tag, TagKind } from '../model.js';
import { type AuditContext, clip, referenceFinding, referenceLabel, upperFirst } from './context.js';

/** What each tag asks an editor for, completing "it …". */
const ASKS: Record<TagKind, string> = {
  'citation-needed': 'needs a citation to a reliable source',
  who: 'needs to say who: which person or organisation the claim is attributed to',
  when: 'needs a date or time period',
  which: 'needs to say which one is meant',
  'original-research': 'may be original research: it needs a source that states it',
  dubious: 'is disputed as dubious: it needs checking against reliable sources',
  'better-source-needed': 'needs a more reliable source than the one cited',
  'failed-verification': 'is not supported by the cited source: it needs a source that does',
  'dead-link': 'has a link that no longer works: it needs an archive copy or a replacement',
  'clarification-needed': 'needs clarifying',
  'according-to-whom': 'needs to say according to whom',
  'by-whom': 'needs to say by whom',
  'unreliable-source': 'cites a source that may be unreliable',
  'page-needed': 'needs the page numbers of the cited source',
  other: 'carries a maintenance tag that needs attention',
};

const SUGGESTIONS: Partial<Record<TagKind, string>> = {
  'citation-needed': 'Add an inline citation to a reliable source that supports the sentence, or remove it.',
  'original-research': 'Cite a published source that states this, or remove the unsupported part.',
  'better-source-needed': 'Replace or supplement the cited source with a reliable, independent one.',
  'failed-verification': 'Check the cited source; cite one that supports the sentence, or reword it.',
  'dead-link':
    'Find an archive copy (or a replacement source) and add |archive-url=, |archive-date= and |url-status=dead.',
  'page-needed': 'Add the page numbers, e.g. with {{rp}} or |page=.',
};

/** Tags that judge the cited source rather than the claim. */
const SOURCE_TAGS: ReadonlySet<TagKind> = new Set([
  'better-source-needed',
  'failed-verification',
  'dead-link',
  'unreliable-source',
  'page-needed',
]);

/** The finding kind of a tag. */
export function tagFindingKind(kind: TagKind): string {
  if (kind === 'dead-link') return 'dead-link-tag';
  if (kind === 'other') return 'maintenance-tag';
  return kind;
}

const dated = (date: string | undefined): string => (date ? ` (dated ${monthYear(date)})` : '');

function tagFinding(
  kind: TagKind,
  message: string,
  location: Finding['location'],
  referenceIds: string[],
  quote: string | undefined,
): Finding {
  const finding: Finding = {
    kind: tagFindingKind(kind),
    severity: 'warning',
    message,
    referenceIds,
    location,
  };
  if (quote) finding.quote = quote;
  const suggestion = SUGGESTIONS[kind];
  if (suggestion) finding.suggestion = suggestion;
  return finding;
}

function bodyTagFinding(ctx: AuditContext, tag: Tag): Finding {
  const block = ctx.article.blocks[tag.block];
  const sentence = block?.sentences[tag.sentence];
  const referenceIds = new Set<string>();
  if (tag.referenceId !== undefined) referenceIds.add(tag.referenceId);
  if (SOURCE_TAGS.has(tag.kind)) {
    for (const c of ctx.citationsByBlock.get(tag.block) ?? []) {
      if (c.sentence === tag.sentence && ctx.referencesById.has(c.referenceId))
        referenceIds.add(c.referenceId);
    }
  }
  const refs = [...referenceIds].flatMap((id) => ctx.referencesById.get(id) ?? []);
  const citing = refs.length > 0 ? ` (citing ${refs.map(referenceLabel).join(' ')})` : '';
  const what = block?.kind === 'paragraph' || block === undefined ? 'Sentence' : `Item in a ${block.kind}`;
  const message = `${what}${citing} tagged [${tag.text}]${dated(tag.date)}: it ${ASKS[tag.kind]}.`;
  const location: Finding['location'] = {
    section: block?.section ?? ctx.referencesSection,
    block: tag.block,
  };
  const line = tag.line ?? block?.line;
  if (line !== undefined) location.line = line;
  return tagFinding(
    tag.kind,
    message,
    location,
    [...referenceIds],
    sentence === undefined ? undefined : clip(sentence),
  );
}

function referenceTagMessage(ref: Reference | undefined, tag: Pick<Tag, 'kind' | 'text' | 'date'>): string {
  const subject = ref ? upperFirst(referenceLabel(ref)) : 'A reference';
  if (tag.kind === 'dead-link') {
    const bot = ref?.deadLinkTag?.fixAttempted ? '; a bot already tried to fix it' : '';
    return `${subject} is tagged [${tag.text}]${dated(tag.date)}${bot}: its link no longer works and it needs an archive copy or a replacement.`;
  }
  return `${subject} is tagged [${tag.text}]${dated(tag.date)}: it ${ASKS[tag.kind]}.`;
}

function referenceTagFinding(ctx: AuditContext, tag: Tag): Finding {
  const ref = tag.referenceId === undefined ? undefined : ctx.referencesById.get(tag.referenceId);
  const message = referenceTagMessage(ref, tag);
  if (!ref) {
    const location: Finding['location'] = { section: ctx.referencesSection };
    if (tag.line !== undefined) location.line = tag.line;
    return tagFinding(tag.kind, message, location, tag.referenceId ? [tag.referenceId] : [], undefined);
  }
  const finding = referenceFinding(ctx, ref, {
    kind: tagFindingKind(tag.kind),
    severity: 'warning',
    message,
  });
  if (tag.line !== undefined) finding.location.line = tag.line;
  const suggestion = SUGGESTIONS[tag.kind];
  if (suggestion) finding.suggestion = suggestion;
  return finding;
}

/**
 * One finding per maintenance tag, plus one `dead-link-tag` for each reference whose
 * `deadLinkTag` has no matching tag in `article.tags` (extractors may record either).
 */
export function auditTags(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const deadTagged = new Set<string>();
  for (const tag of ctx.article.tags) {
    if (tag.block >= 0) findings.push(bodyTagFinding(ctx, tag));
    else findings.push(referenceTagFinding(ctx, tag));
    if (tag.kind === 'dead-link' && tag.referenceId !== undefined) deadTagged.add(tag.referenceId);
  }
  // Indexed: `for…of` allocates an iterator result per reference until the loop is optimised.
  const references = ctx.article.references;
  for (let r = 0; r < references.length; r++) {
    const ref = references[r]!;
    if (!ref.deadLinkTag || deadTagged.has(ref.id)) continue;
    const tag = { kind: 'dead-link' as const, text: 'dead link', date: ref.deadLinkTag.date };
    findings.push(
      referenceFinding(ctx, ref, {
        kind: 'dead-link-tag',
        severity: 'warning',
        message: referenceTagMessage(ref, tag),
        suggestion: SUGGESTIONS['dead-link']!,
      }),
    );
  }
  return findings;
}
