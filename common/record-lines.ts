import type { WireRecord } from "./wire.ts";

/**
 * The framing of a response's records (common/wire.ts WireRecord), both ways: one JSON
 * object per line, UTF-8. The Worker writes with recordLine (worker/endpoint/encode.ts); the
 * client runtime reads with readRecords (client/stub.ts).
 */
export function recordLine(record: WireRecord): string {
  return JSON.stringify(record) + "\n";
}

/** recordLine of a result record whose value's JSON text is written already (a primitive's). */
export function resultLine(json: string): string {
  return `{"r":${json}}\n`;
}

/** The records of a body as they arrive; a line split across chunks is joined first. */
export async function* readRecords(body: ReadableStream<Uint8Array>): AsyncGenerator<WireRecord> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let rest = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    const complete = (rest + decoder.decode(chunk.value, { stream: true })).split("\n");
    rest = complete.pop()!;
    for (const line of complete) yield JSON.parse(line) as WireRecord;
  }
  if (rest) yield JSON.parse(rest) as WireRecord;
}
