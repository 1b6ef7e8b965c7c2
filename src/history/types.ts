/**
 * What the history keeps, as the rest of citewatch sees it. The database rows are an
 * implementation detail of `store.ts`; these types are the contract.
 */

import type { CheckObservation } from '../check/index.js';
import type { IdentifierKind, IdentifierOutcome, Snapshot, TagKind, Verdict } from '../model.js';

/** One observation of a link, as the check stage produces it (`CheckRun.observations`). */
export type ObservationRecord = CheckObservation;

/** An observation read back from the history, with the run that made it. */
export interface StoredObservation extends ObservationRecord {
  runId: number;
}

/** One observation of an identifier (DOI resolution, PMID lookup, …). */
export interface IdentifierObservationRecord {
  kind: IdentifierKind;
  value: string;
  outcome: IdentifierOutcome;
  reason: string;
  at: string;
}

export interface StoredIdentifierObservation extends IdentifierObservationRecord {
  runId: number;
}

/** What `decideVerdict` reads: an outcome and when it was seen. */
export type { Observation } from '../check/index.js';

/** Read access to past observations, as the check stage and the cadence need it. */
export interface HistoryView {
  /** The URL's observations, oldest first (at most the last 50). */
  previous(url: string): StoredObservation[];
  /** `previous()` of many URLs at once (one statement); a URL without observations is absent. */
  previousOfMany(urls: Iterable<string>): ReadonlyMap<string, StoredObservation[]>;
  /** The URL's latest observation. */
  last(url: string): StoredObservation | undefined;
  /** `last()` of many URLs at once (one statement); a URL never observed is absent. */
  lastOfMany(urls: Iterable<string>): ReadonlyMap<string, StoredObservation>;
  /** The identifier's observations, oldest first (at most the last 50). */
  previousIdentifier(kind: IdentifierKind, value: string): StoredIdentifierObservation[];
  /** The latest Wayback lookup for the URL's snapshot closest to `date` (an ISO date). */
  snapshotLookup(url: string, date: string): SnapshotLookupRecord | undefined;
}

/** One Wayback lookup: the capture closest to `date`, or none found, as of `at`. */
export interface SnapshotLookupRecord {
  url: string;
  /** The date the capture should be close to (ISO date). */
  date: string;
  /** When it was looked up (ISO instant). */
  at: string;
  /** Absent when the archive had none. */
  snapshot?: Snapshot;
}

export type SnapshotSource = 'lookup' | 'capture';

export interface StoredSnapshot extends Snapshot {
  source: SnapshotSource;
}

export const ARCHIVE_JOB_STATUSES = ['pending', 'captured', 'refused', 'error'] as const;
export type ArchiveJobStatus = (typeof ARCHIVE_JOB_STATUSES)[number];

/** A Save Page Now request as kept between runs (one row per URL, the latest attempt). */
export interface ArchiveJob {
  url: string;
  jobId?: string;
  status: ArchiveJobStatus;
  requestedAt: string;
  updatedAt: string;
  /** Submissions so far, across runs. */
  attempts: number;
  /** The last SPN `status_ext` or failure reason. */
  lastError?: string;
}

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt?: string;
  options: Record<string, unknown>;
  shard?: string;
}

/** A reference as the changes diff sees it. */
export interface ReferenceFingerprint {
  /** `doi:…`, `url:…` or `title:…`. */
  fingerprint: string;
  /** Title, or the first 80 characters of the text. */
  description: string;
}

export interface TagFingerprint {
  fingerprint: string;
  kind: TagKind;
  text: string;
  /** The sentence the tag sits in, when it is in the body. */
  sentence?: string;
}

/** The verdict of one link of an article, with the references that cite it. */
export interface LinkVerdict {
  verdict: Verdict;
  referenceIds: string[];
  reason?: string;
}

/** One article as one run saw it: what the next run compares against. */
export interface ArticleState {
  /** Stable identity across runs (see `articleKey`). */
  key: string;
  /** The run's clock. */
  at: string;
  sha256: string;
  revisionId?: number;
  references: ReferenceFingerprint[];
  tags: TagFingerprint[];
  /** One fingerprint per unsourced claim (kind and quoted text); its length is the count. */
  unsourced: string[];
  verdictCounts: Record<Verdict, number>;
  /** Verdicts of the article's web links, by URL. */
  links: Record<string, LinkVerdict>;
}

/** One point of the trend chart: one run. */
export interface TrendPoint {
  at: string;
  dead: number;
  suspect: number;
  blocked: number;
}
