import { BodyTooLargeError } from "./errors.ts";

/**
 * The request body, refused past `limit` bytes. A declared Content-Length over the limit
 * fails at once; a declared one within it is read in one go (HTTP framing ends the body
 * there) and measured again; a chunked body, which declares nothing, is counted as it streams
 * and cut off at the limit.
 */
export function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const length = request.headers.get("content-length");
  if (length === null) return countWhileReading(request, limit);
  if (Number(length) > limit) return Promise.reject(new BodyTooLargeError(limit));
  return request.arrayBuffer().then((buffer) => {
    if (buffer.byteLength > limit) throw new BodyTooLargeError(limit);
    return new Uint8Array(buffer);
  });
}

async function countWhileReading(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array(0);

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > limit) {
      // Stop the upload; whether cancelling succeeds changes nothing about the answer.
      reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limit);
    }
    chunks.push(chunk.value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
