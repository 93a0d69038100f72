import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { encodeArguments, STREAM_TYPE } from "../../../common/wire.ts";
import { action } from "../../../worker/endpoint/checked-call.ts";
import { markAsQuery, registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { prng } from "./random.ts";
import { bodyText, ORIGIN, serve } from "./serve.ts";

// Well-behaved functions: whatever arrives, they answer. Any 5xx is then the endpoint's fault.
registerServerFunction("fuzz/count", async (...args: unknown[]) => args.length);
registerServerFunction("fuzz/kinds", async (...args: unknown[]) => args.map((arg) => Object.prototype.toString.call(arg)));
markAsQuery(registerServerFunction("fuzz/read", async (...args: unknown[]) => args.length), "read");
// Walks its arguments as a tree, as much user code does: shared references expand here.
registerServerFunction("fuzz/walk", async (...args: unknown[]) => {
  try {
    return JSON.stringify(args, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value))?.length ?? 0;
  } catch {
    return -1; // a cycle
  }
});

// Declares its input: random shapes and random form field names meet the schema and the form rule (a 422 is their answer).
action(registerServerFunction("fuzz/checked", async (input: { title: string; tags: string[] }) => input.tags.length), {
  input: v.object({ title: v.pipe(v.string(), v.minLength(1)), tags: v.optional(v.array(v.string()), []) }),
});
// A closure: a call must bring its one captured value sealed (?sealed=), which no random request can forge.
registerServerFunction("fuzz/closure", async (captured: unknown) => String(captured), 1);

const CODES = [
  "bad-seal",
  "stale-reference",
  "forbidden-origin",
  "body-too-large",
  "unsupported-content-type",
  "malformed-arguments",
  "too-deep",
  "too-many-arguments",
  "too-large",
  "too-many-fields",
  "request-timeout",
  "unknown-function",
  "method-not-allowed",
];
const CASES = 2400;
const SEED = 20260801;

