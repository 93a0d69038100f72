import { describe, expect, it } from "vitest";
import { createServerReference } from "../../../client/stub.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { serve, useClient } from "./serve.ts";

registerServerFunction("roundtrip/echo", async (...args: unknown[]) => args);
registerServerFunction("roundtrip/promise", async (ms: number) => ({ later: new Promise((resolve) => setTimeout(() => resolve(`after ${ms} ms`), ms)) }));
registerServerFunction("roundtrip/stream", async (count: number) => ({
  numbers: new ReadableStream<number>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      controller.enqueue(count--);
      if (count === 0) controller.close();
    },
  }),
}));
registerServerFunction("roundtrip/iterate", async function () {
  return (async function* () {
    yield "a";
    yield new Date(0);
  })();
});
registerServerFunction("roundtrip/file", async (form: FormData) => {
  const file = form.get("upload") as File;
  return { name: file.name, type: file.type, text: await file.text(), title: form.get("title"), isFile: file instanceof File };
});
registerServerFunction("roundtrip/blob", async (blob: Blob, file: File) => ({
  blobIsFile: blob instanceof File,
  blob: await blob.text(),
  file: [file.name, await file.text()],
}));

const echo = createServerReference<(...args: unknown[]) => Promise<unknown[]>>("roundtrip/echo");

describe("round trips through the real client stub and the endpoint", () => {
  useClient(serve());

  it("carries Date, Map, Set, BigInt, undefined and nested objects both ways", async () => {
    const args = [
      new Date("2026-01-02T03:04:05.678Z"),
      new Map<unknown, unknown>([["a", 1], [2, { b: [3n] }]]),
      new Set(["x", "y"]),
      12345678901234567890n,
      undefined,
      { deep: { er: [1, "two", null, undefined, -0, Number.NaN, Infinity] } },
      new URL("https://example.com/a?b=c"),
      new URLSearchParams("x=1&y=2"),
    ];
    const result = await echo(...args);
    expect(result).toEqual(args);
    expect(result[0]).toBeInstanceOf(Date);
    expect(result[1]).toBeInstanceOf(Map);
    expect(result[2]).toBeInstanceOf(Set);
    expect(typeof result[3]).toBe("bigint");
    expect(result).toHaveLength(args.length);
    expect(Object.is((result[5] as { deep: { er: unknown[] } }).deep.er[4], -0)).toBe(true);
  });

  it("keeps cycles and shared references", async () => {
    const shared = { name: "shared" };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    const [back] = (await echo(cyclic)) as [Record<string, unknown>];
    expect(back.self).toBe(back);
    expect(back.shared).toBe(back.again);
    expect(back.shared).toEqual(shared);
  });

  it("resolves a returned promise after the result arrived", async () => {
    const later = createServerReference<(ms: number) => Promise<{ later: Promise<string> }>>("roundtrip/promise");
    const result = await later(20);
    expect(result.later).toBeInstanceOf(Promise);
    await expect(result.later).resolves.toBe("after 20 ms");
  });

  it("streams a returned ReadableStream chunk by chunk", async () => {
    const stream = createServerReference<(count: number) => Promise<{ numbers: ReadableStream<number> }>>("roundtrip/stream");
    const { numbers } = await stream(3);
    const seen: number[] = [];
    for await (const value of numbers as unknown as AsyncIterable<number>) seen.push(value);
    expect(seen).toEqual([3, 2, 1]);
  });

  it("streams a returned async iterable", async () => {
    const iterate = createServerReference<() => Promise<AsyncIterable<unknown>>>("roundtrip/iterate");
    const seen: unknown[] = [];
    for await (const value of await iterate()) seen.push(value);
    expect(seen).toEqual(["a", new Date(0)]);
  });

  it("sends a File inside FormData as its own multipart part", async () => {
    const upload = createServerReference<(form: FormData) => Promise<Record<string, unknown>>>("roundtrip/file");
    const form = new FormData();
    form.append("title", "notes");
    form.append("upload", new File(["hello file"], "notes.txt", { type: "text/plain" }));
    expect(await upload(form)).toEqual({ name: "notes.txt", type: "text/plain", text: "hello file", title: "notes", isFile: true });
  });

  it("sends Blob and File arguments, keeping which is which", async () => {
    const blobs = createServerReference<(blob: Blob, file: File) => Promise<Record<string, unknown>>>("roundtrip/blob");
    expect(await blobs(new Blob(["just bytes"]), new File(["named"], "a.bin"))).toEqual({
      blobIsFile: false,
      blob: "just bytes",
      file: ["a.bin", "named"],
    });
  });

  it("binds leading arguments with .with() and sends them in the URL", async () => {
    const echo3 = createServerReference<(a: number, b: Date, c: string) => Promise<unknown[]>>("roundtrip/echo");
    const bound = echo3.with(1, new Date(5));
    expect(await bound("rest")).toEqual([1, new Date(5), "rest"]);
  });

  it("runs calls concurrently", async () => {
    const later = createServerReference<(ms: number) => Promise<{ later: Promise<string> }>>("roundtrip/promise");
    const started = Date.now();
    const results = await Promise.all([later(50), later(50), later(50)].map(async (call) => (await call).later));
    expect(results).toEqual(["after 50 ms", "after 50 ms", "after 50 ms"]);
    expect(Date.now() - started).toBeLessThan(140);
  });
});
