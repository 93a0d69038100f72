import { BodyTooLargeError, MalformedArgumentsError, RequestTimeoutError } from "../request/errors.ts";

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
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) <= limits.maxBodySize) {
    // HTTP framing ends the body at its declared length: one native read, measured again (and
    // no `request.body`, whose stream object the read does not need).
    const buffer = await within(limits.bodyTimeout, request.arrayBuffer());
    if (buffer.byteLength > limits.maxBodySize) throw new BodyTooLargeError(limits.maxBodySize);
    return new Uint8Array(buffer);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const deadline = new Deadline(limits.bodyTimeout);
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
 * The request body as UTF-8 text, within the same limits as readBody; a body that is not UTF-8
 * is refused (400). With a declared length, one native `text()`: per request it costs less
 * than reading an ArrayBuffer and decoding it (bench/endpoint). `text()` drops a leading BOM
 * and reads each malformed sequence as U+FFFD, a 3-byte character where the sequence had 1 to
 * 3 bytes: a text holding U+FFFD whose UTF-8 length is neither the declared length nor 3 less
 * (a BOM) came from a malformed body. What that cannot tell (docs/wire-protocol.md): malformed
 * sequences of 3 bytes each (a four-byte character cut short), or a BOM and 3 bytes of growth,
 * read as U+FFFD, as browsers read them. The size is measured on the text, not taken from the
 * header: a Request made inside the Worker may declare any length.
 */
export async function readBodyText(request: Request, limits: BodyLimits): Promise<string> {
  const declared = request.headers.get("content-length");
  const length = declared === null ? NaN : Number(declared);
  if (!(length <= limits.maxBodySize)) return strictUtf8(await readBody(request, limits));
  const text = await within(limits.bodyTimeout, request.text());
  const bytes = utf8Length(text);
  if (bytes > limits.maxBodySize) throw new BodyTooLargeError(limits.maxBodySize);
  if (bytes !== length && bytes !== length - 3 && text.includes("\uFFFD")) throw new MalformedArgumentsError(NOT_UTF8);
  return text;
}

const NOT_UTF8 = "The request body is not valid UTF-8";
const ASCII = /^[\x00-\x7f]*$/;
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function strictUtf8(bytes: Uint8Array<ArrayBuffer>): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new MalformedArgumentsError(NOT_UTF8);
  }
}

/** Bytes of `text` in UTF-8 (text from a decoder: surrogates come in pairs). */
function utf8Length(text: string): number {
  let bytes = text.length;
  // Most bodies are ASCII: one scan, no per-character work.
  if (ASCII.test(text)) return bytes;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // 2 bytes below U+0800, 3 above; a surrogate pair is 4 bytes over its 2 units.
    if (code >= 0x80) bytes += code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return bytes;
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

/** One native read of the whole body, refused with RequestTimeoutError past `milliseconds`. */
async function within<T>(milliseconds: number, read: Promise<T>): Promise<T> {
  const deadline = new Deadline(milliseconds);
  try {
    return await deadline.race(read);
  } finally {
    deadline.clear();
  }
}

/**
 * One timer for the whole body; each read races it. A race is one promise settled by the
 * read or by the timer (Promise.race with a promise of the timer costs ~6 µs more per call,
 * bench/endpoint).
 */
class Deadline {
  readonly #timer: ReturnType<typeof setTimeout>;
  #rejectRead: ((error: unknown) => void) | undefined;
  #expired: RequestTimeoutError | undefined;

  constructor(milliseconds: number) {
    this.#timer = setTimeout(() => {
      this.#expired = new RequestTimeoutError(milliseconds);
      this.#rejectRead?.(this.#expired);
    }, milliseconds);
  }

  read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<ReadableStreamReadResult<Uint8Array>> {
    return this.race(reader.read());
  }

  race<T>(work: Promise<T>): Promise<T> {
    if (this.#expired) {
      work.catch(() => {}); // abandoned: its outcome no longer matters
      return Promise.reject(this.#expired);
    }
    return new Promise<T>((resolve, reject) => {
      this.#rejectRead = reject;
      work.then(resolve, reject);
    });
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
