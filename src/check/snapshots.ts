/**
 * The Wayback lookups of a run: for each checked link whose citation has no archive copy, the
 * capture closest to the citation's date, once per URL and date. A lookup starts as soon as
 * its link's outcome is known, so archive.org's queue runs beside the pages' instead of after
 * them; until some host has answered, lookups wait (with no network they would only fail).
 * The history answers first: a snapshot found before is reused, "none found" is believed for
 * `missRecheckDays`.
 */
import type { Logger } from 'pino';
import { findSnapshot } from '../archive/index.js';
import { dateOf } from '../core/dates.js';
import type { Article, Outcome, Reference, Snapshot } from '../model.js';
import type { Fetcher } from '../net/types.js';

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

/** What a lookup needs of a checked URL (the checker's target). */
export interface SnapshotTarget {
  /** The fetched URL (no fragment). */
  url: string;
  /** Filled with the snapshots found, by wanted date. */
  snapshots: Map<string, Snapshot>;
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
}

export interface SnapshotLookupDeps {
  fetcher: Fetcher;
  /** This URL's last lookup for `date`, if the history has one. */
  previous?: (url: string, date: string) => Omit<SnapshotLookup, 'url' | 'date'> | undefined;
  /** Each lookup made (not those the history answered). */
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
): void {
  for (const ref of article.references) {
    if (ref.archive.present) continue;
    for (const link of ref.links) {
      if (link.role === 'archive' || link.role === 'identifier') continue;
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
  /** Lookups waiting for the network to be seen working. */
  #held: Array<{ target: SnapshotTarget; date: string }> = [];
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
      if (known?.snapshot) target.snapshots.set(date, known.snapshot);
      else if (!(known && Date.parse(known.at) >= this.#missFresh)) this.#held.push({ target, date });
    }
    if (networkSeen) this.release();
  }

  /** Starts the held lookups (the network is seen working). */
  release(): void {
    const held = this.#held;
    this.#held = [];
    for (const { target, date } of held) this.#running.push(this.#lookUp(target, date));
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

  async #lookUp(target: SnapshotTarget, date: string): Promise<void> {
    this.#started++;
    this.#progress();
    const { endpoints, now } = this.#options;
    try {
      const asked = date === LATEST ? dateOf(now) : date;
      const snapshot = await findSnapshot(this.#deps.fetcher, endpoints, target.url, asked);
      if (snapshot) target.snapshots.set(date, snapshot);
      this.#deps.onLookup?.({ url: target.url, date, at: now, ...(snapshot && { snapshot }) });
    } catch (error) {
      this.#deps.logger?.warn({ err: error, url: target.url }, 'snapshot lookup failed');
    }
    this.#ended++;
    this.#progress();
  }

  #progress(): void {
    this.#deps.onProgress?.({ done: this.#ended, total: this.#started });
  }
}
