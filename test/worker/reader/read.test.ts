// Sortie's reader (common/reader/) against seroval's own, on values the Worker's writer wrote
// with its real options (worker/endpoint/result-plugins.ts): the browser must get the same
// values from both, and the reader must refuse what Sortie never sends.
import { createCrossDeserializer, fromJSON, toCrossJSONStream, toJSON, type SerovalNode } from "seroval";
import { describe, expect, it } from "vitest";
import { ServerError } from "../../../common/errors.ts";
import { createValueReader, readJSON, ReaderClosedError, UnreadableValueError } from "../../../common/reader/read.ts";
import { DISABLED_FEATURES, resultPlugins, type ErrorPayload } from "../../../common/wire.ts";
import { STUB_REFERENCES } from "../../../client/stub.ts";
import { writtenResults } from "../../../worker/endpoint/result-plugins.ts";

const describeError = (error: unknown): ErrorPayload => ({ message: error instanceof Error ? error.message : String(error), status: error instanceof ServerError ? error.status : 500 });
const READ_PLUGINS = resultPlugins(undefined, STUB_REFERENCES);

/** The nodes the Worker writes for `value` (its first record, then the later ones), once it has settled. */
function written(value: unknown): Promise<SerovalNode[]> {
  return new Promise((resolve, reject) => {
    const nodes: SerovalNode[] = [];
    toCrossJSONStream(value, {
      refs: new Map(),
      plugins: writtenResults(describeError),
      disabledFeatures: DISABLED_FEATURES,
      onParse: (node) => void nodes.push(node),
      onError: reject,
      onDone: () => void resolve(nodes),
    });
  });
}

/** `value` written by the Worker and read back by seroval's reader and by Sortie's. */
async function bothReads(value: unknown): Promise<{ ours: unknown; theirs: unknown }> {
  const nodes = await written(value);
  const seroval = createCrossDeserializer({ plugins: READ_PLUGINS, disabledFeatures: DISABLED_FEATURES });
  const reader = createValueReader(READ_PLUGINS);
  const theirs = seroval.deserialize(nodes[0]!);
  const ours = reader.read(nodes[0]!);
  for (const node of nodes.slice(1)) {
    seroval.deserialize(node);
    reader.read(node);
  }
  expect(reader.pending).toBe(seroval.pending);
  return { ours, theirs };
}

async function* countTo(last: number, fail?: Error) {
  for (let index = 1; index <= last; index++) yield index;
  if (fail) throw fail;
  return "done";
}

async function drain(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  try {
    for await (const item of iterable) seen.push(item);
  } catch (error) {
    seen.push(["threw", (error as Error).message]);
  }
  return seen;
}

