import { fromJSON, type SerovalJSON } from "seroval";
import { describe, expect, it } from "vitest";
import { argumentsJSON, ArgumentTypeError } from "../../../common/args.ts";
import { ARGUMENT_PLUGINS, blobPartPlugin } from "../../../common/plugins.ts";
import { DISABLED_FEATURES } from "../../../common/wire.ts";
import { prng } from "./random.ts";
import { flatArguments } from "../../../worker/endpoint/flat-arguments.ts";

/** What the endpoint does with the browser's encoding (worker/endpoint/decode.ts), minus the HTTP. */
function roundTrip(args: unknown[], parts?: File[]): unknown[] {
  const blobs: Blob[] = [];
  const json = JSON.parse(argumentsJSON(args, parts ? blobs : undefined));
  const files = blobs.map((blob) => (blob instanceof File ? blob : new File([blob], "blob", { type: blob.type })));
  parts?.push(...files);
  return fromJSON(json, { plugins: [blobPartPlugin(files), ...ARGUMENT_PLUGINS], disabledFeatures: DISABLED_FEATURES, depthLimit: 64 });
}

const STRINGS = ["", "plain", 'quote " and \\ backslash', "\\n is not a newline", "\\", "\\\\x3C", "<script>", "\u2028\u2029", "\n\r\t\b\f\u0000\u001f", "\ud800 lone", "emoji 🚀", "\\u2028"];

describe("the browser's argument encoder writes what seroval's fromJSON reads", () => {
  it("every scalar, including the ones JSON loses", () => {
    const args = [0, -0, 1.5, -1e300, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity, true, false, null, undefined, 0n, -(2n ** 80n), ...STRINGS];
    const back = roundTrip(args);
    expect(back).toEqual(args);
    expect(Object.is(back[1], -0)).toBe(true);
  });

  it("object keys that need escaping, null-prototype objects and array holes", () => {
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const keys = Object.fromEntries(STRINGS.map((key, index) => [key, index]));
    const holes = [1, , 3];
    const [backKeys, backNull, backHoles] = roundTrip([keys, nullProto, holes]) as [Record<string, number>, object, unknown[]];
    expect(backKeys).toEqual(keys);
    expect(Object.getPrototypeOf(backNull)).toBeNull();
    expect(backNull).toEqual(nullProto);
    expect(1 in backHoles).toBe(false);
    expect(backHoles).toHaveLength(3);
  });

  it("Date (valid and invalid), Map, Set, ArrayBuffer and typed-array views", () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255, 7]);
    const args = [new Date(86_400_000), new Date(NaN), new Map<unknown, unknown>([[{ k: 1 }, new Set([1n])]]), new Set(["a", "b"]), bytes.buffer, bytes.subarray(2, 5), new Float64Array([1.5, -0]), new BigInt64Array([-5n])];
    const back = roundTrip(args);
    expect(back).toEqual(args);
    expect(Number.isNaN((back[1] as Date).getTime())).toBe(true);
    expect(back[5]).toBeInstanceOf(Uint8Array);
    expect([...(back[5] as Uint8Array)]).toEqual([2, 250, 255]);
  });

  it("shared and cyclic references, kept as identities", () => {
    const shared = { s: 1 };
    const cycle: Record<string, unknown> = { list: [shared, shared] };
    cycle.self = cycle;
    (cycle.list as unknown[]).push(cycle.list);
    const [back] = roundTrip([cycle]) as [Record<string, unknown>];
    const list = back.list as unknown[];
    expect(back.self).toBe(back);
    expect(list[0]).toBe(list[1]);
    expect(list[2]).toBe(list);
  });

  it("URL, URLSearchParams, Headers and FormData with files", async () => {
    const form = new FormData();
    form.append("title", "x");
    form.append("file", new File(["body"], "a.txt", { type: "text/plain" }));
    const args = [new URL("https://example.com/a?b#c"), new URLSearchParams("a=1&a=2"), new Headers({ "X-A": "1" }), form, new Blob(["raw"])];
    const back = roundTrip(args, []);
    expect(String(back[0])).toBe("https://example.com/a?b#c");
    expect(String(back[1])).toBe("a=1&a=2");
    expect([...(back[2] as Headers)]).toEqual([["x-a", "1"]]);
    const backForm = back[3] as FormData;
    expect(backForm.get("title")).toBe("x");
    expect(await (backForm.get("file") as File).text()).toBe("body");
    expect(back[4]).not.toBeInstanceOf(File);
    expect(await (back[4] as Blob).text()).toBe("raw");
  });

  it("500 random nested values survive the trip", () => {
    const random = prng(7);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const value = (depth: number): unknown => {
      const leaf = [() => pick(STRINGS), () => random() * 1e6 - 5e5, () => pick([null, undefined, true, false, NaN, -0]), () => BigInt(Math.floor(random() * 1e9)), () => new Date(Math.floor(random() * 1e12))];
      if (depth > 4 || random() < 0.4) return pick(leaf)();
      const size = Math.floor(random() * 4);
      return pick([
        () => Array.from({ length: size }, () => value(depth + 1)),
        () => Object.fromEntries(Array.from({ length: size }, () => [pick(STRINGS) + size, value(depth + 1)])),
        () => new Map(Array.from({ length: size }, () => [value(depth + 1), value(depth + 1)])),
        () => new Set(Array.from({ length: size }, () => pick(STRINGS))),
      ])();
    };
    for (let n = 0; n < 500; n++) {
      const args = [value(0), value(0)];
      expect(roundTrip(args)).toEqual(args);
    }
  });

  it("refuses what cannot travel, naming it", () => {
    expect(() => argumentsJSON([() => 1])).toThrow(ArgumentTypeError);
    expect(() => argumentsJSON([Symbol("s")])).toThrow("A symbol cannot be a server function argument");
    expect(() => argumentsJSON([new (class Product {})()])).toThrow("A Product cannot be a server function argument");
    expect(() => argumentsJSON([/regexp/])).toThrow("A RegExp cannot be");
    expect(() => argumentsJSON([new Blob(["x"])])).toThrow("cannot be a bound argument");
  });
});

