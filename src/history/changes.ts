/**
 * What changed between two runs over one article. Pure: two states in, `Changes` out.
 */
import type { ChangedLink, Changes, Verdict } from '../model.js';
import type { ArticleState, TagFingerprint } from './types.js';

type ChangedTag = Changes['tagsAdded'][number];

/** Items of `a` not matched in `b`, counting repeats (two identical tags, one removed → one). */
function missingFrom<T>(a: readonly T[], b: readonly T[], key: (item: T) => string): T[] {
  const left = new Map<string, number>();
  for (const item of b) left.set(key(item), (left.get(key(item)) ?? 0) + 1);
  const out: T[] = [];
  for (const item of a) {
    const n = left.get(key(item)) ?? 0;
    if (n > 0) left.set(key(item), n - 1);
    else out.push(item);
  }
  return out;
}

const toChangedTag = (t: TagFingerprint): ChangedTag => ({
  kind: t.kind,
  text: t.text,
  ...(t.sentence !== undefined && { sentence: t.sentence }),
});

/** True when the article's content differs: the revision when both runs know it, else the hash. */
export function contentChanged(previous: ArticleState, current: ArticleState): boolean {
  if (previous.revisionId !== undefined && current.revisionId !== undefined)
    return previous.revisionId !== current.revisionId;
  return previous.sha256 !== current.sha256;
}

/** The changes of an article no earlier run saw: none. */
export const noChanges = (): Changes => ({
  revisionChanged: false,
  newlyDead: [],
  newlySuspect: [],
  recovered: [],
  newlyBlocked: [],
  referencesAdded: [],
  referencesRemoved: [],
  tagsAdded: [],
  tagsRemoved: [],
  newUnsourcedClaims: 0,
});

export function diffRuns(previous: ArticleState | undefined, current: ArticleState): Changes {
  const changes = noChanges();
  if (previous === undefined) return changes;
  changes.previousRunAt = previous.at;
  changes.revisionChanged = contentChanged(previous, current);

  for (const [url, now] of Object.entries(current.links)) {
    const from: Verdict | undefined = previous.links[url]?.verdict;
    const to = now.verdict;
    if (from === to) continue;
    const link: ChangedLink = {
      url,
      referenceIds: [...now.referenceIds],
      ...(from !== undefined && { from }),
      to,
      ...(now.reason !== undefined && { reason: now.reason }),
    };
    if (to === 'dead') changes.newlyDead.push(link);
    else if (to === 'suspect') changes.newlySuspect.push(link);
    else if (to === 'blocked') changes.newlyBlocked.push(link);
    else if (to === 'alive' && (from === 'suspect' || from === 'dead')) changes.recovered.push(link);
  }

  const byFingerprint = (r: { fingerprint: string }): string => r.fingerprint;
  changes.referencesAdded = missingFrom(current.references, previous.references, byFingerprint).map(
    (r) => r.description,
  );
  changes.referencesRemoved = missingFrom(previous.references, current.references, byFingerprint).map(
    (r) => r.description,
  );
  // Tags only move when someone edits the article; a re-extraction of the same text is no change.
  if (changes.revisionChanged) {
    changes.tagsAdded = missingFrom(current.tags, previous.tags, byFingerprint).map(toChangedTag);
    changes.tagsRemoved = missingFrom(previous.tags, current.tags, byFingerprint).map(toChangedTag);
  }
  changes.newUnsourcedClaims = missingFrom(current.unsourced, previous.unsourced, (s) => s).length;
  return changes;
}