describe("Sortie's reader reads what seroval's reader reads", () => {
  const shared = { name: "shared" };
  const cases: Record<string, unknown> = {
    primitives: [0, -0, 1.5, -1e21, NaN, Infinity, -Infinity, "text", "", true, false, null, undefined, 12345678901234567890n],
    "escaped strings": ['"quoted" \\ back', "line\nbreak\r\t\b\f", "</script><!--", "\u2028\u2029", "a".repeat(70) + "<\n\"", "\\x3C literally", "\u0000\u0007 control"],
    "nested data": { user: { id: 7, tags: ["a", "b"], when: new Date("2026-11-30T12:00:00Z") }, list: [[1, [2, [3]]]] },
    "holes and sparse arrays": [1, , 3], // eslint-disable-line no-sparse-arrays
    "shared and cyclic references": (() => {
      const cycle: Record<string, unknown> = { shared, again: shared };
      cycle.self = cycle;
      return cycle;
    })(),
    "maps and sets": new Map<unknown, unknown>([["a", new Set([1, 2, shared])], [shared, "object key"]]),
    "null prototype": Object.assign(Object.create(null), { a: 1 }),
    "keys that would reach the prototype": JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "prototype": 2}'),
    "frozen, sealed and non-extensible": [Object.freeze({ a: 1 }), Object.seal({ b: 2 }), Object.preventExtensions({ c: 3 })],
    "typed arrays and buffers": [new Uint8Array([1, 2, 255]), new Float64Array([1.5, -2]), new BigInt64Array([1n, -1n]), new DataView(new Uint8Array([9, 8, 7]).buffer, 1, 2), new Uint8Array(600).fill(7).buffer],
    boxed: [Object("boxed"), Object(5), Object(true)],
    "web types": [new URL("https://app.example/a?b=1"), new URLSearchParams("x=1&y=2"), new Headers([["x-one", "1"]])],
    symbols: { [Symbol.toStringTag]: "Tagged", plain: Symbol.iterator },
  };

  for (const [name, value] of Object.entries(cases)) {
    it(name, async () => {
      const { ours, theirs } = await bothReads(value);
      expect(ours).toStrictEqual(theirs);
    });
  }

  it("keeps identity where the writer shared a value, and cycles", async () => {
    const { ours } = await bothReads(cases["shared and cyclic references"]);
    const read = ours as Record<string, unknown>;
    expect(read.shared).toBe(read.again);
    expect(read.self).toBe(read);
  });

  it("keeps holes, prototypes and locks", async () => {
    const holes = (await bothReads(cases["holes and sparse arrays"])).ours as unknown[];
    expect(1 in holes).toBe(false);
    expect(Object.getPrototypeOf((await bothReads(cases["null prototype"])).ours)).toBeNull();
    const dangerous = (await bothReads(cases["keys that would reach the prototype"])).ours as Record<string, unknown>;
    expect(Object.getPrototypeOf(dangerous)).toBe(Object.prototype);
    expect(Object.hasOwn(dangerous, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const [frozen, sealed, fixed] = (await bothReads(cases["frozen, sealed and non-extensible"])).ours as object[];
    expect([Object.isFrozen(frozen), Object.isSealed(sealed) && !Object.isFrozen(sealed), !Object.isExtensible(fixed) && !Object.isSealed(fixed)]).toEqual([true, true, true]);
  });

  it("errors in values: the Worker sends them as ServerErrors, as describe lets them through", async () => {
    const { ours, theirs } = await bothReads([new RangeError("out of range"), new ServerError("nope", { status: 404 })]);
    const [range, server] = ours as [ServerError, ServerError];
    expect(range).toBeInstanceOf(ServerError);
    expect(server).toBeInstanceOf(ServerError);
    expect([range.message, range.status, server.message, server.status]).toEqual(["out of range", 500, "nope", 404]);
    expect(ours).toStrictEqual(theirs);
  });

  it("errors as seroval writes them without Sortie's plugin: class, message and own properties", () => {
    const value = [Object.assign(new RangeError("out of range"), { code: "E_RANGE" }), new AggregateError([], "many"), new TypeError("typed")];
    const json = toJSON(value, { disabledFeatures: DISABLED_FEATURES });
    const [range, aggregate, typed] = readJSON<[RangeError & { code: string }, AggregateError, TypeError]>(json, []);
    expect(range).toBeInstanceOf(RangeError);
    expect([range.message, range.code]).toEqual(["out of range", "E_RANGE"]);
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect(typed).toBeInstanceOf(TypeError);
    expect([aggregate.message, typed.message]).toEqual(["many", "typed"]);
  });

  it("promises that settle later, either way", async () => {
    const { ours, theirs } = await bothReads({ ok: Promise.resolve({ n: 1 }), bad: Promise.reject(new Error("late failure")), slow: new Promise((resolve) => setTimeout(() => resolve("slow"), 5)) });
    const settle = async (read: unknown) => {
      const { ok, bad, slow } = read as Record<string, Promise<unknown>>;
      return [await ok, await bad.catch((error: Error) => ["rejected", error.message]), await slow];
    };
    expect(await settle(ours)).toEqual([{ n: 1 }, ["rejected", "late failure"], "slow"]);
    expect(await settle(ours)).toEqual(await settle(theirs));
  });

  it("iterables and async iterables, ended or failed", async () => {
    const { ours, theirs } = await bothReads({ sync: new Set([1, 2]).values(), generated: countTo(3), failing: countTo(1, new Error("stream broke")) });
    const read = ours as { sync: Iterable<unknown>; generated: AsyncIterable<unknown>; failing: AsyncIterable<unknown> };
    const expected = theirs as typeof read;
    expect([...read.sync]).toEqual([...expected.sync]);
    expect(await drain(read.generated)).toEqual([1, 2, 3]);
    expect(await drain(read.failing)).toEqual([1, ["threw", "stream broke"]]);
  });

  it("ReadableStreams through the stream plugin", async () => {
    const source = new ReadableStream({
      start(controller) {
        controller.enqueue("one");
        controller.enqueue({ two: 2 });
        controller.close();
      },
    });
    const { ours } = await bothReads({ body: source });
    const chunks: unknown[] = [];
    for await (const chunk of (ours as { body: ReadableStream }).body) chunks.push(chunk);
    expect(chunks).toEqual(["one", { two: 2 }]);
  });

  it("a whole value written with toJSON (page data, island props, flashes)", () => {
    const value = [["user", { id: 1, roles: new Set(["admin"]), shared, again: shared }]];
    const json = toJSON(value, { plugins: writtenResults(describeError), disabledFeatures: DISABLED_FEATURES });
    const ours = readJSON<typeof value>(json, READ_PLUGINS);
    expect(ours).toStrictEqual(fromJSON(json, { plugins: READ_PLUGINS, disabledFeatures: DISABLED_FEATURES }));
    const [[, user]] = ours as [[string, { shared: object; again: object }]];
    expect(user.shared).toBe(user.again);
  });
});

describe("Sortie's reader refuses what Sortie never sends", () => {
  const read = (node: unknown) => createValueReader(READ_PLUGINS).read(node);

  it("RegExp, global references, Temporal and unknown kinds", () => {
    expect(() => read({ t: 6, i: 0, c: "a+", m: "" })).toThrow(/a RegExp/);
    expect(() => read({ t: 18, i: 0, s: "x" })).toThrow(UnreadableValueError);
    expect(() => read({ t: 36, i: 0, c: 0, s: "2026-01-01" })).toThrow(UnreadableValueError);
    expect(() => read({ t: 99 })).toThrow(/a kind of value Sortie does not send/);
    expect(() => read({ t: 25, i: 0, c: "evil/plugin", s: {} })).toThrow(/unknown kind "evil\/plugin"/);
  });

  it("malformed nodes: not a node, a bad list, a repeated id, a dangling reference, an unknown constant", () => {
    expect(() => read("text")).toThrow(/not a node/);
    expect(() => read({ t: 9, i: 0, a: "no" })).toThrow(/not an array/);
    expect(() => read({ t: 9, i: 0, a: [{ t: 10, i: 0, p: { k: [], v: [] } }] })).toThrow(/repeated id/);
    expect(() => read({ t: 4, i: 5 })).toThrow(/no earlier value/);
    expect(() => read({ t: 2, s: 42 })).toThrow(/unknown constant/);
    expect(() => read({ t: 15, i: 0, c: "Evil", f: { t: 19, i: 1, s: "AAAA" }, l: 1 })).toThrow(/unknown typed array/);
    expect(() => read({ t: 23, i: 3, a: [null, { t: 0, s: 1 }] })).toThrow(/not waiting/);
  });

  it("depth, bigint and base64 beyond their bounds", () => {
    let deep: unknown = { t: 0, s: 1 };
    for (let index = 0; index < 1005; index++) deep = { t: 9, i: index, a: [deep] };
    expect(() => read(deep)).toThrow(/deeper than 1000/);
    expect(() => read({ t: 3, s: "9".repeat(10_001) })).toThrow(/bigint too long/);
    expect(() => read({ t: 19, i: 0, s: "A".repeat(1_000_004) })).toThrow(/too large/);
  });

  it("abort rejects waiting promises and errors open streams; reading afterwards fails", async () => {
    const reader = createValueReader(READ_PLUGINS);
    const promise = reader.read({ t: 22, i: 0, s: 1 }) as Promise<unknown>;
    expect(reader.pending).toBe(1);
    reader.abort(new Error("connection lost"));
    await expect(promise).rejects.toThrow("connection lost");
    expect(reader.pending).toBe(0);
    expect(() => reader.read({ t: 0, s: 1 })).toThrow(ReaderClosedError);
  });
});
