/**
 * One HTTP exchange through an undici dispatcher, its body collected within a cap as it
 * arrives, and nothing of it left behind in objects that outlive the exchange.
 *
 * Why not undici's `request()`: a body chunk is a view on the socket read that carried it (an
 * `ArrayBuffer` of up to 64 KiB, headers included), and V8 frees a young `ArrayBuffer` at the
 * next scavenge only if no old object points at it. Along `request()`'s path several objects
 * made before the response (old by then) come to point at it: the connection's header list
 * (`rawHeaders`, whose entries are views on the same read), the request's handler, the body
 * stream and the caller's awaiting frames. Each such read then survived to a full GC: 60 MB of
 * promoted socket reads at the peak of a 2000-link run, the whole gap to linkinator's RSS.
 * Here the handler parses the header list and empties it, keeps the body in one collector
 * made when the headers arrive, and hands it over once (`take`), keeping no reference.
 */
import { type Dispatcher, util as undiciUtil } from 'undici';
import { BodyCollector, type WireBody } from './body.js';

export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  headersTimeout: number;
  bodyTimeout: number;
}

/** The status line and headers of the response (names lower-cased, repeated values joined). */
export interface ResponseHead {
  status: number;
  headers: Record<string, string>;
}

/** How much of a body to read, decided from its head before any of it arrives. */
export interface BodyPlan {
  /** Bytes read from the wire; past them the exchange is aborted (the connection closes). */
  maxBytes: number;
  /** False: the bytes are counted and dropped (a redirect about to be followed, HEAD). */
  keep: boolean;
  /** The announced `Content-Length`, to size the buffer of a body in several chunks. */
  expectedLength?: number;
}

const noop = (): void => {};

/**
 * One exchange, made before it is sent (`send`) so that whatever may end it (its deadline, its
 * caller, the run's end) can hold it first. It is a handler of undici's first interface
 * (`onHeaders`/`onData`): the newer one (`onResponseStart`) wraps it in a controller, made at
 * connection time, that keeps `rawHeaders` for the response's life, the very reference this
 * module avoids.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  readonly head: Promise<ResponseHead>;
  readonly body: Promise<void>;
  readonly #plan: (head: ResponseHead) => BodyPlan;
  #resolveHead!: (head: ResponseHead) => void;
  #rejectHead!: (error: unknown) => void;
  #resolveBody!: () => void;
  #rejectBody!: (error: unknown) => void;
  #abort: ((reason?: Error) => void) | undefined;
  /** Set once the head has arrived: the body's bytes go here until `take`. */
  #collector: BodyCollector | undefined;
  #settled = false;
  #abortReason: unknown;

  constructor(plan: (head: ResponseHead) => BodyPlan) {
    this.#plan = plan;
    this.head = new Promise<ResponseHead>((resolve, reject) => {
      this.#resolveHead = resolve;
      this.#rejectHead = reject;
    });
    this.body = new Promise<void>((resolve, reject) => {
      this.#resolveBody = resolve;
      this.#rejectBody = reject;
    });
    // Whichever the caller does not wait for (the body after a failed head) must not go unhandled.
    this.head.catch(noop);
    this.body.catch(noop);
  }

  /**
   * Sends the request through `dispatcher`. `head` settles with the response's head (or the
   * failure before it); `body` then settles when the body is complete, cut at the plan's cap,
   * or failed (what arrived counted in the error's `partial.bytes`, as `readCapped` does).
   */
  send(dispatcher: Dispatcher, request: ExchangeRequest): void {
    const { url } = request;
    dispatcher.dispatch(
      {
        origin: url.origin,
        // What undici's request() sends: the path and query, never the fragment.
        path: url.search ? `${url.pathname}${url.search}` : url.pathname,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body,
        headersTimeout: request.headersTimeout,
        bodyTimeout: request.bodyTimeout,
      },
      this,
    );
  }

  /**
   * Ends the exchange with `reason`, before the response or while its body arrives (a no-op
   * once it is over). A plain call rather than an `AbortSignal`: a controller, a signal and a
   * listener per request cost more CPU than the rest of the exchange's bookkeeping.
   */
  abort(reason: unknown): void {
    if (this.#settled) return;
    this.#abortReason = reason;
    this.#abort?.(reason as Error);
    this.#fail(reason);
  }

  /** The body read so far, handed over once: the exchange keeps no reference to it. */
  take(): WireBody {
    const collector = this.#collector;
    this.#collector = undefined;
    return collector ? collector.finish() : EMPTY_WIRE;
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.#abortReason !== undefined) {
      abort(this.#abortReason as Error);
      return;
    }
    this.#abort = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[], _resume: () => void, _statusText: string): boolean {
    // 1xx answers are interim: the real response follows.
    if (status < 200 || this.#settled) return true;
    const parsed = undiciUtil.parseHeaders(rawHeaders);
    // The list is the connection's and its entries are views on the socket read that carried
    // the whole response: emptied, it cannot keep that read from the next scavenge.
    rawHeaders.length = 0;
    const head: ResponseHead = { status, headers: flattenHeaders(parsed) };
    const plan = this.#plan(head);
    this.#collector = new BodyCollector(plan.maxBytes, plan.keep, plan.expectedLength);
    this.#resolveHead(head);
    return true;
  }

  onData(chunk: Buffer): boolean {
    const collector = this.#collector;
    if (this.#settled || collector === undefined) return true;
    if (collector.add(chunk)) return true;
    // Past the cap: the rest is not read, and the connection is closed.
    this.#settled = true;
    this.#resolveBody();
    this.#abort?.(new BodyCapReached());
    return false;
  }

  onComplete(): void {
    if (this.#settled) return;
    // An end with no final head (only 1xx, or a dispatcher that skips `onHeaders`) is a failure:
    // left pending, the attempt would hold its host's slot until its deadline.
    if (this.#collector === undefined) {
      this.#fail(new Error('the response ended before its headers'));
      return;
    }
    this.#settled = true;
    this.#resolveBody();
  }

  onError(error: Error): void {
    this.#fail(error);
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    const collector = this.#collector;
    if (collector === undefined) {
      this.#rejectHead(error);
      this.#rejectBody(error);
      return;
    }
    // The body failed: what arrived is counted (as `readCapped` reports it), not kept.
    this.#collector = undefined;
    const { bytes } = collector.finish();
    this.#rejectBody(
      Object.assign(error instanceof Error ? error : new Error(String(error)), { partial: { bytes } }),
    );
  }
}

/** Why the exchange aborted its own response: the body passed the cap (never reported). */
class BodyCapReached extends Error {}

const EMPTY_WIRE: WireBody = Object.freeze({ raw: Buffer.alloc(0), bytes: 0, truncated: false }) as WireBody;

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