describe("the argument writer's bytes (pinned: both sides read them, and page data embeds them)", () => {
  class OddDate extends Date {
    override toISOString(): string {
      return 'q"\u2028';
    }
  }
  const shared = { s: 1 };
  const cases: [string, unknown[], boolean, string][] = [
    ["scalars", ["a\\\"\u2028<", -0, 1e21, 5e-324, NaN, -Infinity, 12n, undefined, null, true], false, "{\"t\":{\"t\":9,\"i\":0,\"a\":[{\"t\":1,\"s\":\"a\\\\\\\\\\\"\u2028<\"},{\"t\":2,\"s\":4},{\"t\":0,\"s\":1e+21},{\"t\":0,\"s\":5e-324},{\"t\":2,\"s\":7},{\"t\":2,\"s\":6},{\"t\":3,\"s\":\"12\"},{\"t\":2,\"s\":1},{\"t\":2,\"s\":0},{\"t\":2,\"s\":2}],\"o\":0},\"f\":0,\"m\":[]}"],
    ["shared ids, a null prototype, a hole", [[shared, shared], Object.assign(Object.create(null) as object, { "a\\b": 1 }), [1, , 3]], false, "{\"t\":{\"t\":9,\"i\":0,\"a\":[{\"t\":9,\"i\":1,\"a\":[{\"t\":10,\"i\":2,\"p\":{\"k\":[\"s\"],\"v\":[{\"t\":0,\"s\":1}]},\"o\":0},{\"t\":4,\"i\":2}],\"o\":0},{\"t\":11,\"i\":3,\"p\":{\"k\":[\"a\\\\\\\\b\"],\"v\":[{\"t\":0,\"s\":1}]},\"o\":0},{\"t\":9,\"i\":4,\"a\":[{\"t\":0,\"s\":1},0,{\"t\":0,\"s\":3}],\"o\":0}],\"o\":0},\"f\":0,\"m\":[2]}"],
    ["dates, extended years, a subclass writing a quote", [new Date(8.64e15), new Date(-62198755200000), new Date(NaN), new OddDate(0)], false, "{\"t\":{\"t\":9,\"i\":0,\"a\":[{\"t\":5,\"i\":1,\"s\":\"+275760-09-13T00:00:00.000Z\"},{\"t\":5,\"i\":2,\"s\":\"-000001-01-01T00:00:00.000Z\"},{\"t\":5,\"i\":3,\"s\":\"\"},{\"t\":5,\"i\":4,\"s\":\"q\\\"\u2028\"}],\"o\":0},\"f\":0,\"m\":[]}"],
    ["typed arrays with an offset", [new Uint8Array([1, 2, 3, 4]).subarray(1, 3), new Float64Array([-0])], false, "{\"t\":{\"t\":9,\"i\":0,\"a\":[{\"t\":15,\"i\":1,\"c\":\"Uint8Array\",\"f\":{\"t\":19,\"i\":2,\"s\":\"AQIDBA==\"},\"b\":1,\"l\":2},{\"t\":15,\"i\":3,\"c\":\"Float64Array\",\"f\":{\"t\":19,\"i\":4,\"s\":\"AAAAAAAAAIA=\"},\"b\":0,\"l\":1}],\"o\":0},\"f\":0,\"m\":[]}"],
    ["files and blobs, numbered in order", [new File(["x"], "a.txt"), new Blob(["y"])], true, "{\"t\":{\"t\":9,\"i\":0,\"a\":[{\"t\":25,\"i\":1,\"c\":\"sortie/blob\",\"s\":{\"i\":{\"t\":0,\"s\":0},\"f\":{\"t\":2,\"s\":2}}},{\"t\":25,\"i\":2,\"c\":\"sortie/blob\",\"s\":{\"i\":{\"t\":0,\"s\":1},\"f\":{\"t\":2,\"s\":3}}}],\"o\":0},\"f\":0,\"m\":[]}"],
  ];
  for (const [name, args, blobs, expected] of cases) {
    it(name, () => {
      const json = argumentsJSON(args, blobs ? [] : undefined);
      expect(json).toBe(expected);
      expect(() => JSON.parse(json)).not.toThrow();
    });
  }

  it("writes a Date whose toISOString returns no string as valid JSON", () => {
    class NoText extends Date {
      override toISOString(): string {
        return undefined as unknown as string;
      }
    }
    expect(JSON.parse(argumentsJSON([new NoText(0)])).t.a[0]).toEqual({ t: 5, i: 1, s: "undefined" });
  });

  it("reads each getter as it writes its value, and refuses what a getter returns that cannot travel", () => {
    const order: string[] = [];
    const value = {
      get a() {
        order.push("a");
        return { n: 1 };
      },
      get b() {
        order.push("b");
        return Symbol("s");
      },
    };
    expect(() => argumentsJSON([value])).toThrow("A symbol cannot be a server function argument");
    expect(order).toEqual(["a", "b"]);
  });
});

