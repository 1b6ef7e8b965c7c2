/**
 * The content of one inline marker group — `[12]`, `[5][6]`, `[25]: 283 [28]: 101`,
 * `[76][original research?]` — as citations, maintenance tags and note markers.
 */
import type { TagKind } from '../model.js';

/** One item of a marker group. */
export type MarkerItem =
  | { kind: 'citation'; referenceId: string; pages?: string }
  | { kind: 'tag'; tag: TagKind; text: string }
  /** An explanatory-note marker (`[a]`, `[note 1]`): neither a citation nor a claim problem. */
  | { kind: 'note'; label: string };

// Written so that each item parses one way only: no catastrophic backtracking on bad input.
const GROUP = /^\s*(?:\[[^[\]\n]+\](?:\s*:[^[\]\n]*|\s+)?)+$/;
const ITEM = /\[([^[\]\n]+)\]\s*(?::\s*([^[\]\n]*))?/g;
const NOTE = /^(?:[a-z]{1,2}|(?:note|nb|n|lower-alpha|upper-alpha|lower-roman)\s*\d+)$/i;

/** Wikipedia's inline maintenance templates, by the text they display (lower case, no `?`). */
const TAG_TEXTS: ReadonlyMap<string, TagKind> = new Map([
  ['citation needed', 'citation-needed'],
  ['citation needed to verify', 'citation-needed'],
  ['who', 'who'],
  ['whom', 'who'],
  ['when', 'when'],
  ['which', 'which'],
  ['original research', 'original-research'],
  ['original research inline', 'original-research'],
  ['dubious', 'dubious'],
  ['dubious – discuss', 'dubious'],
  ['dubious - discuss', 'dubious'],
  ['better source needed', 'better-source-needed'],
  ['better source', 'better-source-needed'],
  ['failed verification', 'failed-verification'],
  ['not in citation given', 'failed-verification'],
  ['dead link', 'dead-link'],
  ['permanent dead link', 'dead-link'],
  ['clarification needed', 'clarification-needed'],
  ['according to whom', 'according-to-whom'],
  ['by whom', 'by-whom'],
  ['unreliable source', 'unreliable-source'],
  ['unreliable medical source', 'unreliable-source'],
  ['page needed', 'page-needed'],
  ['pages needed', 'page-needed'],
]);

/** The tag kind for a tag text as displayed (`citation needed`, `who?`); unknown → `other`. */
export function tagKind(text: string): TagKind {
  const key = text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[?\s]+$/, '')
    .trim();
  return TAG_TEXTS.get(key) ?? 'other';
}

/**
 * Reads the content of a marker group; `undefined` when it is not one (then the caller keeps
 * the text). Page numbers after a colon go with the citation before them.
 */
export function parseMarkerGroup(body: string): MarkerItem[] | undefined {
  if (!GROUP.test(body)) return undefined;
  const items: MarkerItem[] = [];
  for (const m of body.matchAll(ITEM)) {
    const label = m[1]!.trim();
    const pages = m[2]?.trim();
    if (/^\d{1,6}$/.test(label)) {
      const referenceId = label.replace(/^0+(?=\d)/, '');
      items.push(pages ? { kind: 'citation', referenceId, pages } : { kind: 'citation', referenceId });
    } else if (NOTE.test(label)) {
      items.push({ kind: 'note', label });
    } else {
      items.push({ kind: 'tag', tag: tagKind(label), text: label });
    }
  }
  return items;
}
