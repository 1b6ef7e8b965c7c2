/**
 * The Wayback lookups of a run: for each checked link whose citation has no archive copy, the
 * good capture closest before the citation's date (else after it), once per URL and date. A
 * lookup starts as soon as its link's outcome is known, so archive.org's queue runs beside the
 * pages' instead of after them; until some host has answered, lookups wait (with no network
 * they would only fail). Availability queries go out in batches (`WaybackClient`).
 * The history answers first: a snapshot found before is reused (if it is still a well-formed
 * replay URL), "none found" is believed for `missRecheckDays`. A lookup that failed is not
 * remembered at all: it is asked again next run, and the link says `failed`, never "none".
 *
 * An undated citation has no date to be close to, and the newest capture may be the dead page
 * itself: its lookup asks for the capture before the last time the link was seen alive (from
 * the history), else before the run's date, and the link says which date that was so the report
 * can ask the editor to check the capture.
 */
import type { Logger } from 'pino';
import { trustedSnapshot, WaybackClient } from '../archive/index.js';
import { dateOf } from '../core/dates.js';
import type { Article, Link, Outcome, Reference, Snapshot, SnapshotLookupStatus } from '../model.js';
import type { Fetcher } from '../net/types.js';
import { classifyArchiveCopy, isArchiveCopyUrl } from './archive-copy.js';
import { classifyResponse } from './classify.js';

/** One Wayback lookup made by this run, for the history. */
export interface SnapshotLookup {
  url: string;
  /** The date the capture should be close to (ISO date), or `LATEST` for an undated citation. */
  date: string;
  /** The run's clock. */
  at: string;
  /** Absent when the archive had none. */
  snapshot?: Snapshot;
}

/** How the lookup for one wanted date ended. */
export interface SnapshotState {
  status: SnapshotLookupStatus;
  /** For an undated citation: the date the lookup asked for the capture closest before. */
  before?: string;
}

/** What a lookup needs of a checked URL (the checker's target). */
export interface SnapshotTarget {
  /** The fetched URL (no fragment). */
  url: string;
  /** Filled with the snapshots found, by wanted date. */
  snapshots: Map<string, Snapshot>;
  /** Filled with how each lookup ended (found, none, failed), by wanted date. */
  lookups?: Map<string, SnapshotState>;
}

export interface SnapshotLookupOptions {
  endpoints: { wayback: string; cdx: string };
  /** The run's clock (ISO instant). */
  now: string;
  /** Link outcomes that get a lookup. */
  outcomes: ReadonlySet<Outcome>;
  /** A lookup that found nothing is repeated after this many days. */
  missRecheckDays: number;
  /** The fetchable form of a cited URL (the checker's target key). */
  keyOf: (url: string) => string;
  /** Availability queries per POST; 0 or 1 sends one GET per query. @default 50 */
  batchSize?: number;
}

export interface SnapshotLookupDeps {
  fetcher: Fetcher;
  /** This URL's last lookup for `date`, if the history has one. */
  previous?: (url: string, date: string) => Omit<SnapshotLookup, 'url' | 'date'> | undefined;
  /** When the URL was last seen alive (ISO instant), from the history: undated citations' anchor. */
  lastAlive?: (url: string) => string | undefined;
  /** Each lookup that got an answer (not those the history answered, nor failed ones). */
  onLookup?: (lookup: SnapshotLookup) => void;
  /** After a lookup starts or ends: how many have ended of those started. */
  onProgress?: (progress: { done: number; total: number }) => void;
  logger?: Logger;
}

/**
 * The wanted date of an undated citation: its snapshot is the latest one, asked with the run's
 * date but kept under this key, so that tomorrow's run finds it in the history.
 */
export const LATEST = 'latest';

/** The date whose snapshot a reference wants (when the source was read), or `LATEST`. */
export const snapshotDate = (ref: Reference): string => ref.accessDate ?? ref.date ?? LATEST;