describe("flat argument lists are read without seroval's deserializer (worker/endpoint/flat-arguments.ts)", () => {
  const read = (json: unknown) => fromJSON(json as SerovalJSON, { plugins: ARGUMENT_PLUGINS, disabledFeatures: DISABLED_FEATURES, depthLimit: 64 }) as unknown[];
  const sameValues = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((value, index) => Object.is(value, b[index]));

  it("takes the common lists itself, with the values fromJSON gives", () => {
    const scalars = [0, -0, 1.5, -1e300, NaN, Infinity, -Infinity, true, false, null, undefined, "", "plain", "<script>", "\u2028", "emoji 🚀", 'quote "'];
    for (const args of [[], [1, 2], scalars, ["42"], [undefined]]) {
      const json = JSON.parse(argumentsJSON(args));
      const flat = flatArguments(json);
      expect(flat, JSON.stringify(json)).toBeDefined();
      expect(sameValues(flat!, read(json))).toBe(true);
      expect(sameValues(flat!, args)).toBe(true);
    }
  });

  it("leaves to seroval what it would read differently or refuse", () => {
    const list = (items: unknown[], root: Record<string, unknown> = {}) => ({ t: { t: 9, i: 0, a: items, o: 0, ...root }, f: 31, m: [] });
    const others = [
      list([{ t: 1, s: "a\\\\b" }]), // a backslash: seroval unescapes it
      list([{ t: 0, s: "7" }]), // a number as text: seroval converts it
      list([{ t: 2, s: "2" }]), // a constant named by text
      list([{ t: 2, s: 99 }]), // no such constant: seroval refuses it
      list([0, { t: 0, s: 1 }]), // a hole
      list([{ t: 3, s: "5" }]), // a BigInt
      list([{ t: 9, i: 1, a: [], o: 0 }]), // nested
      list([], { o: 3 }), // frozen
      list([], { i: -1 }), // a malformed id: seroval refuses it
      { ...list([{ t: 0, s: 1 }]), m: [0] }, // shared references
      { t: { t: 10, i: 0, p: { k: [], v: [] }, o: 0 }, f: 31, m: [] }, // not a list
    ];
    for (const json of others) expect(flatArguments(json as SerovalJSON), JSON.stringify(json)).toBeUndefined();
  });

  it("agrees with fromJSON on 500 random flat lists", () => {
    const random = prng(11);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    for (let n = 0; n < 500; n++) {
      const args = Array.from({ length: Math.floor(random() * 6) }, () => pick([() => pick(STRINGS), () => random() * 1e6 - 5e5, () => pick([null, undefined, true, false, NaN, -0, Infinity])])());
      const json = JSON.parse(argumentsJSON(args));
      const flat = flatArguments(json);
      if (flat) expect(sameValues(flat, read(json))).toBe(true);
      else expect(args.some((value) => typeof value === "string" && value.includes("\\"))).toBe(true);
    }
  });
});
