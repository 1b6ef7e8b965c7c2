/**
 * When a fetch of one host may be built. The checker hands the fetcher every link of a run at
 * once (thousands, or 100 000 for a large run); a fetch that has been let in builds its state
 * (parsed URL, headers, result, async frames, scheduler entry, abort listener: about 3.4 KB),
 * so letting them all in keeps all of that alive for the whole run. Here the rest wait in a
 * per-host line, in arrival order, as one small entry each (the item and its context; no
 * closure, no promise). Items go in when their owner pulls them (`admitNext`: the fetcher's
 * scheduler, when the host gets a slot) or, past that, while the owner's `mayEnter` says so.
 */

/** One item waiting in a host's line. */
interface Entry<T, C> {
  /** Cleared once the item is let in. */
  item: T | undefined;
  context: C | undefined;
  next: Entry<T, C> | undefined;
  /** Set while a caller's signal can end the wait. */
  onAbort?: () => void;
  signal?: AbortSignal;
}

interface Line<T, C> {
  host: string;
  /** Items let in whose work has not ended (`leave`). */
  inside: number;
  /** Entries still waiting. */
  waiting: number;
  first: Entry<T, C> | undefined;
  last: Entry<T, C> | undefined;
}

/** Per-host lines of items waiting to go in; `start(item, context, host)` lets one in. */
export class HostAdmission<T, C = undefined> {
  readonly #mayEnter: (host: string, inside: number) => boolean;
  readonly #start: (item: T, context: C, host: string) => void;
  readonly #onWaiting: ((host: string) => void) | undefined;
  readonly #lines = new Map<string, Line<T, C>>();
  #open = false;

  /**
   * `mayEnter(host, inside)`: whether one more item of `host` may go in while `inside` of its
   * items are in (asked again on `leave` and `refill`); `start` is called when an item goes
   * in, and must be paired with one `leave(host)` when its work ends. `onWaiting(host)` is
   * called when `host` may have items to pull: its line was empty and one was queued, or one of
   * its items left while others wait.
   */
  constructor(
    mayEnter: (host: string, inside: number) => boolean,
    start: (item: T, context: C, host: string) => void,
    onWaiting?: (host: string) => void,
  ) {
    this.#mayEnter = mayEnter;
    this.#start = start;
    this.#onWaiting = onWaiting;
  }

  /**
   * Lets `item` of `host` in: at once when there is room, else when its turn comes. An abort of
   * `signal` lets it in at once all the same, so its work meets the abort where it always does.
   */
  enter(host: string, item: T, context: C, signal?: AbortSignal): void {
    const line = this.#line(host);
    if (this.#open || signal?.aborted || (line.first === undefined && this.#mayEnter(host, line.inside))) {
      line.inside++;
      this.#start(item, context, line.host);
      return;
    }
    const entry: Entry<T, C> = { item, context, next: undefined };
    if (signal) {
      entry.signal = signal;
      entry.onAbort = () => this.#admit(line, entry);
      signal.addEventListener('abort', entry.onAbort, { once: true });
    }
    if (line.last) line.last.next = entry;
    else line.first = entry;
    line.last = entry;
    if (line.waiting++ === 0) this.#onWaiting?.(line.host);
  }

  /** An item let in for `host` ended its work: the next ones come in while `mayEnter` says so. */
  leave(host: string): void {
    const line = this.#lines.get(host);
    if (line === undefined) return;
    line.inside--;
    this.refill(host);
    if (line.waiting > 0) this.#onWaiting?.(line.host);
  }

  /** Lets the first item waiting for `host` in, whatever `mayEnter` says; false when none waits. */
  admitNext(host: string): boolean {
    const line = this.#lines.get(host);
    // An entry whose wait was aborted is already in: it is only unlinked here.
    while (line?.first !== undefined) {
      const entry = line.first;
      line.first = entry.next;
      if (line.first === undefined) line.last = undefined;
      if (entry.item === undefined) continue;
      this.#admit(line, entry);
      return true;
    }
    return false;
  }

  /** Items of `host` let in whose work has not ended. */
  insideAt(host: string): number {
    return this.#lines.get(host)?.inside ?? 0;
  }

  /** Lets the next items of `host` in while `mayEnter` says so (its owner's state changed). */
  refill(host: string): void {
    const line = this.#lines.get(host);
    if (line === undefined) return;
    while (line.first !== undefined && this.#mayEnter(host, line.inside)) {
      const entry = line.first;
      line.first = entry.next;
      if (line.first === undefined) line.last = undefined;
      // An entry whose wait was aborted is already in: it is only unlinked here.
      this.#admit(line, entry);
    }
    if (line.inside === 0 && line.first === undefined) this.#lines.delete(host);
  }

  /** Items waiting to be let in, across hosts. */
  get waiting(): number {
    let n = 0;
    for (const line of this.#lines.values()) n += line.waiting;
    return n;
  }

  /** Items of `host` waiting to be let in. */
  waitingAt(host: string): number {
    return this.#lines.get(host)?.waiting ?? 0;
  }

  /**
   * Lets every item in, now and from now on (the fetcher closed or went offline: each fetch
   * then ends at once, with the reason).
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

  #admit(line: Line<T, C>, entry: Entry<T, C>): void {
    const { item, context } = entry;
    if (item === undefined) return;
    entry.item = undefined;
    entry.context = undefined;
    line.waiting--;
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
    line.inside++;
    this.#start(item, context as C, line.host);
  }

  #line(host: string): Line<T, C> {
    let line = this.#lines.get(host);
    if (line === undefined) {
      line = { host, inside: 0, waiting: 0, first: undefined, last: undefined };
      this.#lines.set(host, line);
    }
    return line;
  }
}
