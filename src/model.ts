/**
 * The shared language of citewatch: every stage takes and returns these types, and the JSON
 * report is built from the same schemas. Names here are stable — the report exposes them.
 *
 * Dates are ISO `YYYY-MM-DD` strings and instants ISO 8601 strings (never `Date` objects), so
 * that the JSON Schema generated from these schemas describes the report exactly.
 */
import { z } from 'zod';

/** ISO calendar date, `YYYY-MM-DD` (a year alone or year-month is padded to `-01`). */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD');
/** ISO 8601 instant, e.g. `2026-11-28T21:15:00.000Z`. */
export const IsoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

// ---------------------------------------------------------------------------------------------
// Outcomes and verdicts

/** One observation of a link. */
export const OUTCOMES = ['alive', 'dead', 'blocked', 'error', 'skipped'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

/** The judgement across runs: `dead` only once confirmed, `suspect` before that. */
export const VERDICTS = ['alive', 'suspect', 'dead', 'blocked', 'error', 'skipped'] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

export const isFailure = (o: Outcome): boolean => o === 'dead' || o === 'blocked' || o === 'error';
export const isReachable = (o: Outcome): boolean => o === 'alive' || o === 'dead' || o === 'blocked';

export const LINK_ROLES = ['source', 'archive', 'chapter', 'identifier', 'other'] as const;
export const LinkRole = z.enum(LINK_ROLES);
export type LinkRole = z.infer<typeof LinkRole>;

export const Snapshot = z.object({
  /** Replay URL of the capture, e.g. `https://web.archive.org/web/20240101000000/https://…`. */
  url: z.string(),
  /** Wayback 14-digit timestamp `YYYYMMDDhhmmss`. */
  timestamp: z.string().regex(/^\d{4,14}$/),
});
export type Snapshot = z.infer<typeof Snapshot>;

/**
 * How a Wayback lookup ended: `found` a good capture, `none` (the archive answered and has no
 * good capture), `failed` (a service failed: unknown, asked again next run), or `unusable` (the
 * capture found was fetched and is no copy of the page: a soft 404, Wayback's "excluded" page…).
 */
export const SNAPSHOT_LOOKUP_STATUSES = ['found', 'none', 'failed', 'unusable'] as const;
export const SnapshotLookupStatus = z.enum(SNAPSHOT_LOOKUP_STATUSES);
export type SnapshotLookupStatus = z.infer<typeof SnapshotLookupStatus>;

export const LinkCheck = z.object({
  outcome: Outcome,
  verdict: Verdict,
  /** Stable, machine-readable reason, e.g. `http-404`, `soft-404`, `offline`, `address-not-allowed`. */
  reason: z.string(),
  httpStatus: z.number().int().optional(),
  finalUrl: z.string().optional(),
  checkedAt: IsoInstant,
  snapshot: Snapshot.optional(),
  /** How this run's Wayback lookup for the link ended; absent when none was asked. */
  snapshotLookup: SnapshotLookupStatus.optional(),
  /**
   * For a citation without a date: the date the snapshot is the closest capture before (when the
   * link was last seen alive, or the run's date) — the editor should check it shows the cited content.
   */
  snapshotBefore: IsoDate.optional(),
  /** A real page behind a paywall or login wall (still `alive`). */
  restricted: z.boolean().optional(),
  /** Consecutive observations with the current outcome, this run included. */
  streak: z.number().int().nonnegative().optional(),
  /** First observation of the current streak. */
  since: IsoInstant.optional(),
  /** Last observation whose outcome was `alive`. */
  lastAliveAt: IsoInstant.optional(),
  /** True when this run reused a recent observation instead of fetching (cadence). */
  cached: z.boolean().optional(),
  /** For a suspect link: the dead checks of the streak that count towards confirmation (`--confirm-interval`). */
  counted: z.number().int().nonnegative().optional(),
  /**
   * The user's rule that decided this link instead of the network: an exclude pattern
   * (`skipped`, reason `excluded`), an accepted status (`--accept`) or an override.
   */
  rule: z.string().optional(),
});
export type LinkCheck = z.infer<typeof LinkCheck>;

export const Link = z.object({
  url: z.string(),
  role: LinkRole,
  /** The link's visible text in the article, when it had one. */
  text: z.string().optional(),
  check: LinkCheck.optional(),
});
export type Link = z.infer<typeof Link>;

// ---------------------------------------------------------------------------------------------
// Identifiers

export const IDENTIFIER_KINDS = [
  'doi',
  'isbn',
  'issn',
  'pmid',
  'pmc',
  'arxiv',
  'bibcode',
  's2cid',
  'hdl',
  'jstor',
  'oclc',
] as const;
export const IdentifierKind = z.enum(IDENTIFIER_KINDS);
export type IdentifierKind = z.infer<typeof IdentifierKind>;

export const Identifiers = z.object({
  doi: z.array(z.string()),
  isbn: z.array(z.string()),
  issn: z.array(z.string()),
  pmid: z.array(z.string()),
  pmc: z.array(z.string()),
  arxiv: z.array(z.string()),
  bibcode: z.array(z.string()),
  s2cid: z.array(z.string()),
  hdl: z.array(z.string()),
  jstor: z.array(z.string()),
  oclc: z.array(z.string()),
});
export type Identifiers = z.infer<typeof Identifiers>;

export const emptyIdentifiers = (): Identifiers => ({
  doi: [],
  isbn: [],
  issn: [],
  pmid: [],
  pmc: [],
  arxiv: [],
  bibcode: [],
  s2cid: [],
  hdl: [],
  jstor: [],
  oclc: [],
});

export const IDENTIFIER_OUTCOMES = [
  'valid',
  'invalid',
  'resolves',
  'unresolved',
  'error',
  'skipped',
] as const;
export const IdentifierOutcome = z.enum(IDENTIFIER_OUTCOMES);
export type IdentifierOutcome = z.infer<typeof IdentifierOutcome>;

export const IdentifierCheck = z.object({
  kind: IdentifierKind,
  value: z.string(),
  outcome: IdentifierOutcome,
  reason: z.string(),
  checkedAt: IsoInstant.optional(),
  verdict: Verdict.optional(),
});
export type IdentifierCheck = z.infer<typeof IdentifierCheck>;

// ---------------------------------------------------------------------------------------------
// Article

export const Section = z.object({
  /** Section heading text; the lead is `(lead)`. */
  title: z.string(),
  /** 1 for the lead and top-level sections, 2 for sub-sections, … */
  level: z.number().int().min(1),
  line: z.number().int().positive().optional(),
});
export type Section = z.infer<typeof Section>;

export const BLOCK_KINDS = ['paragraph', 'list', 'table', 'quote'] as const;
export const Block = z.object({
  kind: z.enum(BLOCK_KINDS),
  /** Title of the section the block sits in (`(lead)` before the first heading). */
  section: z.string(),
  /** Plain text, markup and inline markers removed. */
  text: z.string(),
  /** The block's text split into sentences; citations and tags point into this array. */
  sentences: z.array(z.string()),
  /** 1-based line in the source file where the block starts. */
  line: z.number().int().positive().optional(),
});
export type Block = z.infer<typeof Block>;

export const ACCESS_LEVELS = ['free', 'registration', 'limited', 'subscription'] as const;
export const CITATION_CLASSES = ['web', 'news', 'journal', 'book', 'report', 'other'] as const;

export const Reference = z.object({
  /** Unique within the article: the footnote number for numbered exports, else the ref name or `ref-N`. */
  id: z.string(),
  /** Footnote number as displayed (1-based). */
  number: z.number().int().positive().optional(),
  /** `<ref name=…>` when there is one. */
  name: z.string().optional(),
  /** Footnote group (`notes`, `lower-alpha`, …); absent for ordinary references. */
  group: z.string().optional(),
  /** The reference's full text as displayed, markup removed. */
  text: z.string(),
  title: z.string().optional(),
  authors: z.array(z.string()),
  date: IsoDate.optional(),
  publisher: z.string().optional(),
  work: z.string().optional(),
  /** Citation class: web, news, journal, book, … */
  citationClass: z.enum(CITATION_CLASSES).optional(),
  identifiers: Identifiers,
  links: z.array(Link),
  identifierChecks: z.array(IdentifierCheck),
  archive: z.object({ present: z.boolean(), url: z.string().optional(), date: IsoDate.optional() }),
  accessDate: IsoDate.optional(),
  /** CS1 `url-status` (`live`, `dead`, `unfit`, `usurped`, `deviated`). */
  urlStatus: z.string().optional(),
  doiInactiveSince: IsoDate.optional(),
  accessLevel: z.enum(ACCESS_LEVELS).optional(),
  /** `{{dead link}}` on the reference: its date, and whether a bot already tried to fix it. */
  deadLinkTag: z.object({ date: IsoDate.optional(), fixAttempted: z.boolean() }).optional(),
  /** `{{cbignore}}`: checked and reported, never changed automatically. */
  noAutoFix: z.boolean().optional(),
  /** Number of inline markers in the body that cite this reference. */
  inlineCitations: z.number().int().nonnegative(),
  /** 1-based line in the source where the reference is defined. */
  line: z.number().int().positive().optional(),
});
export type Reference = z.infer<typeof Reference>;

export const Citation = z.object({
  referenceId: z.string(),
  /** Index into `Article.blocks`. */
  block: z.number().int().nonnegative(),
  /** Index into that block's `sentences`. */
  sentence: z.number().int().nonnegative(),
  /** Page(s) given with the marker, e.g. `283` or `12-14`. */
  pages: z.string().optional(),
  line: z.number().int().positive().optional(),
});
export type Citation = z.infer<typeof Citation>;

export const TAG_KINDS = [
  'citation-needed',
  'who',
  'when',
  'which',
  'original-research',
  'dubious',
  'better-source-needed',
  'failed-verification',
  'dead-link',
  'clarification-needed',
  'according-to-whom',
  'by-whom',
  'unreliable-source',
  'page-needed',
  'other',
] as const;
export const TagKind = z.enum(TAG_KINDS);
export type TagKind = z.infer<typeof TagKind>;

export const Tag = z.object({
  kind: TagKind,
  /** The tag as written, e.g. `citation needed`, `who?`. */
  text: z.string(),
  date: IsoDate.optional(),
  /** Index into `Article.blocks`; -1 when the tag sits inside a reference. */
  block: z.number().int().min(-1),
  sentence: z.number().int().nonnegative(),
  /** Set when the tag belongs to a reference (e.g. `{{dead link}}`). */
  referenceId: z.string().optional(),
  line: z.number().int().positive().optional(),
});
export type Tag = z.infer<typeof Tag>;

export const INPUT_FORMATS = ['markdown', 'html', 'wikitext'] as const;
export const InputFormat = z.enum(INPUT_FORMATS);
export type InputFormat = z.infer<typeof InputFormat>;

export const ArticleSource = z.object({
  format: InputFormat,
  /** File path as given on the command line, when the article came from a file. */
  path: z.string().optional(),
  /** When fetched by title from a MediaWiki API. */
  wiki: z
    .object({
      endpoint: z.string(),
      title: z.string(),
      revisionId: z.number().int().optional(),
      fetchedAt: IsoInstant,
    })
    .optional(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
});
export type ArticleSource = z.infer<typeof ArticleSource>;

export const TrailingContent = z.object({ text: z.string(), line: z.number().int().positive() });

export const Article = z.object({
  source: ArticleSource,
  title: z.string(),
  sections: z.array(Section),
  blocks: z.array(Block),
  references: z.array(Reference),
  citations: z.array(Citation),
  tags: z.array(Tag),
  /** Content after the reference list that belongs to no reference (adverts, page debris). */
  trailing: z.array(TrailingContent),
});
export type Article = z.infer<typeof Article>;

// ---------------------------------------------------------------------------------------------
// Findings

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export const Finding = z.object({
  /** Stable kind, e.g. `citation-needed`, `uncited-paragraph`, `dead-link`, `invalid-identifier`. */
  kind: z.string(),
  severity: Severity,
  message: z.string(),
  referenceIds: z.array(z.string()),
  location: z.object({
    section: z.string(),
    line: z.number().int().positive().optional(),
    block: z.number().int().nonnegative().optional(),
  }),
  /** The sentence or text the finding is about, quoted from the article. */
  quote: z.string().optional(),
  /** What an editor could do, e.g. the CS1 parameters to add. */
  suggestion: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

/** Builds an empty article, for extractors to fill in. */
export const emptyArticle = (source: ArticleSource, title: string): Article => ({
  source,
  title,
  sections: [],
  blocks: [],
  references: [],
  citations: [],
  tags: [],
  trailing: [],
});

/** Builds a reference with every collection empty, for extractors to fill in. */
export const emptyReference = (id: string, text: string): Reference => ({
  id,
  text,
  authors: [],
  identifiers: emptyIdentifiers(),
  links: [],
  identifierChecks: [],
  archive: { present: false },
  inlineCitations: 0,
});

// ---------------------------------------------------------------------------------------------
// Report

export const REPORT_SCHEMA_VERSION = 1 as const;

export const LinkCounts = z.object({
  total: z.number().int().nonnegative(),
  alive: z.number().int().nonnegative(),
  suspect: z.number().int().nonnegative(),
  dead: z.number().int().nonnegative(),
  blocked: z.number().int().nonnegative(),
  error: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});
export type LinkCounts = z.infer<typeof LinkCounts>;

export const Summary = z.object({
  references: z.number().int().nonnegative(),
  citations: z.number().int().nonnegative(),
  tags: z.number().int().nonnegative(),
  /** Claims without a source: maintenance tags plus uncited paragraphs and sentences. */
  unsourcedClaims: z.number().int().nonnegative(),
  findings: z.object({
    error: z.number().int().nonnegative(),
    warning: z.number().int().nonnegative(),
    info: z.number().int().nonnegative(),
  }),
  findingsByKind: z.record(z.string(), z.number().int().nonnegative()),
  links: LinkCounts,
  identifiers: z.object({
    total: z.number().int().nonnegative(),
    invalid: z.number().int().nonnegative(),
    unresolved: z.number().int().nonnegative(),
  }),
});
export type Summary = z.infer<typeof Summary>;

export const RunInfo = z.object({
  /** The clock of the run (`--now`, else the real time at start). */
  now: IsoInstant,
  /** True when no network check was made: `--offline`, or nothing could be reached. */
  offline: z.boolean(),
  /** `requested` for `--offline`; `unreachable` when the network was found down. */
  offlineReason: z.enum(['requested', 'unreachable']).optional(),
  /** `I/N` when the run checked one shard of the links. */
  shard: z.string().optional(),
  /** Requests sent during the run (every hop and retry counted). */
  requests: z.number().int().nonnegative(),
  /** Fetches the cadence avoided by reusing recent observations. */
  savedByCadence: z.number().int().nonnegative(),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const ChangedLink = z.object({
  url: z.string(),
  referenceIds: z.array(z.string()),
  /** The verdict before this run (absent when the link is new). */
  from: Verdict.optional(),
  to: Verdict,
  reason: z.string().optional(),
});
export type ChangedLink = z.infer<typeof ChangedLink>;

export const ChangedTag = z.object({ kind: TagKind, text: z.string(), sentence: z.string().optional() });

/** What changed since the previous run over the same article. */
export const Changes = z.object({
  /** Clock of the previous run; absent on the first run (then every list is empty). */
  previousRunAt: IsoInstant.optional(),
  /** True when the article's content (revision or hash) changed since the previous run. */
  revisionChanged: z.boolean(),
  newlyDead: z.array(ChangedLink),
  newlySuspect: z.array(ChangedLink),
  recovered: z.array(ChangedLink),
  newlyBlocked: z.array(ChangedLink),
  /** References present now but not before (and the reverse), by a short description. */
  referencesAdded: z.array(z.string()),
  referencesRemoved: z.array(z.string()),
  tagsAdded: z.array(ChangedTag),
  tagsRemoved: z.array(ChangedTag),
  /** Uncited-claim findings that were not there in the previous run. */
  newUnsourcedClaims: z.number().int().nonnegative(),
});
export type Changes = z.infer<typeof Changes>;

export const ARCHIVE_REQUEST_STATUSES = ['captured', 'pending', 'refused', 'error', 'skipped'] as const;
export const ArchiveRequest = z.object({
  url: z.string(),
  status: z.enum(ARCHIVE_REQUEST_STATUSES),
  reason: z.string(),
  jobId: z.string().optional(),
  snapshot: Snapshot.optional(),
  requestedAt: IsoInstant,
});
export type ArchiveRequest = z.infer<typeof ArchiveRequest>;

export const Report = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generator: z.object({ name: z.literal('citewatch'), version: z.string() }),
  generatedAt: IsoInstant,
  run: RunInfo,
  article: Article,
  findings: z.array(Finding),
  summary: Summary,
  /** Present when the run kept a history (`--state`). */
  changes: Changes.optional(),
  /** Save Page Now captures requested during the run (`--archive`). */
  archiveRequests: z.array(ArchiveRequest).optional(),
});
export type Report = z.infer<typeof Report>;
