// Shared references let a small payload stand for a huge value (each level of a chain holding
// the previous one twice doubles it). The endpoint weighs arguments with references followed
// and refuses them over maxExpandedSize (default: maxBodySize) before anything walks them.
import { describe, expect, it } from "vitest";
import { queryKey } from "../../../common/query-key.ts";
import { markAsQuery, registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { serve } from "./serve.ts";

// Walks its argument as a tree, as user code (JSON.stringify, Number(array)) or a query key would.
registerServerFunction("expansion/walk", async (value: unknown) => JSON.stringify(value).length);
markAsQuery(registerServerFunction("expansion/read", async (value: unknown) => JSON.stringify(value).length), "expansionRead");
registerServerFunction("expansion/same", async (value: { list: unknown[] }) => value.list[0] === value.list[1]);

const CALL = { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" };
const fetch = serve();

/** seroval JSON of an argument list; `m` marks every id a reference points at, as seroval's writer does (an unmarked one reads as undefined). */
function payload(...nodes: unknown[]): string {
  const marked = new Set<number>();
  JSON.stringify(nodes, (_key, value: { t?: number; i?: number }) => {
    if (value?.t === 4 && typeof value.i === "number") marked.add(value.i);
    return value;
  });
  return JSON.stringify({ t: { t: 9, i: 0, a: nodes, o: 0 }, f: 0, m: [...marked] });
}

/** seroval JSON of `levels` arrays, each holding the one before it twice (the second time by reference). */
function doublingChain(levels: number): unknown {
  let node: unknown = { t: 1, s: "x" };
  let id = 1;
  for (let level = 0; level < levels; level++) {
    const inner = node as { i?: number };
    const reference = typeof inner.i === "number" ? { t: 4, i: inner.i } : { t: 1, s: "x" };
    node = { t: 9, i: ++id, a: [node, reference], o: 0 };
  }
  return node;
}

async function expectTooLarge(response: Response): Promise<void> {
  expect(response.status).toBe(400);
  expect(response.headers.get("X-Sortie-Error")).toBe("too-large");
  const { error } = (await response.json()) as { error: { message: string } };
  expect(error.message).toMatch(/too large once its shared references are followed: over 1048576 .*the maxExpandedSize option/);
}

describe("arguments with shared references", () => {
  it("a 40-level doubling chain in a GET read's ?args= (2 KB of JSON, 2^40 once expanded) is a 400 too-large", async () => {
    const args = payload(doublingChain(40));
    expect(args.length).toBeLessThan(3000);
    await expectTooLarge(await fetch(`/_server/expansion%2Fread?args=${encodeURIComponent(args)}`, { headers: { "X-Sortie": "1" } }));
  });

  it("a 100 KB string referenced 5,000 times (a 170 KB POST) is a 400 too-large", async () => {
    const holder = { t: 9, i: 1, a: [{ t: 1, s: "y".repeat(100_000) }], o: 0 };
    const references = Array.from({ length: 5_000 }, () => ({ t: 4, i: 1 }));
    const body = payload({ t: 9, i: 2, a: [holder, ...references], o: 0 });
    expect(body.length).toBeLessThan(200_000);
    await expectTooLarge(await fetch("/_server/expansion%2Fwalk", { method: "POST", headers: CALL, body }));
  });

  it("the same chain as a bound argument (?bound=) of a form post is refused too", async () => {
    const bound = encodeURIComponent(payload(doublingChain(40)));
    const response = await fetch(`/_server/expansion%2Fwalk?bound=${bound}`, {
      method: "POST",
      headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("X-Sortie-Error")).toBe("too-large");
  });

  it("a reference to a later or missing node is malformed, not expanded", async () => {
    const response = await fetch("/_server/expansion%2Fwalk", { method: "POST", headers: CALL, body: payload({ t: 9, i: 1, a: [{ t: 4, i: 1 }, { t: 4, i: 99 }], o: 0 }) });
    expect(response.status).toBe(400);
    expect(response.headers.get("X-Sortie-Error")).toBe("malformed-arguments");
  });

  it("sharing within the budget still arrives as one value, and cycles are kept", async () => {
    const shared = { t: 10, i: 2, p: { k: ["n"], v: [{ t: 0, s: 1 }] }, o: 0 };
    const value = { t: 10, i: 1, p: { k: ["list"], v: [{ t: 9, i: 3, a: [shared, { t: 4, i: 2 }], o: 0 }] }, o: 0 };
    const response = await fetch("/_server/expansion%2Fsame", { method: "POST", headers: CALL, body: payload(value) });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"s":2'); // true
    // An 18-level chain expands to 2^18 = 262,144 nodes: within the 1 MB default, it runs.
    const within = await fetch("/_server/expansion%2Fwalk", { method: "POST", headers: CALL, body: payload(doublingChain(18)) });
    expect(within.status).toBe(200);
  });

  it("a limit of one's own: maxExpandedSize", async () => {
    const strict = serve({ maxExpandedSize: 1_000 });
    const response = await strict("/_server/expansion%2Fwalk", { method: "POST", headers: CALL, body: payload(doublingChain(12)) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/over 1000/);
  });
});

describe("queryKey", () => {
  it("keeps an own __proto__ key", () => {
    const withProto = JSON.parse('{"__proto__":{"b":1},"a":1}') as unknown;
    expect(queryKey("q", [withProto])).not.toBe(queryKey("q", [{ a: 1 }]));
    expect(queryKey("q", [withProto])).toBe('q[{"__proto__":{"b":1},"a":1}]');
  });

  it("refuses a cyclic argument with a QueryArgumentError", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => queryKey("q", [cycle])).toThrow(/query "q": an argument refers to itself/);
  });
});
