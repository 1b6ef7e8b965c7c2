/**
 * How many fetches of one host may be under way inside the fetcher at once. The checker hands
 * the fetcher every link of a run at once (thousands, or 100 000 for a large run); a fetch that
 * has been let in builds its state (parsed URL, headers, result, async frames, scheduler entry,
 * abort listeners), so letting them all in keeps all of that alive for the whole run. Here each
 * host lets in only as many fetches as the fetcher says (its in-flight limit plus one) and the
 * rest wait in a per-host line, in arrival order, as one small entry each: the item, no
 * closure, no promise. Every host with work still has fetches in the scheduler, so fairness
 * across hosts and the per-host interval are unchanged; only the waiting is cheaper.
 */

/** One fetch waiting in a host's line: its item, until it is let in. */
interface Entry<T> {
  item: T | undefined;
  next: Entry<T> | undefined;
  /** Set while a caller's signal can end the wait. */
  onAbort?: () => void;
  signal?: AbortSignal;
}

interface Line<T> {
  inside: number;
  first: Entry<T> | undefined;
  last: Entry<T> | undefined;
}

/** Per-host lines of items (fetches) waiting to go in; `start(item)` lets one in. */
export class HostAdmission<T> {
  readonly #limitOf: (host: string) => number;
  readonly #start: (item: T) => void;
  readonly #lines = new Map<string, Line<T>>();
  #open = false;

  /**
   * `limitOf(host)`: items of `host` let in at once (at least 1); `start(item)` is called when
   * an item goes in, and must be paired with one `leave(host)` when its work ends.
   */
  constructor(limitOf: (host: string) => number, start: (item: T) => void) {
    this.#limitOf = limitOf;
    this.#start = start;
  }

  /**
   * Lets `item` of `host` in: at once when there is room, else when its turn comes. An abort of
   * `signal` lets it in at once all the same, so the fetch meets the abort where it always does.
   * Only the entry is kept while it waits: no closure, no promise.
   */
  enter(host: string, item: T, signal?: AbortSignal): void {
    const line = this.#line(host);
    if (this.#open || signal?.aborted || (line.first === undefined && line.inside < this.#limitOf(host))) {
      line.inside++;
      this.#start(item);
      return;
    }
    const entry: Entry<T> = { item, next: undefined };
    if (signal) {
      entry.signal = signal;
      entry.onAbort = () => this.#admit(line, entry);
      signal.addEventListener('abort', entry.onAbort, { once: true });
    }
    if (line.last) line.last.next = entry;
    else line.first = entry;
    line.last = entry;
  }

  /** A fetch let in for `host` ended: the next ones waiting come in while there is room. */
  leave(host: string): void {
    const line = this.#lines.get(host);
    if (line === undefined) return;
    line.inside--;
    while (line.first !== undefined && line.inside < this.#limitOf(host)) {
      const entry = line.first;
      line.first = entry.next;
      if (line.first === undefined) line.last = undefined;
      // An entry whose wait was aborted is already in: it is only unlinked here.
      this.#admit(line, entry);
    }
    if (line.inside === 0 && line.first === undefined) this.#lines.delete(host);
  }

  /** Fetches waiting to be let in, across hosts. */
  get waiting(): number {
    let n = 0;
    for (const line of this.#lines.values()) {
      for (let entry = line.first; entry !== undefined; entry = entry.next) if (entry.item !== undefined) n++;
    }
    return n;
  }

  /**
   * Lets every fetch in, now and from now on (the fetcher closed or went offline: each of them
   * then ends at once, in the scheduler, with the reason).
   */
  openAll(): void {
    this.#open = true;
    for (const line of this.#lines.values()) {
      let entry = line.first;
      line.first = undefined;
      line.last = undefined;
      for (; entry !== undefined; entry = entry.next) this.#admit(line, entry);
    }
  }

  #admit(line: Line<T>, entry: Entry<T>): void {
    const item = entry.item;
    if (item === undefined) return;
    entry.item = undefined;
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
    line.inside++;
    this.#start(item);
  }

  #line(host: string): Line<T> {
    let line = this.#lines.get(host);
    if (line === undefined) {
      line = { inside: 0, first: undefined, last: undefined };
      this.#lines.set(host, line);
    }
    return line;
  }
}