const rand = prng(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const chance = (p: number) => rand() < p;

// Valid argument lists to start from: mutations of real payloads reach deeper than noise.
const shared = { k: "v" };
const corpus: unknown[][] = [
  [],
  [1, "two", null, undefined, true],
  [new Date(0), new Map([["a", 1]]), new Set([1, 2]), 10n ** 20n],
  [{ nested: { deeper: [1, [2, [3, [4]]]] }, shared, again: shared }],
  [new URL("https://x.example/?a=1"), new URLSearchParams("a=1&b=2"), new Headers({ "x-a": "1" })],
  [new Uint8Array([1, 2, 3]), -0, Number.NaN, Infinity, "\u2028\u0000<script>"],
];
const seeds = corpus.map((args) => encodeArguments(args));

// Node shapes seroval knows, plus hostile ones.
const junkNodes: unknown[] = [
  { t: 999 },
  { t: 4, i: -1 },
  { t: 18, i: 9, s: "x" },
  { t: 25, i: 9, c: "sortie/blob", s: { i: { t: 0, s: 7 }, f: { t: 2, s: 2 } } },
  { t: 25, i: 9, c: "seroval-plugins/web/Blob", s: { type: { t: 1, s: "x" }, buffer: { t: 0, s: 1 } } },
  { t: 10, i: 9, p: { k: ["__proto__", "constructor"], v: [{ t: 10, i: 10, p: { k: ["polluted"], v: [{ t: 2, s: 2 }] }, o: 0 }, { t: 0, s: 1 }] }, o: 0 },
  { t: 12, i: 9, s: 0, f: { t: 1, s: "rejected" } },
  { t: 6, i: 9, c: "(a+)+$", m: "g" },
  { t: 19, i: 9, s: "!!!not base64", f: { t: 26, i: 11, s: 5 } },
  { t: 9, i: 9, a: "not an array", o: 0 },
  { t: 8, i: 9, e: { k: [{ t: 0, s: 1 }], v: [] }, f: { t: 26, i: 12, s: 0 } },
  { t: 31, i: 9, a: [], f: { t: 26, i: 13, s: 4 } },
  { t: 13, i: 9, s: 9, m: "err" },
  null,
  "string",
  12,
  [],
];

function deep(depth: number): unknown {
  let node: unknown = { t: 0, s: 1 };
  for (let i = 1; i <= depth; i++) node = { t: 9, i: i + 100, a: [node], o: 0 };
  return node;
}

/** Replaces a random spot of a JSON tree with something hostile. */
function mutateTree(value: unknown, budget = 4): unknown {
  if (budget === 0 || chance(0.25)) return chance(0.15) ? deep(int(80)) : pick(junkNodes);
  if (Array.isArray(value)) return value.length ? value.map((item) => (chance(0.4) ? mutateTree(item, budget - 1) : item)) : [pick(junkNodes)];
  if (value && typeof value === "object") {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const key = chance(0.2) ? pick(["t", "i", "s", "a", "p", "f", "m", "o", "x"]) : pick(keys.length ? keys : ["t"]);
    copy[key] = mutateTree(copy[key], budget - 1);
    return copy;
  }
  return pick(junkNodes);
}

/** Text-level damage: flipped characters, cuts, insertions. */
function mutateText(text: string): string {
  let out = text;
  for (let n = int(4) + 1; n > 0; n--) {
    const at = int(out.length + 1);
    const kind = int(4);
    if (kind === 0) out = out.slice(0, at) + String.fromCharCode(int(128)) + out.slice(at + 1);
    else if (kind === 1) out = out.slice(0, at);
    else if (kind === 2) out = out.slice(0, at) + pick(['"', "{", "}", "[", "]", ",", ":", "\\u0000", "1e999", "-", "null"]) + out.slice(at);
    else out = out.slice(0, at) + out.slice(at + int(10));
  }
  return out;
}

/** seroval JSON of an argument list; `m` marks the ids references point at, as seroval's writer does. */
function argumentList(nodes: unknown[]): string {
  const marked = new Set<number>();
  JSON.stringify(nodes, (_key, value: { t?: number; i?: number }) => {
    if (value?.t === 4 && typeof value.i === "number") marked.add(value.i);
    return value;
  });
  return JSON.stringify({ t: { t: 9, i: 0, a: nodes, o: 0 }, f: 0, m: [...marked] });
}

/** Shared references that expand: a doubling chain, or one large string held many times. */
function expanding(): string {
  if (chance(0.5)) {
    let node: unknown = { t: 1, s: "x".repeat(int(50)) };
    let id = 1;
    for (let level = int(45); level > 0; level--) {
      const inner = (node as { i?: number }).i;
      node = { t: 9, i: ++id, a: [node, inner === undefined ? { t: 1, s: "x" } : { t: 4, i: inner }], o: 0 };
    }
    return argumentList([node]);
  }
  const holder = { t: 9, i: 1, a: [{ t: 1, s: "y".repeat(int(12_000)) }], o: 0 };
  return argumentList([{ t: 9, i: 2, a: [holder, ...Array.from({ length: int(1_500) }, () => ({ t: 4, i: pick([1, 1, 1, 2, 7]) }))], o: 0 }]);
}

function payload(): string {
  const base = pick(seeds);
  const roll = int(7);
  if (roll === 6) return expanding();
  if (roll === 0) return base;
  if (roll === 1) return mutateText(base);
  if (roll === 2) return JSON.stringify(mutateTree(JSON.parse(base)));
  if (roll === 3) return JSON.stringify({ t: mutateTree(JSON.parse(base).t), f: pick([0, 95, 127, -1, 1e9]), m: pick([[], [0, 1, 2], "x", null]) });
  if (roll === 4) return pick(["", "null", "[]", "{}", '{"t":null,"f":0,"m":[]}', "x".repeat(int(3000)), "\uFFFF", '{"t":{"t":9,"i":0,"a":[],"o":0},"f":0}']);
  return JSON.stringify({ t: { t: 9, i: 0, a: Array.from({ length: int(30) }, () => ({ t: 0, s: int(9) })), o: 0 }, f: 0, m: [] });
}

function body(contentType: string): BodyInit | undefined {
  if (chance(0.1)) return undefined;
  if (contentType.startsWith("multipart/form-data")) {
    const form = new FormData();
    if (chance(0.8)) form.append(pick(["$args", "$arg", "title"]), payload());
    for (let n = int(3); n > 0; n--) {
      form.append(pick(["$blob", "file", "$args"]), chance(0.7) ? new File([mutateText("file body")], pick(["a.txt", "", "b"]), { type: pick(["text/plain", ""]) }) : "text");
    }
    return form;
  }
  if (contentType === "application/x-www-form-urlencoded") {
    // A flood of empty fields, or of echo names, within the body limit.
    if (chance(0.2)) return pick(["=&", "$echo=a&a=&", "a=&"]).repeat(int(6_000));
    return chance(0.5) ? `title=${encodeURIComponent(payload())}&x=1` : mutateText("a=1&b=%zz&c");
  }
  return chance(0.1) ? new Uint8Array(Array.from({ length: int(64) }, () => int(256))) : payload();
}

function id(): string {
  return pick([
    "fuzz%2Fcount",
    "fuzz%2Fkinds",
    "fuzz%2Fread",
    "fuzz%2Fwalk",
    encodeURIComponent(mutateText("fuzz/count")).replaceAll("%25", pick(["%", "%25"])),
    "%E0%A4%A",
    "",
    "a/b/c",
    "x".repeat(int(500)),
    "..%2F..%2Fetc",
  ]);
}

function headers(): Record<string, string> {
  const result: Record<string, string> = {};
  const contentType = pick([
    "application/json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "multipart/form-data; boundary=nope",
    "",
  ]);
  if (contentType) result["Content-Type"] = contentType;
  if (chance(0.7)) result["X-Sortie"] = pick(["1", "1", "0", "yes"]);
  if (chance(0.7)) result.Origin = pick([ORIGIN, ORIGIN, "https://evil.example", "null", "https://app.example:8443", "http://app.example"]);
  if (chance(0.7)) result["Sec-Fetch-Site"] = pick(["same-origin", "same-origin", "cross-site", "same-site", "none", "bogus"]);
  if (chance(0.2)) result.Referer = pick([`${ORIGIN}/page`, "https://evil.example/", "not a url", "//evil.example/x"]);
  // Header values must be printable for the Request constructor; everything else is fair game.
  if (chance(0.1)) result.Cookie = mutateText("a=1; b=%zz; c").replace(/[\u0000-\u001f\u007f]/g, "");
  return result;
}

/** What a sealed reference's URL might carry: damaged, forged, unfilled placeholders, oversized. */
function sealed(): string {
  const token = `v1.${"AbCdEfGh"}.${"x".repeat(16)}.${"y".repeat(int(200))}`;
  return pick([mutateText(token), token, "~0", "~99", "", "v1", "v1....", "v2.a.b.c", "x".repeat(int(10_000)), mutateText("v1.zSZzYdwV.xMpw8rZcl-Ue3bef.xr4qgsbc8cSZUJEL9zBf")]);
}

/** Form field names the form rule must place or refuse: dots, brackets, prototype keys, depth. */
function fieldName(): string {
  return pick(["title", "tags[]", "tags", "a.b", "a.b.c", "a..b", ".a", "a.", "__proto__", "__proto__.x", "constructor.prototype.x", "title.x", "x[]", Array.from({ length: int(30) }, () => "k").join(".")]);
}

function url(): string {
  const params = new URLSearchParams();
  if (chance(0.25)) params.set("bound", payload());
  if (chance(0.25)) params.set("args", payload());
  if (chance(0.2)) params.set("sealed", sealed());
  const query = params.toString();
  return `/_server/${id()}${query ? `?${query}` : ""}`;
}

async function check(response: Response, method: string, plainForm: boolean): Promise<string | undefined> {
  if (response.status >= 500) return `status ${response.status}: ${await bodyText(response)}`;
  if (method === "HEAD") return undefined;
  if (response.status === 422 && !plainForm) {
    // A refused input is the function's outcome: records whose first is the error, with its issues.
    if (!response.headers.get("content-type")?.startsWith(STREAM_TYPE)) return `422 without records (${response.headers.get("content-type")})`;
    const first = JSON.parse((await bodyText(response)).split("\n")[0]!) as Record<string, unknown>;
    return "e" in first && JSON.stringify(first.e).includes("issues") ? undefined : `422 whose first record is not the error with its issues`;
  }
  if (response.status >= 400 && plainForm) {
    // A plain form post (no X-Sortie: 1) sees its refusal as an HTML page (worker/forms/form-errors.ts).
    const code = response.headers.get("X-Sortie-Error");
    if (response.headers.get("content-type") !== "text/html; charset=utf-8") return `form refusal without an HTML page (${response.headers.get("content-type")})`;
    if (!code || !CODES.includes(code)) return `unknown error code ${String(code)}`;
    return (await bodyText(response)).includes("<h1>This form could not be sent</h1><p>") ? undefined : "form refusal page without its message";
  }
  if (response.status >= 400) {
    if (response.headers.get("content-type") !== "application/json") return `error without a JSON body (${response.headers.get("content-type")})`;
    const parsed = JSON.parse(await bodyText(response)) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    if (typeof code !== "string" || !CODES.includes(code)) return `unknown error code ${String(code)}`;
    if (typeof message !== "string" || message.length < 10) return `error ${code} without a useful message`;
    if (response.headers.get("X-Sortie-Error") !== code) return "X-Sortie-Error header does not match the body";
    return undefined;
  }
  if (response.status === 303) {
    const location = response.headers.get("Location") ?? "";
    return location.startsWith("/") && !location.startsWith("//") ? undefined : `off-site redirect to ${location}`;
  }
  if (response.status !== 200) return `unexpected status ${response.status}`;
  const lines = (await bodyText(response)).trimEnd().split("\n");
  const first = JSON.parse(lines[0]!) as Record<string, unknown>;
  return "r" in first ? undefined : `first record is not the result: ${lines[0]}`;
}

describe("fuzz: random and mutated bodies, headers and ids", () => {
  const fetch = serve({ maxBodySize: 16 * 1024, maxDepth: 24 });

  it(`answers ${CASES} hostile requests with no 5xx and a well-formed error body`, { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    for (let n = 0; n < CASES; n++) {
      // Half the cases are well-formed stub calls whose payload alone is damaged (or not):
      // they get past the origin and Content-Type checks into the decoder and the function.
      const nearMiss = chance(0.5);
      const method = nearMiss ? "POST" : pick(["POST", "POST", "POST", "GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]);
      const requestHeaders: Record<string, string> = nearMiss ? { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" } : headers();
      // A tenth of those are same-origin plain form posts instead: floods of fields reach the form decoder.
      const formFlood = nearMiss && chance(0.1);
      if (formFlood) Object.assign(requestHeaders, { "X-Sortie": "0", "Content-Type": "application/x-www-form-urlencoded" });
      // Another tenth post a form of random field names to the function with an input schema.
      const formRule = nearMiss && !formFlood && chance(0.12);
      if (formRule) Object.assign(requestHeaders, { "X-Sortie": pick(["0", "1"]), "Content-Type": "application/x-www-form-urlencoded" });
      const init: RequestInit = { method, headers: requestHeaders };
      if (method !== "GET" && method !== "HEAD") {
        init.body = formFlood
          ? pick(["=&", "$echo=a&a=&", "a=&"]).repeat(int(6_000))
          : formRule
            ? Array.from({ length: int(12) }, () => `${encodeURIComponent(fieldName())}=${encodeURIComponent(pick(["", "x", "1", payload().slice(0, 20)]))}`).join("&")
            : nearMiss
              ? payload()
              : body(requestHeaders["Content-Type"] ?? "");
        // FormData brings its own Content-Type with the boundary.
        if (init.body instanceof FormData) delete (requestHeaders as Record<string, string>)["Content-Type"];
      }
      const target = formRule
        ? "/_server/fuzz%2Fchecked"
        : nearMiss
          ? pick(["/_server/fuzz%2Fcount", "/_server/fuzz%2Fkinds", "/_server/fuzz%2Fwalk", "/_server/fuzz%2Fchecked", `/_server/fuzz%2Fclosure?sealed=${encodeURIComponent(sealed())}`])
          : url();
      const response = await fetch(target, init);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const code = response.headers.get("X-Sortie-Error");
      if (code) codes.set(code, (codes.get(code) ?? 0) + 1);
      const problem = await check(response, method, method === "POST" && requestHeaders["X-Sortie"] !== "1");
      if (problem) failures.push(`case ${n} ${method} ${target.slice(0, 120)} ${JSON.stringify(requestHeaders)}: ${problem}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // The run must reach the functions too, not only the early refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(403) ?? 0).toBeGreaterThan(100);
    // The hostile shapes reached their checks: expanding references and floods of fields.
    expect(codes.get("too-large") ?? 0).toBeGreaterThan(20);
    expect(codes.get("too-many-fields") ?? 0).toBeGreaterThan(5);
    // Inputs reached their schema, and seals their opening, and neither ran the function.
    expect(statuses.get(422) ?? 0).toBeGreaterThan(20);
    expect(codes.get("bad-seal") ?? 0).toBeGreaterThan(20);
  });
});
