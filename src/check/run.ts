/**
 * The link check of a run: every cited URL, archive copy and identifier of every article,
 * each distinct one checked once however often it is cited. Pages go through the fetcher and
 * `classifyResponse`; identifier links (doi.org, hdl.handle.net, PubMed, arXiv) through their
 * identifier's service; verdicts come from the history plus this run's observation; dead links
 * get the Wayback snapshot closest to their access date. The input articles are not changed:
 * checked copies come back, with the findings and the observations for the history.
 *
 * Offline runs make no request. A run whose fetches all failed for want of a network (or
 * that the fetcher declared offline) calls nothing dead: every network outcome becomes
 * `skipped`, reason `offline`. DNS "no such name" and "connection refused" count as dead only
 * when some host answered during the run.
 */
import type { Logger } from 'pino';
import { normalizeIdentifier } from '../core/identifiers.js';
import { DEFAULTS, type Endpoints } from '../defaults.js';
import { classifyUrl } from '../extract/index.js';
import {
  type Article,
  type Finding,
  type IdentifierCheck,
  type LinkCheck,
  OUTCOMES,
  type Outcome,
  type Reference,
  type Snapshot,
} from '../model.js';
import type { Fetcher, FetchResult } from '../net/types.js';
import { type Classification, classifyResponse } from './classify.js';
import { resolveCheckEndpoints } from './endpoints.js';
import { checkFindings } from './findings.js';
import {
  checkIdentifiers,
  type IdentifierRef,
  identifierKey,
  NETWORK_IDENTIFIER_KINDS,
  resolverUrl,
} from './identifiers.js';
import { RunFetcher } from './run-fetcher.js';
import { addSnapshotDates, type SnapshotLookup, SnapshotLookups, snapshotDate } from './snapshots.js';

import { decideVerdict, type IdentifierObservation, identifierVerdict, type Observation } from './verdict.js';

export type { SnapshotLookup } from './snapshots.js';

export interface CheckOptions {
  /** The run's clock, an ISO instant: every `checkedAt` and observation carries it. */
  now: string;
  /** Make no request: links `skipped` (reason `offline`), identifiers validated offline only. */
  offline: boolean;
  /** Dead outcomes in a row for a `dead` verdict. @default 3 (DEFAULTS.confirm) */
  confirm: number;
  /** Days between the first and last dead outcome of that streak. @default 3 (DEFAULTS.confirmSpanDays) */
  confirmSpanDays: number;
  /** Service base URLs; `handle` defaults to `https://hdl.handle.net`. */
  endpoints: Endpoints & { handle?: string };
  /** Only check URLs for which this returns true (shards; default all). */
  include?: (url: string) => boolean;
  /**
   * Outcomes whose links get the Wayback snapshot closest to their citation's date (when the
   * citation has no archive copy). @default every outcome of a checked link: alive, dead,
   * blocked, error
   */
  snapshotsFor?: readonly Outcome[];
  /** A lookup that found no snapshot is repeated after this many days. @default 30 */
  snapshotMissRecheckDays?: number;
}

/** The outcomes of a link that was checked (every one but `skipped`). */
export const CHECKED_OUTCOMES: readonly Outcome[] = OUTCOMES.filter((o) => o !== 'skipped');

/** A stored observation the cadence answers a link with instead of fetching it again. */
export interface ReusedObservation {
  outcome: Outcome;
  reason: string;
  httpStatus?: number;
  finalUrl?: string;
  /** When it was observed (ISO instant). */
  at: string;
}

export interface CheckProgress {
  done: number;
  total: number;
  byOutcome: Record<Outcome, number>;
  /** Wayback lookups once the pages are done (those the history answered are not counted). */
  snapshots?: { done: number; total: number };
}

