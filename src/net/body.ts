/**
 * Reading response bodies within limits: at most N bytes from the wire (the rest is aborted,
 * which may close the connection), then decompression per `Content-Encoding` with its own cap,
 * so a gzip bomb stops at the cap without allocating more than it.
 */
import {
  type BrotliDecompress,
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  type Gunzip,
  type Inflate,
  type InflateRaw,
} from 'node:zlib';

/** What undici's response body offers that the reader needs. */
export interface BodyStream extends AsyncIterable<Buffer | Uint8Array> {
  destroy(error?: Error): unknown;
}

export interface WireBody {
  /** Bytes kept, at most the cap. */
  raw: Buffer;
  /** Bytes received from the wire (may pass the cap by part of the last chunk). */
  bytes: number;
  /** The body went on past the cap and was aborted. */
  truncated: boolean;
}

/** First buffer size when the length is not announced; it doubles as needed, up to the cap. */
const INITIAL_CAPACITY = 16 * 1024;

/**
 * A body as its chunks arrive, within `maxBytes`. A body that arrives in one chunk (most pages
 * of a few dozen KiB) is kept as that chunk, without a copy: a copy would double the memory
 * every response churns through. From the second chunk on, chunks are copied into one buffer
 * as they arrive (sized from `expectedLength`, the `Content-Length`, when there is one), so
 * each chunk is garbage at once instead of living until the end. With `keep` false the bytes
 * are only counted.
 */
export class BodyCollector {
  readonly #maxBytes: number;
  readonly #keep: boolean;
  readonly #expectedLength: number | undefined;
  /** The only chunk so far, kept as it came. */
  #single: Buffer | undefined;
  #buffer: Buffer = EMPTY;
  #bytes = 0;
  #kept = 0;
  #truncated = false;

  constructor(maxBytes: number, keep = true, expectedLength?: number) {
    this.#maxBytes = maxBytes;
    this.#keep = keep;
    const announced = expectedLength !== undefined && Number.isFinite(expectedLength) && expectedLength >= 0;
    this.#expectedLength = announced ? expectedLength : undefined;
  }

  /** Takes one chunk; false once the cap is reached (the chunk's part within it is kept). */
  add(chunk: Uint8Array): boolean {
    this.#bytes += chunk.length;
    const room = this.#maxBytes - this.#kept;
    if (chunk.length > room) {
      if (room > 0) this.#append(chunk, room);
      this.#truncated = true;
      return false;
    }
    this.#append(chunk, chunk.length);
    return true;
  }

  /**
   * The body so far; the collector lets go of it. A body only counted is empty and never
   * truncated: nothing of it was to be kept.
   */
  finish(): WireBody {
    const kept = this.#single ?? this.#buffer;
    // A view the length of what was kept is handed over as it is (a subarray costs as much as
    // the rest of the reading of a small page).
    const raw = !this.#keep ? EMPTY : kept.length === this.#kept ? kept : kept.subarray(0, this.#kept);
    this.#single = undefined;
    this.#buffer = EMPTY;
    return { raw, bytes: this.#bytes, truncated: this.#keep && this.#truncated };
  }

  #append(chunk: Uint8Array, length: number): void {
    const kept = this.#kept;
    this.#kept += length;
    if (!this.#keep) return;
    if (kept === 0 && this.#single === undefined) {
      const buffer = asBuffer(chunk);
      this.#single = length === buffer.length ? buffer : buffer.subarray(0, length);
      return;
    }
    if (this.#single !== undefined) {
      this.#buffer = Buffer.allocUnsafe(
        Math.min(this.#maxBytes, Math.max(this.#expectedLength ?? INITIAL_CAPACITY, kept + length)),
      );
      this.#single.copy(this.#buffer, 0, 0, kept);
      this.#single = undefined;
    }
    if (kept + length > this.#buffer.length) {
      let capacity = Math.max(this.#buffer.length, 1);
      while (capacity < kept + length) capacity *= 2;
      const grown = Buffer.allocUnsafe(Math.min(this.#maxBytes, capacity));
      this.#buffer.copy(grown, 0, 0, kept);
      this.#buffer = grown;
    }
    this.#buffer.set(length === chunk.length ? chunk : chunk.subarray(0, length), kept);
  }
}

/**
 * Reads at most `maxBytes` of `body` (see `BodyCollector`) and aborts the rest. Errors while
 * reading (a timeout, a reset) propagate with what was read so far attached as `partial`.
 */
export async function readCapped(
  body: BodyStream,
  maxBytes: number,
  expectedLength?: number,
): Promise<WireBody> {
  const collector = new BodyCollector(maxBytes, true, expectedLength);
  try {
    for await (const chunk of body) {
      if (!collector.add(chunk)) break;
    }
  } catch (error) {
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
      partial: { ...collector.finish(), truncated: false } satisfies WireBody,
    });
  } finally {
    // Leaving the loop early already destroys the stream; this covers the other exits.
    body.destroy();
  }
  return collector.finish();
}

const EMPTY = Buffer.alloc(0);
const asBuffer = (chunk: Uint8Array): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

export interface DecodedBody {
  body: Buffer;
  /** Decompression stopped at the cap. */
  truncated: boolean;
  /** The encoding could not be decoded (corrupt data); `body` holds what was decoded. */
  error?: string;
}

type Decoder = Gunzip | Inflate | InflateRaw | BrotliDecompress;

const decoderFor = (encoding: string, data: Buffer): Decoder | undefined => {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
    case 'deflate':
      // "deflate" is zlib-wrapped by the standard and raw deflate on some servers: a zlib
      // stream starts with a CMF byte whose low nibble is 8.
      return (data[0]! & 0x0f) === 8 && data.length > 1 && ((data[0]! << 8) | data[1]!) % 31 === 0
        ? createInflate({ finishFlush: constants.Z_SYNC_FLUSH })
        : createInflateRaw({ finishFlush: constants.Z_SYNC_FLUSH });
    case 'br':
      return createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH });
    default:
      return undefined;
  }
};

