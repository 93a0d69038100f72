import { describe, expect, it } from "vitest";
import { markAsQuery, registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { serve } from "./serve.ts";

registerServerFunction("limits/count", async (...args: unknown[]) => args.length);
registerServerFunction("limits/kinds", async (...args: unknown[]) => args.map((arg) => Object.prototype.toString.call(arg)));
registerServerFunction("limits/text", async (...args: unknown[]) => args.join("|"));
markAsQuery(registerServerFunction("limits/read", async (...args: unknown[]) => args.length), "read");

const CALL = { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" };
const fetch = serve({ maxBodySize: 1000, maxDepth: 8, maxArgs: 4 });

function args(...nodes: unknown[]): string {
  return JSON.stringify({ t: { t: 9, i: 0, a: nodes, o: 0 }, f: 0, m: [] });
}

/** `depth` arrays inside each other, as seroval JSON. */
function nested(depth: number): unknown {
  let node: unknown = { t: 0, s: 1 };
  for (let i = 1; i <= depth; i++) node = { t: 9, i, a: [node], o: 0 };
  return node;
}

async function expectRefusal(response: Response, status: number, code: string, message: RegExp): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get("X-Sortie-Error")).toBe(code);
  expect(response.headers.get("content-type")).toBe("application/json");
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
}

const post = (body: BodyInit, headers: Record<string, string> = CALL, id = "limits/count") =>
  fetch(`/_server/${encodeURIComponent(id)}`, { method: "POST", headers, body });