export interface CheckDeps {
  fetcher: Fetcher;
  /** The fetcher's offline detector. @default the fetcher's own `isOffline()` when it has one */
  isOffline?: () => boolean;
  /** Earlier observations of a URL (and of an identifier), oldest first; the URL key has no fragment. */
  history?: {
    previous(url: string): Observation[];
    previousIdentifier?(kind: IdentifierCheck['kind'], value: string): IdentifierObservation[];
    /** This URL's last Wayback lookup for `date`: a snapshot found is reused, none is asked again later. */
    snapshotLookup?(url: string, date: string): Omit<SnapshotLookup, 'url' | 'date'> | undefined;
  };
  /** Called with each Wayback lookup this run makes (not with those answered by the history). */
  onSnapshotLookup?: (lookup: SnapshotLookup) => void;
  /**
   * Links the cadence answers from the history instead of fetching (their latest observation,
   * which `history.previous()` already ends with). They are not observed again.
   */
  reuse?: ReadonlyMap<string, ReusedObservation>;
  /**
   * Called with each observation as soon as what it means is known (at once while the network
   * is seen to work; at the end of the run otherwise), so the history can keep it at once.
   */
  onObservation?: (observation: CheckObservation) => void;
  logger?: Logger;
  /** Called after each distinct URL is settled. */
  onProgress?: (p: CheckProgress) => void;
}

/** One observation of one distinct URL, for the history. */
export interface CheckObservation {
  url: string;
  outcome: Outcome;
  reason: string;
  httpStatus?: number;
  finalUrl?: string;
  at: string;
  durationMs: number;
  bytes: number;
}

export interface CheckRun {
  articles: Article[];
  /** Per article, same order. */
  findings: Finding[][];
  offline: boolean;
  offlineReason?: 'requested' | 'unreachable';
  requests: number;
  observations: CheckObservation[];
}

/** A distinct URL of the run and what became of it. */
export interface Target {
  /** The URL fetched: trimmed, fragment removed; also the history key. */
  url: string;
  /** Set when the URL is not fetched at all (malformed, not http, other shard, offline). */
  skip?: string;
  /** Set when the link is an identifier resolver link, checked through the identifier. */
  identifier?: IdentifierRef;
  classification?: Classification;
  durationMs: number;
  bytes: number;
  /** Set once the fetch has run (so local skips are not observations of the network). */
  fetched: boolean;
  /** Set when the cadence reuses the latest stored observation instead of fetching. */
  reused?: ReusedObservation;
  /** Set once the observation has been handed to `onObservation`. */
  reported?: boolean;
  verdict?: ReturnType<typeof decideVerdict>;
  /** Snapshots by target date. */
  snapshots: Map<string, Snapshot>;
}

/** Skip reasons that come from the URL itself, not from the network. */
const LOCAL_SKIPS: ReadonlySet<string> = new Set([
  'invalid-url',
  'unsupported-scheme',
  'address-not-allowed',
  'other-shard',
]);

