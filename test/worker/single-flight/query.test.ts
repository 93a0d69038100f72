import { describe, expect, it } from "vitest";
import { query as clientQuery } from "../../../client/query.ts";
import { action } from "../../../common/action.ts";
import { createServerReference } from "../../../client/stub.ts";
import { QueryArgumentError, QueryDefinitionError, queryKey } from "../../../common/query-key.ts";
import { referenceInfo } from "../../../common/reference.ts";
import { query, useQuery } from "../../../worker/queries/query.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";

describe("queryKey", () => {
  it("is the key followed by the arguments as canonical JSON", () => {
    expect(queryKey("product", ["42"])).toBe('product["42"]');
    expect(queryKey("list", [{ b: 1, a: [2, { d: 3, c: 4 }] }])).toBe(queryKey("list", [{ a: [2, { c: 4, d: 3 }], b: 1 }]));
    expect(queryKey("day", [new Date("2026-01-02T00:00:00Z")])).toBe('day["2026-01-02T00:00:00.000Z"]');
  });

  it("keys scalars (its fast path) as it keys them beside an object", () => {
    const scalars = ["42", -0, 1.5, NaN, Infinity, true, null, undefined, "\u2028<"];
    expect(queryKey("mixed", scalars)).toBe('mixed["42",0,1.5,null,null,true,null,null,"\u2028<"]');
    // With an object among them, every value goes through the canonical replacer: the same text for the scalars.
    expect(queryKey("mixed", [...scalars, {}])).toBe('mixed["42",0,1.5,null,null,true,null,null,"\u2028<",{}]');
  });

  it("refuses arguments JSON cannot tell apart, naming the query", () => {
    expect(() => queryKey("tags", [new Map()])).toThrow(new QueryArgumentError('query "tags": a Map cannot be a query argument; use strings, numbers, booleans, null, arrays, plain objects or Dates'));
    expect(() => queryKey("fn", [() => 1])).toThrow(/query "fn": a function cannot be a query argument/);
    expect(() => queryKey("big", [10n])).toThrow(/query "big": a bigint cannot be a query argument/);
  });
});

describe("query(fn, key) on the server", () => {
  const fn = registerServerFunction("query-test/double", async (n: number) => n * 2);
  const double = query(fn, "double");

  it("marks the registered function as a read and exposes its keys", () => {
    expect(referenceInfo(fn)?.query).toEqual({ key: "double" });
    expect(referenceInfo(double)).toBe(referenceInfo(fn));
    expect(double.key).toBe("double");
    expect(double.keyFor(2)).toBe("double[2]");
  });

  it("runs without a cache outside a request", async () => {
    expect(await double(21)).toBe(42);
  });

  it("refuses a missing key or a non-function", () => {
    expect(() => query(fn, "")).toThrow(QueryDefinitionError);
    expect(() => query("nope" as never, "k")).toThrow(/fn must be a function/);
  });

  it("server components refuse something that is not a query", () => {
    expect(() => useQuery(fn as unknown as typeof double, 1)).toThrow(/is not a query: wrap the function with query\(fn, key\)/);
  });
});

describe("action(fn)", () => {
  it("is the server function itself, and refuses a function that is not one", () => {
    const save = registerServerFunction("query-test/save", async (id: string) => id);
    expect(action(save, "save")).toBe(save);
    expect(() => action(async () => 1, "local")).toThrow(/action\(fn, "local"\): fn is not a server function; start its body with "use server"/);
  });
});

describe("query(stub, key) in the browser", () => {
  it("marks the stub so it calls with GET, and refuses a function that is not a stub", () => {
    const stub = createServerReference<(n: number) => Promise<number>>("query-test/double");
    const double = clientQuery(stub, "double");
    expect(referenceInfo(stub)?.query).toEqual({ key: "double" });
    expect(double.keyFor(2)).toBe(queryKey("double", [2]));
    expect(() => clientQuery(async () => 1, "local")).toThrow(/not a server function; a query used in the browser must be one \(its body starting with the server directive\)/);
  });
});