describe("limits and bad input, each with a clear 4xx", () => {
  it("accepts a call within every limit", async () => {
    const response = await post(args({ t: 1, s: "a" }, nested(6)));
    expect(response.status).toBe(200);
  });

  it("413 for a body over maxBodySize, by Content-Length", async () => {
    await expectRefusal(await post(args({ t: 1, s: "x".repeat(2000) })), 413, "body-too-large", /larger than the limit of 1000 bytes \(the maxBodySize option\)/);
  });

  it("413 for a chunked body over the limit with no Content-Length, counted while it streams, the rest read and dropped", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 5_000) return controller.close();
        sent += 100;
        controller.enqueue(new TextEncoder().encode(" ".repeat(100)));
      },
    });
    const request = new Request("https://app.example/_server/limits%2Fcount", { method: "POST", headers: CALL, body });
    expect(request.headers.get("content-length")).toBeNull();
    await expectRefusal(await fetch(request), 413, "body-too-large", /1000 bytes/);
    // Read to its end before answering: a client still sending would otherwise see a reset.
    expect(sent).toBe(5_000);
  });

  it("a body that never ends is read only until bodyTimeout, then answered 413", async () => {
    const impatient = serve({ maxBodySize: 1000, bodyTimeout: 300 });
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        sent += 100;
        controller.enqueue(new TextEncoder().encode(" ".repeat(100)));
      },
    });
    const request = new Request("https://app.example/_server/limits%2Fcount", { method: "POST", headers: CALL, body: endless });
    await expectRefusal(await impatient(request), 413, "body-too-large", /1000 bytes/);
    const stopped = sent;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent - stopped).toBeLessThanOrEqual(100); // cancelled: at most the read already under way
  });

  it("408 for a body that stalls past bodyTimeout (default 30 s)", async () => {
    const impatient = serve({ bodyTimeout: 200 });
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"t":')); // then nothing, ever
      },
    });
    const request = new Request("https://app.example/_server/limits%2Fcount", { method: "POST", headers: CALL, body: stalled });
    await expectRefusal(await impatient(request), 408, "request-timeout", /did not arrive within 200 ms \(the bodyTimeout option\)/);
  });

  it("a refused request's body is read and dropped before the answer (403, 404, 405 alike)", async () => {
    let sent = 0;
    const body = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent % 3_000 === 0 && sent > 0) {
            sent += 1; // mark the end of this body
            return controller.close();
          }
          sent += 100;
          controller.enqueue(new TextEncoder().encode(" ".repeat(100)));
        },
      });
    const unknown = new Request("https://app.example/_server/nope", { method: "POST", headers: CALL, body: body() });
    await expectRefusal(await fetch(unknown), 404, "unknown-function", /nope/);
    expect(sent).toBe(3_001);
  });

  it("413 over the default maxBodySize of 1 MB (1,048,576 bytes) when no limit is given", async () => {
    const defaults = serve();
    // Valid JSON padded with trailing spaces to an exact size.
    const sized = (bytes: number) => args({ t: 1, s: "x" }).padEnd(bytes, " ");
    const call = (body: string) => defaults("/_server/limits%2Fcount", { method: "POST", headers: CALL, body });
    expect((await call(sized(1_048_576))).status).toBe(200);
    await expectRefusal(await call(sized(1_048_577)), 413, "body-too-large", /larger than the limit of 1048576 bytes \(the maxBodySize option\)/);
  });

  it("400 for a body that is not JSON", async () => {
    await expectRefusal(await post("{not json"), 400, "malformed-arguments", /not JSON/);
  });

  it("400 for JSON that is not seroval JSON", async () => {
    await expectRefusal(await post('{"args":[1,2]}'), 400, "malformed-arguments", /not seroval JSON/);
    await expectRefusal(await post("[1,2]"), 400, "malformed-arguments", /not seroval JSON/);
  });

  it("400 for malformed seroval nodes", async () => {
    await expectRefusal(await post('{"t":{"t":999},"f":0,"m":[]}'), 400, "malformed-arguments", /not valid seroval JSON: it holds a node of a type seroval does not know/);
    await expectRefusal(
      await post(args({ t: 18, i: 1, s: "someone-elses-function" })),
      400,
      "malformed-arguments",
      /holds a reference to a server-side value, which arguments do not accept/,
    );
    await expectRefusal(await post(args({ t: 25, i: 1, c: "acme/Secret", s: {} })), 400, "malformed-arguments", /a value type the endpoint does not accept/);
  });

  it("400 for a RegExp (ReDoS)", async () => {
    await expectRefusal(await post(args({ t: 6, i: 1, c: "(a+)+$", m: "" })), 400, "malformed-arguments", /holds a RegExp, which arguments do not accept/);
  });

  it("400 for a Promise, a stream, an async iterable or an Error, anywhere in the arguments, naming the type", async () => {
    const kinds = (body: string, query = "") => fetch(`/_server/limits%2Fkinds${query}`, { method: "POST", headers: CALL, body });
    // A promise seroval would leave pending forever: the function would wait for it.
    const pending = { t: 22, i: 1, s: 2 };
    await expectRefusal(await kinds(args(pending)), 400, "malformed-arguments", /^The request body holds a Promise, which arguments do not accept: send plain data/);
    await expectRefusal(await kinds(args({ t: 12, i: 1, s: 1, f: { t: 0, s: 1 } })), 400, "malformed-arguments", /holds a Promise/);
    const inObject = { t: 10, i: 1, p: { k: ["file"], v: [{ t: 31, i: 2, a: [], l: 0 }] }, o: 0 };
    await expectRefusal(await kinds(args(inObject)), 400, "malformed-arguments", /holds a stream/);
    await expectRefusal(await kinds(args({ t: 9, i: 1, a: [{ t: 29, i: 2, a: [] }], o: 0 })), 400, "malformed-arguments", /holds an async iterable/);
    await expectRefusal(await kinds(args({ t: 13, i: 1, s: "boom", p: undefined })), 400, "malformed-arguments", /holds an Error/);
    const bound = `?bound=${encodeURIComponent(args(pending))}`;
    await expectRefusal(await kinds(args(), bound), 400, "malformed-arguments", /^\?bound= holds a Promise/);
    // Data still passes, plugins included.
    const ok = await kinds(args({ t: 5, i: 1, s: "2020-01-01T00:00:00.000Z" }, { t: 25, i: 2, c: "sortie/url", s: { v: { t: 1, s: "https://x.example/" } } }));
    expect(await ok.text()).toContain("[object Date]");
  });

  it("400 for arguments that are not an array", async () => {
    await expectRefusal(await post('{"t":{"t":1,"s":"hi"},"f":0,"m":[]}'), 400, "malformed-arguments", /array of arguments/);
  });

  it("400 for nesting deeper than maxDepth", async () => {
    await expectRefusal(await post(args(nested(12))), 400, "too-deep", /deeper than 8 levels \(the maxDepth option\)/);
  });

  it("400 for more arguments than maxArgs, bound ones included", async () => {
    const five = [1, 2, 3, 4, 5].map((n) => ({ t: 0, s: n }));
    await expectRefusal(await post(args(...five)), 400, "too-many-arguments", /5 arguments; the limit is 4 \(the maxArgs option\)/);
    const bound = encodeURIComponent(args({ t: 0, s: 1 }, { t: 0, s: 2 }));
    const response = await fetch(`/_server/limits%2Fcount?bound=${bound}`, { method: "POST", headers: CALL, body: args({ t: 0, s: 3 }, { t: 0, s: 4 }, { t: 0, s: 5 }) });
    await expectRefusal(response, 400, "too-many-arguments", /5 arguments/);
  });

  it("400 for a malformed ?bound= or ?args=", async () => {
    const response = await fetch("/_server/limits%2Fcount?bound=%7Boops", { method: "POST", headers: CALL, body: args() });
    await expectRefusal(response, 400, "malformed-arguments", /\?bound= is not JSON/);
    await expectRefusal(await fetch("/_server/limits%2Fread?args=nope", { headers: { "X-Sortie": "1" } }), 400, "malformed-arguments", /\?args= is not JSON/);
  });

  // In workerd a Request made here has no Content-Length header (the wire gets one): say it, as a client's request does.
  const withLength = (bytes: Uint8Array, id = "limits/count") =>
    fetch(new Request(`https://app.example/_server/${encodeURIComponent(id)}`, { method: "POST", headers: { ...CALL, "Content-Length": String(bytes.byteLength) }, body: bytes }));
  const chunked = (bytes: Uint8Array, id = "limits/count") =>
    fetch(new Request(`https://app.example/_server/${encodeURIComponent(id)}`, { method: "POST", headers: CALL, body: new Blob([bytes]).stream() }));
  const encode = (text: string) => new TextEncoder().encode(text);
  /** seroval JSON of one string argument whose UTF-8 is `bytes`, which need not be valid. */
  const stringArgument = (bytes: number[]) => {
    const [head, tail] = args({ t: 1, s: "#" }).split("#").map(encode);
    return new Uint8Array([...head!, ...bytes, ...tail!]);
  };

  it("400 for a body that is not UTF-8, with a Content-Length or chunked", async () => {
    const bom = (bytes: Uint8Array) => new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    const malformed = [
      new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      stringArgument([0xc3]),
      stringArgument([0xed, 0xa0, 0x80]),
      stringArgument([0x61, 0x80, 0x62]),
      stringArgument([0xe2, 0x82, 0x61]), // a sequence of 2 bytes: 1 byte of growth
      bom(stringArgument([0xff])), // a BOM does not hide the growth
    ];
    for (const bytes of malformed) {
      await expectRefusal(await withLength(bytes), 400, "malformed-arguments", /UTF-8/);
      await expectRefusal(await chunked(bytes), 400, "malformed-arguments", /UTF-8/);
    }
  });

  it("with a Content-Length: 413 over the limit by the header, and by the bytes read when a Request made in the Worker declares fewer", async () => {
    await expectRefusal(await withLength(encode(args({ t: 1, s: "x".repeat(2000) }))), 413, "body-too-large", /1000 bytes/);
    const long = encode(args({ t: 1, s: "é".repeat(480) })); // 960 characters, over 1,000 bytes
    expect(long.byteLength).toBeGreaterThan(1000);
    const understated = new Request("https://app.example/_server/limits%2Fcount", { method: "POST", headers: { ...CALL, "Content-Length": "900" }, body: long });
    expect(understated.headers.get("content-length")).toBe("900");
    await expectRefusal(await fetch(understated), 413, "body-too-large", /1000 bytes/);
  });

  it("408 for a body with a Content-Length that stalls past bodyTimeout", async () => {
    const impatient = serve({ bodyTimeout: 200 });
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encode('{"t":')); // then nothing, ever
      },
    });
    const request = new Request("https://app.example/_server/limits%2Fcount", { method: "POST", headers: { ...CALL, "Content-Length": "60" }, body: stalled });
    expect(request.headers.get("content-length")).toBe("60");
    await expectRefusal(await impatient(request), 408, "request-timeout", /did not arrive within 200 ms/);
  });

  it("reads UTF-8 beyond ASCII as sent: two-, three- and four-byte characters, a U+FFFD that was sent, a leading BOM", async () => {
    const text = async (response: Response) => {
      expect(response.status).toBe(200);
      return (JSON.parse(await response.text()) as { r: { s: string } }).r.s;
    };
    const strings = ["é", "€ and 🚀", "\uFFFD sent as such", "ascii"];
    const body = encode(args(...strings.map((s) => ({ t: 1, s }))));
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...encode(args({ t: 1, s: "\uFFFD after a BOM" }))]);
    for (const send of [withLength, chunked]) {
      expect(await text(await send(body, "limits/text"))).toBe(strings.join("|"));
      expect(await text(await send(bom, "limits/text"))).toBe("\uFFFD after a BOM");
    }
  });

  it("a four-byte character cut to three bytes: U+FFFD with a Content-Length (its UTF-8 length gives nothing away), 400 chunked", async () => {
    const cut = stringArgument([0xf0, 0x9f, 0x9a]);
    expect(await (await withLength(cut, "limits/text")).text()).toBe('{"r":{"t":1,"s":"\uFFFD"}}\n');
    await expectRefusal(await chunked(cut), 400, "malformed-arguments", /UTF-8/);
  });

  it("400 for a wrong Content-Type, for stub calls and for plain forms", async () => {
    await expectRefusal(await post(args(), { ...CALL, "Content-Type": "text/plain" }), 400, "unsupported-content-type", /application\/json or multipart\/form-data \(got "text\/plain"\)/);
    await expectRefusal(await post(new TextEncoder().encode(args()), { "X-Sortie": "1", "Sec-Fetch-Site": "same-origin" }), 400, "unsupported-content-type", /no Content-Type/);
    // A plain form post sees the refusal as an HTML page (worker/forms/form-errors.ts).
    const form = await post(args(), { "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" });
    expect([form.status, form.headers.get("X-Sortie-Error"), form.headers.get("content-type")]).toEqual([400, "unsupported-content-type", "text/html; charset=utf-8"]);
    expect(await form.text()).toMatch(/A form post must send application\/x-www-form-urlencoded or multipart\/form-data/);
  });

  it("400 for a multipart call without $args, with a text $blob, or pointing at a missing file", async () => {
    const multipart = { "X-Sortie": "1", "Sec-Fetch-Site": "same-origin" };
    const noArgs = new FormData();
    noArgs.append("other", "x");
    await expectRefusal(await post(noArgs, multipart), 400, "malformed-arguments", /"\$args"/);
    const textBlob = new FormData();
    textBlob.append("$args", args());
    textBlob.append("$blob", "not a file");
    await expectRefusal(await post(textBlob, multipart), 400, "malformed-arguments", /files only/);
    const missing = new FormData();
    missing.append("$args", args({ t: 25, i: 1, c: "sortie/blob", s: { i: { t: 0, s: 3 }, f: { t: 2, s: 2 } } }));
    await expectRefusal(await post(missing, multipart), 400, "malformed-arguments", /file part 3, but the request has 0/);
  });

  it("400 for a multipart body that does not match its boundary", async () => {
    await expectRefusal(await post("garbage", { ...CALL, "Content-Type": "multipart/form-data; boundary=xyz" }), 400, "malformed-arguments", /does not match its Content-Type/);
  });

  it("404 with a machine-readable marker for an id this deployment does not know", async () => {
    const response = await post(args(), CALL, "app/todos.ts#renamedLastWeek");
    await expectRefusal(response, 404, "unknown-function", /no server function "app\/todos.ts#renamedLastWeek".*reload/);
    await expectRefusal(await fetch("/_server/%E0%A4%A", { method: "POST", headers: CALL, body: args() }), 404, "unknown-function", /%E0%A4%A/);
  });

  it("405 with Allow for a wrong method", async () => {
    const put = await fetch("/_server/limits%2Fcount", { method: "PUT", headers: CALL, body: args() });
    await expectRefusal(put, 405, "method-not-allowed", /PUT is not allowed here; use POST/);
    expect(put.headers.get("Allow")).toBe("POST");
    const get = await fetch("/_server/limits%2Fcount");
    await expectRefusal(get, 405, "method-not-allowed", /GET is not allowed/);
    expect(get.headers.get("Allow")).toBe("POST");
    const deleteRead = await fetch("/_server/limits%2Fread", { method: "DELETE", headers: CALL });
    expect(deleteRead.status).toBe(405);
    expect(deleteRead.headers.get("Allow")).toBe("GET, HEAD, POST");
  });
});
