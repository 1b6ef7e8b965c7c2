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
 * Reads at most `maxBytes` of `body` and aborts the rest. A body that arrives in one chunk (most
 * pages of a few dozen KiB) is kept as that chunk, without a copy: a copy would double the
 * memory every response churns through. From the second chunk on, chunks are copied into one
 * buffer as they arrive (sized from `expectedLength`, the `Content-Length`, when there is
 * one), so each chunk is garbage at once instead of living until the end. Errors while reading
 * (a timeout, a reset) propagate with what was read so far attached as `partial`.
 */
export async function readCapped(
  body: BodyStream,
  maxBytes: number,
  expectedLength?: number,
): Promise<WireBody> {
  const announced = expectedLength !== undefined && Number.isFinite(expectedLength) && expectedLength >= 0;
  /** The only chunk so far, kept as it came. */
  let single: Buffer | undefined;
  let buffer = EMPTY;
  let bytes = 0;
  let kept = 0;
  let truncated = false;
  const append = (chunk: Uint8Array, length: number): void => {
    if (kept === 0 && single === undefined) {
      single = asBuffer(chunk).subarray(0, length);
      kept = length;
      return;
    }
    if (single !== undefined) {
      buffer = Buffer.allocUnsafe(
        Math.min(maxBytes, Math.max(announced ? expectedLength : INITIAL_CAPACITY, kept + length)),
      );
      single.copy(buffer, 0, 0, kept);
      single = undefined;
    }
    if (kept + length > buffer.length) {
      let capacity = Math.max(buffer.length, 1);
      while (capacity < kept + length) capacity *= 2;
      const grown = Buffer.allocUnsafe(Math.min(maxBytes, capacity));
      buffer.copy(grown, 0, 0, kept);
      buffer = grown;
    }
    buffer.set(length === chunk.length ? chunk : chunk.subarray(0, length), kept);
    kept += length;
  };
  try {
    for await (const chunk of body) {
      bytes += chunk.length;
      const room = maxBytes - kept;
      if (chunk.length > room) {
        if (room > 0) append(chunk, room);
        truncated = true;
        break;
      }
      append(chunk, chunk.length);
    }
  } catch (error) {
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
      partial: { raw: (single ?? buffer).subarray(0, kept), bytes, truncated: false } satisfies WireBody,
    });
  } finally {
    // Leaving the loop early already destroys the stream; this covers the other exits.
    body.destroy();
  }
  return { raw: (single ?? buffer).subarray(0, kept), bytes, truncated };
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
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let current: DecodedBody = { body: raw, truncated: false };
  for (const coding of codings.reverse()) {
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