/** Decompresses one layer, stopping at `maxBytes` of output. */
function decodeOne(data: Buffer, decoder: Decoder, maxBytes: number): Promise<DecodedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (result: DecodedBody): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    decoder.on('data', (chunk: Buffer) => {
      if (done) return;
      const room = maxBytes - total;
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        total += Math.max(0, room);
        // Stop the decoder now: the rest of a bomb is never inflated.
        decoder.destroy();
        finish({ body: Buffer.concat(chunks, total), truncated: true });
        return;
      }
      chunks.push(chunk);
      total += chunk.length;
    });
    decoder.on('end', () => finish({ body: Buffer.concat(chunks, total), truncated: false }));
    decoder.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        body: Buffer.concat(chunks, total),
        truncated: false,
        error: `${error.code ?? 'Error'}: ${error.message}`,
      }),
    );
    decoder.end(data);
  });
}

/** The codings of a `Content-Encoding` value to undo, in the order they were applied. */
const codingsOf = (contentEncoding: string | undefined): string[] =>
  contentEncoding === undefined || contentEncoding === ''
    ? []
    : contentEncoding
        .split(',')
        .map((c) => c.trim().toLowerCase())
        .filter((c) => c !== '' && c !== 'identity');

/**
 * What `decodeBody` gives when there is nothing to decode (most responses), at once; undefined
 * when a coding must be undone. The caller then holds the body in no awaiting frame.
 */
export function decodedAsIs(
  raw: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
): DecodedBody | undefined {
  if (codingsOf(contentEncoding).length > 0) return undefined;
  return raw.length > maxBytes
    ? { body: raw.subarray(0, maxBytes), truncated: true }
    : { body: raw, truncated: false };
}

/**
 * Decodes `raw` per a `Content-Encoding` header value (several codings are undone last
 * first). Unknown codings and `identity` leave the bytes as they are. Output is capped at
 * `maxBytes`; a body cut on the wire decodes as far as it goes.
 */
export async function decodeBody(
  raw: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<DecodedBody> {
  let current: DecodedBody = { body: raw, truncated: false };
  for (const coding of codingsOf(contentEncoding).reverse()) {
    const decoder = decoderFor(coding, current.body);
    if (decoder === undefined) return current;
    const next = await decodeOne(current.body, decoder, maxBytes);
    current = { ...next, truncated: current.truncated || next.truncated };
    if (next.error !== undefined) return current;
  }
  if (current.body.length > maxBytes) {
    return { ...current, body: current.body.subarray(0, maxBytes), truncated: true };
  }
  return current;
}
