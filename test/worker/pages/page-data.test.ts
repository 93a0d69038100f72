// The page's data: plain query results go through the small writer the browser's stubs use,
// anything it would not keep exactly through seroval's; the browser reads the same values.
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
  return { features: (JSON.parse(json) as { f: number }).f, read: decodePageData(json).map(([, value]) => value) };
}

describe("the page's data", () => {
  it("plain data takes the small writer and reads back the same", () => {
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
