import { BodyTooLargeError, RequestTimeoutError } from "../request/errors.ts";

export interface BodyLimits {
  /** Most bytes a body may have. */
  maxBodySize: number;
  /** Most milliseconds reading a body may take, from the first read to the last byte. */
  bodyTimeout: number;
}

/**
 * The request body, counted while it streams: refused past `maxBodySize` bytes (413), or when
 * it takes longer than `bodyTimeout` to arrive (408: a body sent a byte a second would
 * otherwise hold the request open indefinitely). A body over the limit, by its Content-Length
 * or by count, is read to its end and dropped before the 413 goes out (see discardBody).
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array(0);
  const declared = request.headers.get("content-length");
  const deadline = new Deadline(limits.bodyTimeout);
  if (declared !== null && Number(declared) <= limits.maxBodySize) {
    // HTTP framing ends the body at its declared length: one native read, measured again.
    try {
      const buffer = await deadline.race(request.arrayBuffer());
      if (buffer.byteLength > limits.maxBodySize) throw new BodyTooLargeError(limits.maxBodySize);
      return new Uint8Array(buffer);
    } finally {
      deadline.clear();
    }
  }
  const reader = request.body.getReader();
  try {
    if (Number(declared ?? 0) > limits.maxBodySize) {
      await drain(reader, deadline);
      throw new BodyTooLargeError(limits.maxBodySize);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let chunk = await deadline.read(reader); !chunk.done; chunk = await deadline.read(reader)) {
      size += chunk.value.byteLength;
      if (size > limits.maxBodySize) {
        await drain(reader, deadline);
        throw new BodyTooLargeError(limits.maxBodySize);
      }
      chunks.push(chunk.value);
    }
    return concat(chunks, size);
  } catch (error) {
    // Stop the upload; whether cancelling succeeds changes nothing about the answer.
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    deadline.clear();
  }
}

/**
 * Reads whatever is left of a refused request's body and drops it, within `bodyTimeout`,
 * before the refusal goes out. An answer sent while the client is still sending reaches many
 * clients as a reset connection instead (fetch, wrangler's dev proxy; measured against
 * `wrangler dev`), and cancelling the body does not help. The bytes are not kept, and
 * Cloudflare bounds a request body anyway (100 MB on most plans).
 */
export async function discardBody(request: Request, limits: BodyLimits): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  const reader = request.body.getReader();
  const deadline = new Deadline(limits.bodyTimeout);
  try {
    await drain(reader, deadline);
  } finally {
    deadline.clear();
    reader.cancel().catch(() => {});
  }
}

/** Reads and drops the rest of a body; stops quietly at its end or at the deadline. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, deadline: Deadline): Promise<void> {
  try {
    while (!(await deadline.read(reader)).done);
  } catch (error) {
    if (!(error instanceof RequestTimeoutError)) throw error;
  }
}

/** One timer for the whole body; each read races it. */
class Deadline {
  readonly #expired: Promise<never>;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(milliseconds: number) {
    this.#expired = new Promise<never>((_, reject) => {
      this.#timer = setTimeout(() => reject(new RequestTimeoutError(milliseconds)), milliseconds);
    });
    this.#expired.catch(() => {}); // observed by read(); unobserved when the body ends in time
  }

  read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<ReadableStreamReadResult<Uint8Array>> {
    return this.race(reader.read());
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.#expired]);
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1 && chunks[0]!.byteLength === chunks[0]!.buffer.byteLength) return chunks[0] as Uint8Array<ArrayBuffer>;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