/** Adds the dates `article`'s citations without an archive copy want a snapshot of, per URL key. */
export function addSnapshotDates(
  dates: Map<string, Set<string>>,
  article: Article,
  keyOf: (url: string) => string,
  /** Whether an identifier link is fetched as a page (JSTOR, PMC, …): it wants a snapshot too. */
  fetchedAsPage: (link: Link) => boolean = (link) => link.role !== 'identifier',
): void {
  for (const ref of article.references) {
    if (ref.archive.present) continue;
    for (const link of ref.links) {
      // An archive copy cited as the source is not looked up in the archive again.
      if (link.role === 'archive' || !fetchedAsPage(link) || isArchiveCopyUrl(link.url)) continue;
      const key = keyOf(link.url);
      const known = dates.get(key);
      if (known) known.add(snapshotDate(ref));
      else dates.set(key, new Set([snapshotDate(ref)]));
    }
  }
}

export class SnapshotLookups {
  readonly #options: SnapshotLookupOptions;
  readonly #deps: SnapshotLookupDeps;
  /** Wanted dates per URL: the citations without an archive copy. */
  readonly #dates: ReadonlyMap<string, ReadonlySet<string>>;
  readonly #missFresh: number;
  readonly #client: WaybackClient;
  /** Lookups waiting for the network to be seen working. */
  #held: Array<{ target: SnapshotTarget; date: string; outcome: Outcome }> = [];
  readonly #running: Promise<void>[] = [];
  #started = 0;
  #ended = 0;

