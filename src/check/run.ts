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
 * when some host answered during the run; when none did, one request to the archive's
 * availability API decides whether the network works (then they are dead) or not (offline).
 */
import type { Logger } from 'pino';
import { normalizeIdentifier } from '../core/identifiers.js';
import { DEFAULTS, type Endpoints } from '../defaults.js';
import { classifyUrl } from '../extract/index.js';
import {
  type Article,
  type Finding,
  type IdentifierCheck,
  type IdentifierKind,
  type Link,
  type LinkCheck,
  OUTCOMES,
  type Outcome,
  type Reference,
  type Snapshot,
  VERDICTS,
  type Verdict,
} from '../model.js';
import type { Fetcher, FetchResult } from '../net/types.js';
import { classifyArchiveCopy, isArchiveHost } from './archive-copy.js';
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
import { type PageSignals, readPage } from './page.js';
import type { LinkRules, RuleDecision } from './rules.js';
import { RunFetcher } from './run-fetcher.js';
import {
  addSnapshotDates,
  type SnapshotLookup,
  SnapshotLookups,
  type SnapshotState,
  snapshotDate,
} from './snapshots.js';
import { type AnsweredPage, matchesNotFoundPage } from './soft-404.js';

import {
  decideVerdict,
  type IdentifierObservation,
  identifierVerdict,
  identifierVerdictReadsHistory,
  type Observation,
} from './verdict.js';

export type { SnapshotLookup } from './snapshots.js';

export interface CheckOptions {
  /** The run's clock, an ISO instant: every `checkedAt` and observation carries it. */
  now: string;
  /** Make no request: links `skipped` (reason `offline`), identifiers validated offline only. */
  offline: boolean;
  /** Dead checks in a row for a `dead` verdict. @default 3 (DEFAULTS.confirm) */
  confirm: number;
  /**
   * Days from one counted dead check to the next (a sooner one does not count).
   * @default 3 (DEFAULTS.confirmIntervalDays)
   */
  confirmIntervalDays?: number;
  /** @deprecated the old first-to-last span; read as `confirmSpanDays / (confirm - 1)` */
  confirmSpanDays?: number;
  /** Service base URLs; `handle` defaults to `https://hdl.handle.net`. */
  endpoints: Endpoints & { handle?: string };
  /** Only check URLs for which this returns true (shards; default all). */
  include?: (url: string) => boolean;
  /**
   * The user's exclude/include patterns, accepted statuses and overrides. Excluded links are
   * `skipped` (reason `excluded`), overridden ones `alive` (reason `override`): neither is
   * fetched nor recorded. @default no rules
   */
  rules?: LinkRules;
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
  /**
   * The same links by verdict, as the report counts them: a dead outcome is `suspect` until the
   * history confirms it (the other outcomes are their own verdict).
   */
  byVerdict: Record<Verdict, number>;
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
    /** `previous` of many URLs in one read (a URL without observations may be absent). */
    previousOfMany?(urls: string[]): ReadonlyMap<string, Observation[]>;
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
  /** Random numbers for the paths that cannot exist (soft-404 probes). @default Math.random */
  random?: () => number;
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
  /** Set when the URL is not fetched at all (malformed, not http, other shard, offline, excluded). */
  skip?: string;
  /** Set when a user's rule decided the link before any request (excluded, overridden). */
  decision?: RuleDecision;
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
  /** How each snapshot lookup ended, by target date. */
  lookups: Map<string, SnapshotState>;
  /** The URL is cited as an archive copy: judged as a replay (`classifyArchiveCopy`) first. */
  archiveCopy?: boolean;
  /** A soft-404 candidate's answer, kept until it is compared with the host's not-found page. */
  answered?: AnsweredPage;
}

/** The history of a URL never observed. */
const NO_HISTORY: readonly Observation[] = Object.freeze([]);

/** URLs whose histories the verdicts read at once: one statement each batch. */
const HISTORY_BATCH = 500;

/** Failures that say "this host is gone" only while the network is seen to work. */
const NEEDS_HEALTHY_NETWORK: ReadonlySet<string> = new Set(['dns-not-found', 'refused']);

/** Skip reasons that come from the URL itself, not from the network. */
const LOCAL_SKIPS: ReadonlySet<string> = new Set([
  'invalid-url',
  'unsupported-scheme',
  'address-not-allowed',
  'other-shard',
  'excluded',
]);

