// The page's data: query results JSON keeps exactly go as plain JSON, others through the
// small writer the browser's stubs use, anything that would not keep exactly through
// seroval's; the browser reads the same values.
import { describe, expect, it } from "vitest";
import { decodePageData } from "../../../client/page-data.ts";
import { ServerError } from "../../../common/errors.ts";
import type { ErrorPayload } from "../../../common/wire.ts";
import { encodePageData } from "../../../worker/pages/page-data.ts";
import type { QueryCall } from "../../../worker/queries/query-cache.ts";

const describeError = (error: unknown): ErrorPayload => ({ message: (error as Error).message, status: 500 });

function calls(...values: unknown[]): QueryCall[] {
  return values.map((value, index) => ({ key: "q", args: [index], cacheKey: `q[${index}]`, promise: Promise.resolve(value), outcome: { ok: true, value } }) as QueryCall);
}

/** The page data's JSON as the browser gets it, and what the browser reads from it. */
function roundTrip(...values: unknown[]) {
  const json = encodePageData(calls(...values), describeError);
  const parsed = JSON.parse(json) as { f?: number; j?: unknown };
  return { json, plain: "j" in parsed, features: parsed.f, read: decodePageData(json).map(([, value]) => value) };
}

describe("the page's data", () => {
  it("data JSON keeps exactly goes as plain JSON and reads back the same", () => {
    const row = { id: 7, name: "Lamp </script><!--", price: 12.5, tags: ["a", "", "\u2028"], nested: { empty: {}, list: [] }, none: null, yes: true, zero: 0 };
    const awkwardKeys = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "toString": "x"}') as object;
    const { json, plain, read } = roundTrip(row, [[1, 2], []], "text", 42, awkwardKeys);
    expect(plain).toBe(true);
    expect(json).not.toContain("<");
    expect(read).toStrictEqual([row, [[1, 2], []], "text", 42, awkwardKeys]);
    const readKeys = read[4] as Record<string, unknown>;
    expect(Object.getPrototypeOf(readKeys)).toBe(Object.prototype);
    expect(Object.keys(readKeys)).toEqual(["__proto__", "constructor", "toString"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a value JSON would change takes a writer that keeps it: -0, NaN, Infinity, undefined, holes, shared and cyclic objects, null prototypes, frozen objects, symbol keys, Dates, Maps, BigInt", () => {
    const shared = { s: 1 };
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const values = [-0, NaN, Infinity, { gone: undefined }, [undefined], [1, , 2], [shared, shared], cycle, Object.create(null) as object, new Date(0), new Map([[1, 2]]), 3n]; // eslint-disable-line no-sparse-arrays
    for (const [index, value] of values.entries()) {
      const { plain, read } = roundTrip(value);
      expect(plain, `value #${index}`).toBe(false);
      expect(read).toStrictEqual([value]);
    }
    const frozen = roundTrip(Object.freeze({ a: 1 }));
    expect(frozen.plain).toBe(false);
    expect(Object.isFrozen(frozen.read[0])).toBe(true);
    const tagged = roundTrip({ [Symbol.toStringTag]: "Tagged" });
    expect(tagged.plain).toBe(false);
    expect(Object.prototype.toString.call(tagged.read[0])).toBe("[object Tagged]");
  });

  it("a value with a toJSON of its own or inherited is not written by toJSON", () => {
    const own = Object.defineProperty({ a: 1 }, "toJSON", { value: () => "replaced", enumerable: false });
    class Listing extends Array<number> {
      toJSON() {
        return "replaced";
      }
    }
    const listing = Listing.from([1, 2]);
    for (const value of [own, listing]) {
      const { plain, json } = roundTrip(value);
      expect(plain).toBe(false);
      expect(json).not.toContain("replaced");
    }
  });

  it("a value nested deeper than the browser's reader reads is not sent as plain JSON", () => {
    const nested = (levels: number) => {
      let deep: unknown[] = [];
      const root = deep;
      for (let level = 1; level < levels; level++) deep = (deep[0] = []) as unknown[];
      return root;
    };
    expect(() => roundTrip(nested(1100))).toThrow(/nested deeper than 1000 levels/);
    // The reader counts the entries and their [key, value] pairs: 999 arrays in a value reach its limit, 1000 pass it.
    expect(roundTrip(nested(999)).plain).toBe(true);
    expect(() => roundTrip(nested(1000))).toThrow(/nested deeper than 1000 levels/);
  });

  it("the small writer takes what JSON would not keep, and reads back the same", () => {
    const shared = { id: 1 };
    const value = { name: "Lamp </script>", when: new Date(0), tags: new Set(["a"]), stock: new Map([["x", [1, , 3]]]), shared, again: shared, big: 10n, nothing: undefined }; // eslint-disable-line no-sparse-arrays
    const { features, read } = roundTrip(value);
    expect(features).toBe(0); // the small writer's header; seroval's names its features
    expect(read).toStrictEqual([value]);
    const [copy] = read as [typeof value];
    expect(copy.shared).toBe(copy.again);
  });

  it("what the small writer would not keep exactly goes through seroval: frozen objects, symbol keys, errors", () => {
    const iterable = { *[Symbol.iterator]() { yield 1; } };
    const { features, read } = roundTrip(Object.freeze({ a: 1 }), { [Symbol.toStringTag]: "Tagged" }, new Error("inside a value"), iterable);
    expect(features).not.toBe(0);
    const [frozen, tagged, error, readIterable] = read as [object, object, ServerError, Iterable<number>];
    expect(Object.isFrozen(frozen)).toBe(true);
    expect(Object.prototype.toString.call(tagged)).toBe("[object Tagged]");
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe("inside a value");
    expect([...readIterable]).toEqual([1]);
  });
});
