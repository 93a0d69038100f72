import { afterEach, describe, expect, it, vi } from "vitest";
import { onCallRecord, type CallRecord } from "../../../client/records.ts";
import { createServerReference, setTransport } from "../../../client/stub.ts";
import { ServerError } from "../../../common/errors.ts";
import { redirect } from "../../../worker/request/redirect.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { bodyText, serve, useClient } from "./serve.ts";

registerServerFunction("wire/rename", async (_id: number, _title: string) => undefined);
registerServerFunction("wire/logout", async () => {
  throw redirect("/login");
});

// Stands in for single flight: one fresh query after the action, and one that failed.
const fetch = serve({
  async *followUp(event) {
    if (!event.url.pathname.endsWith("rename")) return;
    yield { type: "query", key: "todos", args: [], value: [{ id: 1, title: "Buy oat milk", done: false }] };
    yield { type: "query", key: "todo", args: [2], error: new Error("D1 timed out (secret)") };
  },
});

afterEach(() => {
  vi.restoreAllMocks();
  delete (globalThis as { location?: unknown }).location;
  delete (globalThis as { sessionStorage?: unknown }).sessionStorage;
});

describe("response framing", () => {
  useClient(fetch);

  it("is one JSON record per line: the action's result first, then single flight's queries — small", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await fetch("/_server/wire%2Frename", {
      method: "POST",
      headers: { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" },
      body: JSON.stringify({ t: { t: 9, i: 0, a: [{ t: 0, s: 1 }, { t: 1, s: "Buy oat milk" }], o: 0 }, f: 0, m: [] }),
    });
    const text = await bodyText(response);
    const lines = text.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(lines[0]!)).toEqual(["r"]);
    expect(lines[1]).toMatchObject({ q: "todos" });
    expect(lines[2]).toMatchObject({ q: "todo" });
    expect(text).not.toContain("secret");
    // The demo's rename: result undefined plus one small query record.
    const renameBytes = new TextEncoder().encode(text.split("\n").slice(0, 2).join("\n") + "\n").byteLength;
    expect(renameBytes).toBeLessThanOrEqual(300);
  });

  it("hands query records to listeners, errors as ServerError, and resolves the call with its result", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const records: CallRecord[] = [];
    const stop = onCallRecord((record) => records.push(record));
    const rename = createServerReference<(id: number, title: string) => Promise<undefined>>("wire/rename");
    await expect(rename(1, "Buy oat milk")).resolves.toBeUndefined();
    await vi.waitFor(() => expect(records).toHaveLength(2));
    stop();
    expect(records[0]).toEqual({ type: "query", key: "todos", args: [], value: [{ id: 1, title: "Buy oat milk", done: false }] });
    const failed = records[1] as { error: ServerError; args: unknown[] };
    expect(failed.args).toEqual([2]);
    expect(failed.error).toBeInstanceOf(ServerError);
    expect(failed.error.message).toBe("Internal Server Error");
  });

  it("navigates by itself on a redirect record when no router listens", async () => {
    const assign = vi.fn();
    Object.assign(globalThis, { location: { pathname: "/account", search: "", reload: vi.fn(), assign } });
    await createServerReference<() => Promise<unknown>>("wire/logout")();
    expect(assign).toHaveBeenCalledWith("/login");
  });
});

describe("version skew", () => {
  useClient(fetch);

  const rename = createServerReference<(id: number, title: string) => Promise<undefined>>("wire/rename");
  const gone = createServerReference<() => Promise<unknown>>("app/old.ts#removed");

  /** A page in a tab whose sessionStorage outlives reloads; returns the reload spy. */
  function page(storage: Map<string, string>) {
    const reload = vi.fn();
    Object.assign(globalThis, {
      location: { pathname: "/todos", search: "?page=2", reload, assign: vi.fn() },
      sessionStorage: {
        getItem: (key: string) => storage.get(key) ?? null,
        setItem: (key: string, value: string) => storage.set(key, value),
        removeItem: (key: string) => storage.delete(key),
      },
    });
    return reload;
  }

  async function expectSkewError(call: Promise<unknown>): Promise<void> {
    const error = await call.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(404);
    expect((error as ServerError).data).toEqual({ code: "unknown-function" });
  }

  it("rejects with the unknown-function marker and reloads the page, at most once in 30 s", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const now = vi.spyOn(Date, "now").mockReturnValue(1_000_000);
    const storage = new Map<string, string>();
    const reload = page(storage);
    await expectSkewError(gone());
    expect(reload).toHaveBeenCalledTimes(1);
    await expectSkewError(gone());
    expect(reload).toHaveBeenCalledTimes(1);

    // A later deployment's skew, minutes on, reloads again.
    now.mockReturnValue(1_000_000 + 30_000);
    await expectSkewError(gone());
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it("does not loop when each fresh page makes a successful call before the missing one", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const now = vi.spyOn(Date, "now").mockReturnValue(5_000_000);
    const storage = new Map<string, string>();
    // Each page load (the demo's view counter): one call that works, then the missing function.
    for (let load = 0; load < 3; load++) {
      const reload = page(storage);
      await rename(1, "x");
      await expectSkewError(gone());
      expect(reload).toHaveBeenCalledTimes(load === 0 ? 1 : 0);
      now.mockReturnValue(5_000_000 + (load + 1) * 2_000);
    }
  });

  it("never reloads without sessionStorage (privacy modes)", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const reload = vi.fn();
    Object.assign(globalThis, { location: { pathname: "/", search: "", reload, assign: vi.fn() } });
    await expectSkewError(gone());
    expect(reload).not.toHaveBeenCalled();
  });
});

describe("a response that is not Sortie's", () => {
  it("rejects with the HTTP status when a proxy answers instead of the Worker", async () => {
    setTransport(async () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "Content-Type": "text/html" } }));
    const error = await createServerReference<() => Promise<unknown>>("wire/rename")().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(502);
  });

  it("rejects with 502 when something in between answers 200 with its own page", async () => {
    setTransport(async () => new Response("<html>Sign in to the Wi-Fi</html>", { headers: { "Content-Type": "text/html" } }));
    const error = await createServerReference<() => Promise<unknown>>("wire/rename")().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ServerError);
    expect([(error as ServerError).status, (error as ServerError).message]).toEqual([502, "Calling server function wire/rename failed with HTTP 200"]);
  });

  it("rejects when the records stop before the result", async () => {
    setTransport(async () => new Response('{"n":{"t":0,"s":1}}\n', { headers: { "Content-Type": "application/x-sortie-stream" } }));
    await expect(createServerReference<() => Promise<unknown>>("wire/rename")()).rejects.toThrow("ended early");
  });
});