/** The fetchable form of a cited URL, or why it cannot be fetched. */
export function normalizeTargetUrl(raw: string): {
  url: string;
  problem?: 'invalid-url' | 'unsupported-scheme';
} {
  const s = raw.trim();
  let u: URL;
  try {
    u = new URL(s.startsWith('//') ? `https:${s}` : s);
  } catch {
    return { url: s, problem: 'invalid-url' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { url: s, problem: 'unsupported-scheme' };
  u.hash = '';
  return { url: u.href };
}

/** The identifier an identifier link resolves, normalised; `undefined` if the URL names none. */
function identifierOfLink(url: string): IdentifierRef | undefined {
  const found = classifyUrl(url).identifier;
  if (!found) return undefined;
  const value = normalizeIdentifier(found.kind, found.value);
  return value ? { kind: found.kind, value } : undefined;
}

/** Identifier outcomes as link outcomes. */
const IDENTIFIER_LINK_OUTCOMES: Record<IdentifierCheck['outcome'], Outcome> = {
  resolves: 'alive',
  unresolved: 'dead',
  error: 'error',
  skipped: 'skipped',
  valid: 'skipped',
  invalid: 'skipped',
};

const emptyTally = (): Record<Outcome, number> =>
  Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

/**
 * The distinct targets of a run, gathered one article at a time so that a streaming run can let
 * each article go once it is read: every distinct URL (each checked once however often it is
 * cited, across articles), every identifier, and the snapshot dates the citations want.
 */
export class LinkTable {
  readonly targets = new Map<string, Target>();
  readonly identifierRefs: IdentifierRef[] = [];
  /** Per URL key, the dates its citations without an archive copy want a snapshot of. */
  readonly snapshotDates = new Map<string, Set<string>>();
  readonly #identifierKeys = new Set<string>();
  readonly #options: Pick<CheckOptions, 'offline' | 'include'>;
  readonly #reuse: ReadonlyMap<string, ReusedObservation> | undefined;

  constructor(
    options: Pick<CheckOptions, 'offline' | 'include'>,
    reuse?: ReadonlyMap<string, ReusedObservation>,
  ) {
    this.#options = options;
    this.#reuse = reuse;
  }

  /**
   * Adds the article's links and identifiers. Returns whether the run checks any of them over
   * the network (false when every one belongs to another shard or none can be fetched).
   */
  add(article: Article): boolean {
    const { include, offline } = this.#options;
    let own = false;
    for (const ref of article.references) {
      for (const kind of Object.keys(ref.identifiers) as Array<keyof Reference['identifiers']>) {
        for (const value of ref.identifiers[kind]) {
          if (this.#addIdentifier({ kind, value })) own = true;
        }
      }
      for (const link of ref.links) {
        const { url, problem } = normalizeTargetUrl(link.url);
        const known = this.targets.get(url);
        if (known) {
          if (this.#ownsTarget(known)) own = true;
          continue;
        }
        const target: Target = { url, durationMs: 0, bytes: 0, fetched: false, snapshots: new Map() };
        const identifier = link.role === 'identifier' ? identifierOfLink(url) : undefined;
        if (identifier) {
          target.identifier = identifier;
          this.#addIdentifier(identifier);
        } else if (problem) target.skip = problem;
        else if (include && !include(url)) target.skip = 'other-shard';
        else {
          if (offline) target.skip = 'offline';
          else {
            const reused = this.#reuse?.get(url);
            if (reused) target.reused = reused;
          }
        }
        this.targets.set(url, target);
        if (this.#ownsTarget(target)) own = true;
      }
    }
    addSnapshotDates(this.snapshotDates, article, (url) => normalizeTargetUrl(url).url);
    return own;
  }

  /** The URLs this run fetches (the cadence's input: it may answer some from the history). */
  fetchableUrls(): Set<string> {
    const urls = new Set<string>();
    for (const target of this.targets.values()) if (!target.identifier && !target.skip) urls.add(target.url);
    return urls;
  }

  /** Links the cadence answers from the history instead of fetching (their latest observation). */
  reuse(reuse: ReadonlyMap<string, ReusedObservation>): void {
    for (const [url, observation] of reuse) {
      const target = this.targets.get(url);
      if (target && !target.identifier && !target.skip) target.reused = observation;
    }
  }

  /** Adds an identifier once; returns whether this run checks it over the network. */
  #addIdentifier(ref: IdentifierRef): boolean {
    const key = identifierKey(ref.kind, ref.value);
    if (!this.#identifierKeys.has(key)) {
      this.#identifierKeys.add(key);
      this.identifierRefs.push(ref);
    }
    return this.#owns(ref);
  }

  /** This run checks the target itself: a page of this shard, or an identifier it resolves. */
  #ownsTarget(target: Target): boolean {
    if (target.identifier) return this.#owns(target.identifier);
    return target.skip === undefined || target.skip === 'offline';
  }

  #owns(ref: IdentifierRef): boolean {
    if (!NETWORK_IDENTIFIER_KINDS.has(ref.kind)) return false;
    const url = resolverUrl(ref.kind, ref.value);
    return url !== undefined && (!this.#options.include || this.#options.include(url));
  }
}

/** What the check of a run's links found: applied to each article as it is reported. */
export interface LinkResults {
  offline: boolean;
  offlineReason?: 'requested' | 'unreachable';
  requests: number;
  /** Distinct links answered from the history instead of fetched (the cadence). */
  reused: number;
  /** The observations of the run, one per distinct URL checked (made on demand). */
  observations(): CheckObservation[];
  /** Links whose citation has no archive copy, each with its check (Save Page Now's candidates). */
  captureCandidates(): Array<{ url: string; role: 'source'; check: LinkCheck }>;
  /** A checked copy of `article` (which stays unchanged) and the findings of the check. */
  apply(article: Article): { article: Article; findings: Finding[] };
}

export async function checkArticles(
  articles: Article[],
  options: CheckOptions,
  deps: CheckDeps,
): Promise<CheckRun> {
  const table = new LinkTable(options, deps.reuse);
  for (const article of articles) table.add(article);
  const results = await checkLinks(table, options, deps);
  const applied = articles.map((article) => results.apply(article));
  const run: CheckRun = {
    articles: applied.map((a) => a.article),
    findings: applied.map((a) => a.findings),
    offline: results.offline,
    requests: results.requests,
    observations: results.observations(),
  };
  if (results.offlineReason) run.offlineReason = results.offlineReason;
  return run;
}

/** Checks every target of `table` (pages and identifiers side by side), then their verdicts. */
export async function checkLinks(
  table: LinkTable,
  options: CheckOptions,
  deps: CheckDeps,
): Promise<LinkResults> {
  const endpoints = resolveCheckEndpoints(options.endpoints);
  const fetcher = new RunFetcher(deps.fetcher);
  const { now } = options;
  const { logger } = deps;
  const { targets, identifierRefs } = table;

  // 2. Pages and identifiers, side by side: the fetcher schedules hosts fairly.
  const pages = [...targets.values()].filter((t) => !t.identifier);
  const tally = emptyTally();
  let done = 0;
  const settled = (outcome: Outcome): void => {
    tally[outcome]++;
    done++;
    deps.onProgress?.({ done, total: pages.length, byOutcome: { ...tally } });
  };
  // Observations are handed over once their meaning is known: while some host answers, at
  // once; before that, a failure might be the machine's own outage, so they wait for the end.
  const waiting: Target[] = [];
  const report = (target: Target): void => {
    const observation = observationOf(target, now);
    if (!observation || target.reported) return;
    target.reported = true;
    deps.onObservation?.(observation);
  };
  const snapshotsFor = new Set(options.snapshotsFor ?? CHECKED_OUTCOMES);
  const lookups =
    snapshotsFor.size > 0 && !options.offline
      ? new SnapshotLookups(
          table.snapshotDates,
          {
            endpoints,
            now,
            outcomes: snapshotsFor,
            missRecheckDays: options.snapshotMissRecheckDays ?? DEFAULTS.snapshotMissRecheckDays,
            keyOf: (url) => normalizeTargetUrl(url).url,
          },
          {
            fetcher,
            ...(deps.history?.snapshotLookup && { previous: deps.history.snapshotLookup.bind(deps.history) }),
            ...(deps.onSnapshotLookup && { onLookup: deps.onSnapshotLookup }),
            onProgress: (snapshots) =>
              deps.onProgress?.({ done, total: pages.length, byOutcome: { ...tally }, snapshots }),
            ...(logger && { logger }),
          },
        )
      : undefined;
  const fetched: Target[] = [];
  let reused = 0;
  for (const target of pages) {
    if (target.reused) {
      reused++;
      const { outcome, reason, httpStatus, finalUrl } = target.reused;
      target.classification = {
        outcome,
        reason,
        ...(httpStatus !== undefined && { httpStatus }),
        ...(finalUrl !== undefined && { finalUrl }),
      };
      settled(outcome);
      lookups?.want(target, outcome, false);
    } else if (target.skip) {
      target.classification = { outcome: 'skipped', reason: target.skip };
      settled('skipped');
    } else fetched.push(target);
  }
  const onPage = (target: Target, result: FetchResult): void => {
    target.classification = classifyResponse(result);
    target.durationMs = result.durationMs;
    target.bytes = result.bytes;
    target.fetched = true;
    logger?.debug({ url: target.url, ...target.classification }, 'link checked');
    if (fetcher.anyAnswered) {
      for (const t of waiting.splice(0)) report(t);
      report(target);
    } else waiting.push(target);
    settled(target.classification.outcome);
    lookups?.want(target, target.classification.outcome, fetcher.anyAnswered);
  };
  // Every page at once, as one batch: the fetcher orders them by host and keeps a waiting page
  // as a line entry, so 100 000 links cost no promise or frame each (a Target is a FetchRequest).
  const [, identifierChecks] = await Promise.all([
    fetcher.fetchEach(fetched, onPage),
    checkIdentifiers(
      identifierRefs,
      { now, offline: options.offline, endpoints, ...(options.include && { include: options.include }) },
      { fetcher, ...(logger && { logger }) },
    ),
  ]);

  // 3. The state of the network decides what failures mean.
  const fetcherOffline = deps.isOffline ?? bindIsOffline(deps.fetcher);
  const unreachable = !options.offline && (fetcherOffline?.() === true || fetcher.allOutages);
  if (unreachable)
    logger?.warn('no host could be reached: network outcomes are skipped, nothing is called dead');
  applyNetworkState(pages, identifierChecks, { unreachable, healthy: fetcher.anyAnswered });
  for (const t of waiting.splice(0)) report(t);
  for (const target of targets.values()) {
    if (!target.identifier) continue;
    const check = identifierChecks.get(identifierKey(target.identifier.kind, target.identifier.value));
    target.classification = check
      ? { outcome: IDENTIFIER_LINK_OUTCOMES[check.outcome], reason: check.reason }
      : { outcome: 'skipped', reason: 'not-checked' };
  }

  // 4. Verdicts, from the history plus this run.
  for (const target of targets.values()) {
    const c = target.classification!;
    if (c.reason === 'other-shard') continue;
    const history = deps.history?.previous(target.url) ?? [];
    // A reused observation is the last of the history already.
    target.verdict = decideVerdict(
      target.reused ? history : [...history, { outcome: c.outcome, at: now }],
      options,
    );
  }

  // 5. The snapshot lookups still running (or held until the network was seen working).
  if (unreachable) lookups?.drop();
  else lookups?.release();
  await lookups?.settled();

  // 6. Every observation not handed over yet.
  for (const target of targets.values()) {
    if (target.reported) continue;
    const observation = observationOf(target, now);
    if (!observation) continue;
    target.reported = true;
    deps.onObservation?.(observation);
  }

  const previousIdentifier = deps.history?.previousIdentifier?.bind(deps.history);
  const results: LinkResults = {
    offline: options.offline || unreachable,
    requests: fetcher.requests,
    reused,
    observations: () => [...targets.values()].flatMap((t) => observationOf(t, now) ?? []),
    captureCandidates: () => {
      const candidates: Array<{ url: string; role: 'source'; check: LinkCheck }> = [];
      for (const [url, dates] of table.snapshotDates) {
        const target = targets.get(url);
        if (target)
          for (const date of dates)
            candidates.push({ url, role: 'source', check: linkCheck(target, date, now) });
      }
      return candidates;
    },
    apply: (article) => {
      const checked = copyForCheck(article);
      for (const ref of checked.references) {
        for (const link of ref.links) {
          const target = targets.get(normalizeTargetUrl(link.url).url);
          if (target) link.check = linkCheck(target, snapshotDate(ref), now);
        }
        ref.identifierChecks = mergeIdentifierChecks(ref, identifierChecks);
        if (previousIdentifier) {
          ref.identifierChecks = ref.identifierChecks.map((c) =>
            identifierVerdict(c, previousIdentifier(c.kind, c.value), options),
          );
        }
      }
      return { article: checked, findings: checkFindings(checked, { now, confirm: options.confirm }) };
    },
  };
  if (options.offline) results.offlineReason = 'requested';
  else if (unreachable) results.offlineReason = 'unreachable';
  return results;
}

/**
 * The article as the check returns it: new references and links (the check sets `link.check`
 * and `ref.identifierChecks`), everything else shared with the input, which stays unchanged.
 * A deep copy of every article doubled the memory of a many-article run (317 MB for 3500).
 */
function copyForCheck(article: Article): Article {
  return {
    ...article,
    references: article.references.map((ref) => ({
      ...ref,
      links: ref.links.map((link) => ({ ...link })),
      identifierChecks: [...ref.identifierChecks],
    })),
  };
}

/** What the history should keep of a settled target; nothing for other shards and reused ones. */
function observationOf(target: Target, now: string): CheckObservation | undefined {
  const c = target.classification;
  if (!c || c.reason === 'other-shard' || target.reused) return undefined;
  const observation: CheckObservation = {
    url: target.url,
    outcome: c.outcome,
    reason: c.reason,
    at: now,
    durationMs: target.durationMs,
    bytes: target.bytes,
  };
  if (c.httpStatus !== undefined) observation.httpStatus = c.httpStatus;
  if (c.finalUrl !== undefined) observation.finalUrl = c.finalUrl;
  return observation;
}

/**
 * What failures mean given the network: with no network, every network outcome is `skipped`
 * (`offline`); DNS "no such name" and "refused" are dead only if some host answered.
 */
function applyNetworkState(
  pages: readonly Target[],
  identifierChecks: Map<string, IdentifierCheck>,
  network: { unreachable: boolean; healthy: boolean },
): void {
  for (const target of pages) {
    const c = target.classification!;
    if (target.reused) continue;
    if (network.unreachable && target.fetched && !LOCAL_SKIPS.has(c.reason)) {
      target.classification = { outcome: 'skipped', reason: 'offline' };
    } else if (
      c.outcome === 'dead' &&
      (c.reason === 'dns-not-found' || c.reason === 'refused') &&
      !network.healthy
    ) {
      target.classification = { ...c, outcome: 'error', reason: `${c.reason}-unconfirmed` };
    }
  }
  if (!network.unreachable) return;
  for (const [k, check] of identifierChecks) {
    if (
      NETWORK_IDENTIFIER_KINDS.has(check.kind) &&
      ['resolves', 'unresolved', 'error'].includes(check.outcome)
    ) {
      identifierChecks.set(k, { ...check, outcome: 'skipped', reason: 'offline' });
    }
  }
}

function bindIsOffline(fetcher: Fetcher): (() => boolean) | undefined {
  const candidate = (fetcher as Fetcher & { isOffline?: () => boolean }).isOffline;
  return typeof candidate === 'function' ? () => candidate.call(fetcher) : undefined;
}

function linkCheck(target: Target, wantedDate: string, now: string): LinkCheck {
  const c = target.classification!;
  const v = target.verdict;
  const check: LinkCheck = {
    outcome: c.outcome,
    verdict: v?.verdict ?? 'skipped',
    reason: c.reason,
    checkedAt: now,
  };
  if (c.httpStatus !== undefined) check.httpStatus = c.httpStatus;
  if (c.finalUrl !== undefined) check.finalUrl = c.finalUrl;
  if (c.restricted) check.restricted = true;
  if (target.reused) {
    check.cached = true;
    check.checkedAt = target.reused.at;
  }
  const snapshot = target.snapshots.get(wantedDate);
  if (snapshot) check.snapshot = snapshot;
  if (v) {
    check.streak = v.streak;
    if (v.since !== undefined) check.since = v.since;
    if (v.lastAliveAt !== undefined) check.lastAliveAt = v.lastAliveAt;
  }
  return check;
}

/** The reference's identifier checks: this run's for its identifiers, earlier ones for others kept. */
function mergeIdentifierChecks(
  ref: Reference,
  checks: ReadonlyMap<string, IdentifierCheck>,
): IdentifierCheck[] {
  const fresh: IdentifierCheck[] = [];
  const seen = new Set<string>();
  for (const kind of Object.keys(ref.identifiers) as Array<keyof Reference['identifiers']>) {
    for (const value of ref.identifiers[kind]) {
      const k = identifierKey(kind, value);
      const check = checks.get(k);
      if (check && !seen.has(k)) {
        fresh.push({ ...check });
        seen.add(k);
      }
    }
  }
  const kept = ref.identifierChecks.filter((c) => !seen.has(identifierKey(c.kind, c.value)));
  return [...kept, ...fresh];
}