/** The fetchable form of a cited URL, or why it cannot be fetched. */
export function normalizeTargetUrl(raw: string): {
  url: string;
  problem?: 'invalid-url' | 'unsupported-scheme';
} {
  const { url, problem } = parseTargetUrl(raw);
  return problem ? { url, problem } : { url };
}

/** `normalizeTargetUrl`, and the host of a fetchable URL (the link table reads it too). */
function parseTargetUrl(raw: string): {
  url: string;
  host?: string;
  problem?: 'invalid-url' | 'unsupported-scheme';
} {
  const s = raw.trim();
  let u: URL;
  try {
    u = new URL(s.startsWith('//') ? `https:${s}` : s);
  } catch {
    return { url: s, problem: 'invalid-url' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { url: s, host: u.hostname, problem: 'unsupported-scheme' };
  // Only a URL with a fragment has one to drop: setting `hash` serialises the URL again.
  if (s.includes('#')) u.hash = '';
  return { url: u.href, host: u.hostname };
}

/**
 * The identifier an identifier link resolves, normalised; `undefined` if the URL names none, or
 * one without a lookup service (JSTOR, PMC, OCLC, S2CID, bibcode): such a link is a page like
 * any other and is fetched, or it would be `skipped` and missing from every count.
 */
function identifierOfLink(url: string): IdentifierRef | undefined {
  const found = classifyUrl(url).identifier;
  if (!found || PAGE_IDENTIFIER_KINDS.has(found.kind)) return undefined;
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

/**
 * A zero count per name, in the list's order, filled key by key: `Object.fromEntries` took some
 * 5 µs for each, and a check makes two per article.
 */
function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  const counts = {} as Record<K, number>;
  for (const key of keys) counts[key] = 0;
  return counts;
}
const emptyTally = (): Record<Outcome, number> => zeroCounts(OUTCOMES);
const emptyVerdictTally = (): Record<Verdict, number> => zeroCounts(VERDICTS);

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
  readonly #options: LinkTableOptions;
  readonly #reuse: ReadonlyMap<string, ReusedObservation> | undefined;
  /**
   * The target of each link added, so that `apply` finds it without normalising the URL again
   * (a URL parse each, the table's largest cost). Weak: an article let go takes its entries
   * with it, and a link read again (a large run's second pass) is simply normalised again.
   */
  readonly #targetOfLink = new WeakMap<Link, Target>();

  constructor(options: LinkTableOptions, reuse?: ReadonlyMap<string, ReusedObservation>) {
    this.#options = options;
    this.#reuse = reuse;
  }

  /**
   * Adds the article's links and identifiers. Returns whether the run checks any of them over
   * the network (false when every one belongs to another shard or none can be fetched).
   */
  add(article: Article): boolean {
    const { include, offline, rules, now } = this.#options;
    let own = false;
    // This article's URL keys, for its snapshot dates (the same links, normalised once).
    const keys = offline || this.#options.snapshotDates === false ? undefined : new Map<string, string>();
    for (const ref of article.references) {
      // `for…in` walks the kinds in the order `Object.keys` gives, without an array per reference.
      for (const kind in ref.identifiers) {
        const values = ref.identifiers[kind as IdentifierKind];
        for (let i = 0; i < values.length; i++) {
          if (this.#addIdentifier({ kind: kind as IdentifierKind, value: values[i]! })) own = true;
        }
      }
      for (const link of ref.links) {
        const { url, host, problem } = parseTargetUrl(link.url);
        keys?.set(link.url, url);
        const known = this.targets.get(url);
        if (known) {
          this.#targetOfLink.set(link, known);
          if (this.#ownsTarget(known)) own = true;
          continue;
        }
        const target: Target = {
          url,
          durationMs: 0,
          bytes: 0,
          fetched: false,
          snapshots: new Map(),
          lookups: new Map(),
        };
        if (link.role === 'archive' || (host !== undefined && isArchiveHost(host))) target.archiveCopy = true;
        const decision = problem ? undefined : rules?.decide(url, now);
        const identifier = link.role === 'identifier' && !decision ? identifierOfLink(url) : undefined;
        if (decision) {
          target.decision = decision;
          if (decision.kind === 'excluded') target.skip = 'excluded';
        } else if (identifier) {
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
        this.#targetOfLink.set(link, target);
        if (this.#ownsTarget(target)) own = true;
      }
    }
    // A link the check fetches as a page (an identifier link without a lookup service too)
    // wants a snapshot, as its checked copy (a `source`) does. An offline run looks nothing up
    // (a third of its table's cost went to these dates), nor does a run without lookups or
    // captures (`--snapshots none`).
    if (keys)
      addSnapshotDates(
        this.snapshotDates,
        article,
        (url) => keys.get(url) ?? normalizeTargetUrl(url).url,
        fetchedAsPage,
      );
    return own;
  }

  /** The target of a cited link: the one `add` filed it under, else by its normalised URL. */
  targetOf(link: Link): Target | undefined {
    return this.#targetOfLink.get(link) ?? this.targets.get(normalizeTargetUrl(link.url).url);
  }

  /** The URLs this run fetches (the cadence's input: it may answer some from the history). */
  fetchableUrls(): Set<string> {
    const urls = new Set<string>();
    for (const target of this.targets.values())
      if (!target.identifier && !target.skip && !target.decision) urls.add(target.url);
    return urls;
  }

  /** Links the cadence answers from the history instead of fetching (their latest observation). */
  reuse(reuse: ReadonlyMap<string, ReusedObservation>): void {
    for (const [url, observation] of reuse) {
      const target = this.targets.get(url);
      if (target && !target.identifier && !target.skip && !target.decision) target.reused = observation;
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
    // A link a user's rule decided (excluded, overridden) is never fetched: no shard owns it.
    if (target.decision) return false;
    return target.skip === undefined || target.skip === 'offline';
  }

  #owns(ref: IdentifierRef): boolean {
    if (!NETWORK_IDENTIFIER_KINDS.has(ref.kind)) return false;
    const url = resolverUrl(ref.kind, ref.value);
    return url !== undefined && (!this.#options.include || this.#options.include(url));
  }
}

/** What a link table needs to know of the run. */
export type LinkTableOptions = Pick<CheckOptions, 'offline' | 'include' | 'rules' | 'now'> & {
  /**
   * Whether to gather the dates the citations want a snapshot of: only a run that looks
   * snapshots up or asks for captures reads them. @default true (unless offline)
   */
  snapshotDates?: boolean;
};

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
  // The history of a URL is read once (the snapshot lookups and the verdicts both need it).
  const histories = new Map<string, Observation[]>();
  const previousOf = (target: Target): Observation[] => {
    let history = histories.get(target.url);
    if (!history) {
      history = deps.history?.previous(target.url) ?? [];
      histories.set(target.url, history);
    }
    return history;
  };

  // 2. Pages and identifiers, side by side: the fetcher schedules hosts fairly.
  const pages = [...targets.values()].filter((t) => !t.identifier);
  const tally = emptyTally();
  const verdicts = emptyVerdictTally();
  let done = 0;
  // The progress bar's verdict: only a dead outcome needs the history (the final verdicts of
  // step 4 may still differ, if the network turns out to be down).
  const progressVerdict = (target: Target, outcome: Outcome): Verdict => {
    if (outcome !== 'dead') return outcome;
    const history = previousOf(target);
    return decideVerdict(target.reused ? history : [...history, { outcome, at: now }], options).verdict;
  };
  const settled = (target: Target, outcome: Outcome): void => {
    tally[outcome]++;
    if (deps.onProgress) verdicts[progressVerdict(target, outcome)]++;
    done++;
    deps.onProgress?.({ done, total: pages.length, byOutcome: { ...tally }, byVerdict: { ...verdicts } });
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
            lastAlive: (url: string) => {
              const target = targets.get(url);
              return target && previousOf(target).findLast((o) => o.outcome === 'alive')?.at;
            },
            ...(deps.onSnapshotLookup && { onLookup: deps.onSnapshotLookup }),
            onProgress: (snapshots) =>
              deps.onProgress?.({
                done,
                total: pages.length,
                byOutcome: { ...tally },
                byVerdict: { ...verdicts },
                snapshots,
              }),
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
      settled(target, outcome);
      lookups?.want(target, outcome, false);
    } else if (target.decision?.kind === 'override') {
      target.classification = { outcome: 'alive', reason: 'override', rule: target.decision.rule };
      settled(target, 'alive');
    } else if (target.skip) {
      target.classification = {
        outcome: 'skipped',
        reason: target.skip,
        ...(target.decision && { rule: target.decision.rule }),
      };
      settled(target, 'skipped');
    } else fetched.push(target);
  }
  // Pages that look like soft 404s wait for the host's answer for a path that cannot exist.
  const soft404s: Target[] = [];
  const onPage = (target: Target, result: FetchResult): void => {
    const classification =
      (target.archiveCopy && classifyArchiveCopy(result)) ||
      acceptedByRule(classifyResponse(result), result, options.rules);
    target.durationMs = result.durationMs;
    target.bytes = result.bytes;
    target.fetched = true;
    target.classification = classification;
    if (classification.reason === 'soft-404') {
      target.answered = {
        url: result.url,
        finalUrl: result.finalUrl,
        ...(result.status !== undefined && { status: result.status }),
        ...pageOf(result),
      };
      soft404s.push(target);
      return;
    }
    settle(target);
  };
  // A line per link only when someone reads it: the line's object is made before pino drops it.
  const debugging = logger !== undefined && logger.isLevelEnabled?.('debug') !== false;
  const settle = (target: Target): void => {
    if (debugging) logger?.debug({ url: target.url, ...target.classification }, 'link checked');
    if (fetcher.anyAnswered) {
      for (const t of waiting.splice(0)) report(t);
      report(target);
    } else waiting.push(target);
    settled(target, target.classification!.outcome);
    lookups?.want(target, target.classification!.outcome, fetcher.anyAnswered);
  };
  // Every page at once, as one batch: the fetcher orders them by host and keeps a waiting page
  // as a line entry, so 100 000 links cost no promise or frame each (a Target is a FetchRequest).
  const [, identifierChecks] = await Promise.all([
    fetcher
      .fetchEach(fetched, onPage)
      .then(() => confirmSoft404s(soft404s, fetcher, deps.random ?? Math.random, settle, logger)),
    checkIdentifiers(
      identifierRefs,
      { now, offline: options.offline, endpoints, ...(options.include && { include: options.include }) },
      { fetcher, ...(logger && { logger }) },
    ),
  ]);

  // 3. The state of the network decides what failures mean.
  const fetcherOffline = deps.isOffline ?? bindIsOffline(deps.fetcher);
  let unreachable = !options.offline && (fetcherOffline?.() === true || fetcher.allOutages);
  // "No such domain" and "refused" are answers about one host. When no other host answered
  // (an article whose links are all lapsed domains), ask one that must: the archive's
  // availability API. If it answers, the network works and those links are dead; if not,
  // nothing at all was reached and the run is offline.
  // Identifier services count too: on a machine without DNS, every DOI lookup says "no such name".
  const unconfirmed =
    pages.find((t) => t.fetched && t.classification && NEEDS_HEALTHY_NETWORK.has(t.classification.reason))
      ?.url ??
    ([...identifierChecks.values()].some((c) => NEEDS_HEALTHY_NETWORK.has(c.reason))
      ? endpoints.doi
      : undefined);
  if (!options.offline && !unreachable && !fetcher.anyAnswered && unconfirmed !== undefined) {
    const probe = new URL(endpoints.wayback);
    probe.searchParams.set('url', unconfirmed);
    const answer = await fetcher.fetch({ url: probe.href, maxBodyBytes: 64 * 1024 });
    logger?.debug({ probe: probe.href, status: answer.status, error: answer.error?.kind }, 'network probe');
    if (answer.status === undefined) unreachable = true;
  }
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

  // 4. Verdicts, from the history plus this run. The histories are read a batch of URLs at a
  // time (one statement each, not one per URL) and let go once judged.
  const judged = [...targets.values()].filter((t) => t.classification!.reason !== 'other-shard');
  for (let start = 0; start < judged.length; start += HISTORY_BATCH) {
    const batch = judged.slice(start, start + HISTORY_BATCH);
    const unread = batch.filter((t) => !histories.has(t.url)).map((t) => t.url);
    // Every URL of the batch not read already is in `read` (or has no history).
    const read =
      unread.length > 0 && deps.history?.previousOfMany ? deps.history.previousOfMany(unread) : undefined;
    for (const target of batch) {
      const history =
        histories.get(target.url) ?? (read ? (read.get(target.url) ?? NO_HISTORY) : previousOf(target));
      histories.delete(target.url);
      // A reused observation is the last of the history already.
      target.verdict = decideVerdict(
        target.reused ? history : [...history, { outcome: target.classification!.outcome, at: now }],
        options,
      );
    }
  }

  const unchecked = pages.filter((t) => t.classification?.reason === 'run-time').length;
  if (unchecked > 0)
    logger?.warn(
      { unchecked },
      'the run reached its time limit: links not checked are reported skipped (run-time)',
    );

  // 5. The snapshot lookups still running (or held until the network was seen working).
  if (unreachable || unchecked > 0) lookups?.drop();
  else lookups?.release();
  await lookups?.settled();
  // The snapshots about to replace dead links are fetched and judged before they are recommended.
  if (!unreachable) await lookups?.verify([...targets.values()].filter((t) => t.verdict?.verdict === 'dead'));

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
      // New references and links (the check sets `link.check` and `ref.identifierChecks`),
      // everything else shared with the input, which stays unchanged: a deep copy of every
      // article doubled the memory of a many-article run (317 MB for 3500).
      const checked: Article = {
        ...article,
        references: article.references.map((ref) => {
          const wanted = snapshotDate(ref);
          const links = ref.links.map((link) => {
            const copy = asChecked(link);
            const target = table.targetOf(link);
            if (target) copy.check = linkCheck(target, wanted, now);
            return copy;
          });
          let checks = mergeIdentifierChecks(ref, identifierChecks);
          if (previousIdentifier && checks.length > 0)
            checks = checks.map((c) =>
              identifierVerdict(
                c,
                identifierVerdictReadsHistory(c) ? previousIdentifier(c.kind, c.value) : [],
                options,
              ),
            );
          return { ...ref, links, identifierChecks: checks };
        }),
      };
      return { article: checked, findings: checkFindings(checked, { now, confirm: options.confirm }) };
    },
  };
  if (options.offline) results.offlineReason = 'requested';
  else if (unreachable) results.offlineReason = 'unreachable';
  return results;
}

/**
 * A link as the check sees it. An identifier link whose kind has no lookup service (JSTOR, PMC,
 * WorldCat, Semantic Scholar, ADS) is fetched as a page, so it becomes a `source`: the report,
 * the findings and the counts then treat it as the page it is, never leaving it out. ISBN links
 * stay: they point at a wiki's Special:BookSources, a tool page, not a source.
 */
function asChecked(link: Link): Link {
  return fetchedAsPage(link) && link.role === 'identifier' ? { ...link, role: 'source' } : { ...link };
}

/** Whether the check fetches this link as a page (every link but a service-checked identifier link). */
export function fetchedAsPage(link: Link): boolean {
  if (link.role !== 'identifier') return true;
  const kind = classifyUrl(link.url).identifier?.kind;
  return kind === undefined || PAGE_IDENTIFIER_KINDS.has(kind);
}

/**
 * Identifier kinds whose links are pages to fetch: no lookup service, and a real page at the
 * link. ISBN links are not among them (a wiki's Special:BookSources is a tool, not a source).
 */
const PAGE_IDENTIFIER_KINDS: ReadonlySet<IdentifierKind> = new Set([
  'jstor',
  'pmc',
  'oclc',
  's2cid',
  'bibcode',
  'issn',
]);

/** The page signals of a 2xx answer, for the soft-404 comparison. */
function pageOf(result: FetchResult): { page?: PageSignals } {
  if (result.status === undefined || result.status < 200 || result.status >= 300) return {};
  const page = readPage(result.body, result.headers['content-type']);
  return page ? { page } : {};
}

/**
 * The host's answer for a path that cannot exist, next to the candidate's (same directory, a
 * random name): what the host serves for a missing page.
 */
async function probeNotFound(fetcher: Fetcher, url: string, random: () => number): Promise<AnsweredPage> {
  const u = new URL(url);
  const token = Array.from({ length: 16 }, () => Math.floor(random() * 36).toString(36)).join('');
  u.pathname = `${u.pathname.replace(/[^/]*$/, '')}citewatch-${token}`;
  u.search = '';
  u.hash = '';
  const result = await fetcher.fetch({ url: u.href });
  return {
    url: result.url,
    finalUrl: result.finalUrl,
    ...(result.status !== undefined && { status: result.status }),
    ...pageOf(result),
  };
}

/**
 * Decides each soft-404 candidate by comparing it with its host's not-found page (one request
 * per host per run, through the same fetcher and scheduler): dead only when they match; a page
 * unlike the host's not-found answer is a real page (`alive`); without a probe answer to compare
 * with, `error` (`soft-404-unconfirmed`), never dead on the page's words alone.
 */
async function confirmSoft404s(
  targets: readonly Target[],
  fetcher: Fetcher,
  random: () => number,
  settle: (target: Target) => void,
  logger: Logger | undefined,
): Promise<void> {
  const probes = new Map<string, Promise<AnsweredPage>>();
  await Promise.all(
    targets.map(async (target) => {
      const origin = new URL(target.url).origin;
      let probe = probes.get(origin);
      if (!probe) {
        probe = probeNotFound(fetcher, target.url, random);
        probes.set(origin, probe);
      }
      const answer = await probe;
      const candidate = target.answered!;
      const match = matchesNotFoundPage(candidate, answer);
      const c = target.classification!;
      logger?.debug(
        { url: target.url, probe: answer.url, status: answer.status, match },
        'soft-404 compared',
      );
      if (match === false)
        target.classification = { ...c, outcome: 'alive', reason: `http-${candidate.status ?? 200}` };
      else if (match === undefined)
        target.classification = { ...c, outcome: 'error', reason: 'soft-404-unconfirmed' };
      delete target.answered;
      settle(target);
    }),
  );
}

/** A non-2xx status the user accepts (`--accept`) makes the link alive, naming the rule. */
function acceptedByRule(
  c: Classification,
  result: FetchResult,
  rules: LinkRules | undefined,
): Classification {
  if (!rules || c.outcome === 'alive' || result.status === undefined) return c;
  const rule = rules.accepts(result.status);
  return rule ? { ...withoutRestriction(c), outcome: 'alive', reason: 'accepted', rule } : c;
}

const withoutRestriction = ({ restricted: _r, ...c }: Classification): Classification => c;

/**
 * What the history should keep of a settled target; nothing for other shards, reused ones,
 * those the run's time limit left unchecked (`run-time`: that says nothing about the link) and
 * those a rule decided (never fetched).
 */
function observationOf(target: Target, now: string): CheckObservation | undefined {
  const c = target.classification;
  if (!c || c.reason === 'other-shard' || c.reason === 'run-time' || target.reused || target.decision)
    return undefined;
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
    } else if (c.outcome === 'dead' && NEEDS_HEALTHY_NETWORK.has(c.reason) && !network.healthy) {
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
  if (c.rule !== undefined) check.rule = c.rule;
  if (target.reused) {
    check.cached = true;
    check.checkedAt = target.reused.at;
  }
  const snapshot = target.snapshots.get(wantedDate);
  if (snapshot) check.snapshot = snapshot;
  const lookup = target.lookups.get(wantedDate);
  if (lookup) {
    check.snapshotLookup = lookup.status;
    if (lookup.before !== undefined) check.snapshotBefore = lookup.before;
  }
  if (v) {
    check.streak = v.streak;
    if (v.since !== undefined) check.since = v.since;
    if (v.lastAliveAt !== undefined) check.lastAliveAt = v.lastAliveAt;
    if (v.verdict === 'suspect' && v.counted !== undefined) check.counted = v.counted;
  }
  return check;
}

/** The reference's identifier checks: this run's for its identifiers, earlier ones for others kept. */
function mergeIdentifierChecks(
  ref: Reference,
  checks: ReadonlyMap<string, IdentifierCheck>,
): IdentifierCheck[] {
  // Most references have no identifier: they cost no set and no copies.
  let fresh: IdentifierCheck[] | undefined;
  let seen: Set<string> | undefined;
  for (const kind in ref.identifiers) {
    const values = ref.identifiers[kind as IdentifierKind];
    for (let i = 0; i < values.length; i++) {
      const k = identifierKey(kind as IdentifierKind, values[i]!);
      const check = checks.get(k);
      if (!check || seen?.has(k)) continue;
      if (!fresh || !seen) {
        fresh = [];
        seen = new Set();
      }
      fresh.push({ ...check });
      seen.add(k);
    }
  }
  if (!fresh || !seen) return [...ref.identifierChecks];
  const found = seen;
  const kept = ref.identifierChecks.filter((c) => !found.has(identifierKey(c.kind, c.value)));
  return [...kept, ...fresh];
}