  /**
   * `wanted`: the articles, or the dates each URL wants already gathered with
   * `addSnapshotDates` (a streaming run lets each article go once it is read).
   */
  constructor(
    wanted: readonly Article[] | ReadonlyMap<string, ReadonlySet<string>>,
    options: SnapshotLookupOptions,
    deps: SnapshotLookupDeps,
  ) {
    this.#options = options;
    this.#deps = deps;
    this.#missFresh = Date.parse(options.now) - options.missRecheckDays * 86_400_000;
    this.#client = new WaybackClient(deps.fetcher, {
      endpoints: options.endpoints,
      ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
    });
    if (Array.isArray(wanted)) {
      const dates = new Map<string, Set<string>>();
      for (const article of wanted as readonly Article[]) addSnapshotDates(dates, article, options.keyOf);
      this.#dates = dates;
    } else this.#dates = wanted as ReadonlyMap<string, ReadonlySet<string>>;
  }

  /**
   * `target`'s outcome is known: its lookups start (at once when `networkSeen`, else when
   * `release` is called), unless the outcome is not wanted or the history answers.
   */
  want(target: SnapshotTarget, outcome: Outcome, networkSeen: boolean): void {
    if (!this.#options.outcomes.has(outcome)) return;
    for (const date of this.#dates.get(target.url) ?? []) {
      const known = this.#deps.previous?.(target.url, date);
      // A stored snapshot is written into articles: it must still pass today's checks.
      const stored =
        known?.snapshot && trustedSnapshot(known.snapshot, { asked: target.url, origins: this.#origins() });
      if (known && stored) {
        target.snapshots.set(date, stored);
        target.lookups?.set(date, {
          status: 'found',
          ...(date === LATEST && { before: dateOf(known.at) }),
        });
      } else if (known && !known.snapshot && Date.parse(known.at) >= this.#missFresh) {
        target.lookups?.set(date, { status: 'none', ...(date === LATEST && { before: dateOf(known.at) }) });
      } else this.#held.push({ target, date, outcome });
    }
    if (networkSeen) this.release();
  }

  /** Starts the held lookups (the network is seen working). */
  release(): void {
    const held = this.#held;
    this.#held = [];
    for (const { target, date, outcome } of held) this.#running.push(this.#lookUp(target, date, outcome));
  }

  /** Drops the held lookups (no network: they could only fail). */
  drop(): void {
    if (this.#held.length > 0)
      this.#deps.logger?.debug({ dropped: this.#held.length }, 'snapshot lookups dropped: offline');
    this.#held = [];
  }

  /** Resolves once every started lookup has ended. */
  async settled(): Promise<void> {
    // Lookups may start while earlier ones are awaited.
    for (let seen = 0; seen < this.#running.length; seen = this.#running.length) {
      await Promise.all(this.#running.slice(seen));
    }
  }

  /**
   * Fetches the snapshots about to be recommended for `targets` (the dead links: their snapshot
   * goes into the article) and judges each as an archive copy, with the page checks live links
   * get. A capture that is no copy of the page (a soft 404 or parked page was captured, Wayback
   * shows its "excluded" page, the replay lands on the front page) is dropped and the lookup
   * marked `unusable`; one that cannot be fetched now is kept (nothing is known against it).
   */
  async verify(targets: readonly SnapshotTarget[]): Promise<void> {
    const verdicts = new Map<string, Promise<string | undefined>>();
    const problemOf = (url: string): Promise<string | undefined> => {
      let pending = verdicts.get(url);
      if (!pending) {
        pending = this.#deps.fetcher.fetch({ url }).then((result) => {
          const c = classifyArchiveCopy(result) ?? classifyResponse(result);
          // A network failure says nothing about the capture.
          return c.outcome === 'dead' && c.reason !== 'dns-not-found' && c.reason !== 'refused'
            ? c.reason
            : undefined;
        });
        verdicts.set(url, pending);
      }
      return pending;
    };
    await Promise.all(
      targets.flatMap((target) =>
        [...target.snapshots].map(async ([date, snapshot]) => {
          const problem = await problemOf(snapshot.url);
          if (problem === undefined) return;
          target.snapshots.delete(date);
          target.lookups?.set(date, { ...target.lookups.get(date), status: 'unusable' });
          this.#deps.logger?.warn(
            { url: target.url, snapshot: snapshot.url, reason: problem },
            'snapshot is no copy of the page',
          );
        }),
      ),
    );
  }

  /** Lookup counters of the run (the bench reads them). */
  stats() {
    return this.#client.stats();
  }

  #origins(): string[] {
    const { wayback, cdx } = this.#options.endpoints;
    return [wayback, cdx];
  }

  /** The date an undated citation's lookup asks for: before the link was last seen alive, else today. */
  #undatedAnchor(url: string, outcome: Outcome): string {
    const alive = outcome === 'alive' ? undefined : this.#deps.lastAlive?.(url);
    return dateOf(alive ?? this.#options.now);
  }

  async #lookUp(target: SnapshotTarget, date: string, outcome: Outcome): Promise<void> {
    this.#started++;
    this.#progress();
    const { now } = this.#options;
    const asked = date === LATEST ? this.#undatedAnchor(target.url, outcome) : date;
    const before = date === LATEST ? { before: asked } : {};
    try {
      const answer = await this.#client.find(target.url, asked);
      if (answer.status === 'failed') {
        // Unknown, not "none": nothing is remembered, the next run asks again.
        target.lookups?.set(date, { status: 'failed', ...before });
        this.#deps.logger?.warn({ url: target.url, reason: answer.reason }, 'snapshot lookup failed');
      } else {
        const snapshot = answer.status === 'found' ? answer.snapshot : undefined;
        if (snapshot) target.snapshots.set(date, snapshot);
        target.lookups?.set(date, { status: answer.status, ...before });
        this.#deps.onLookup?.({ url: target.url, date, at: now, ...(snapshot && { snapshot }) });
      }
    } catch (error) {
      target.lookups?.set(date, { status: 'failed', ...before });
      this.#deps.logger?.warn({ err: error, url: target.url }, 'snapshot lookup failed');
    }
    this.#ended++;
    this.#progress();
  }

  #progress(): void {
    this.#deps.onProgress?.({ done: this.#ended, total: this.#started });
  }
}
