import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { ServerError } from "../../../common/errors.ts";
import type { FollowUp } from "../../../worker/endpoint/outcome.ts";
import { SessionConfigError } from "../../../worker/session/errors.ts";
import { useSession } from "../../../worker/session/session.ts";
import { MAX_SESSION_BYTES } from "../../../worker/session/store.ts";
import { createSortie } from "../../../worker/app.ts";
import { serve } from "../endpoint/serve.ts";
import type { Snapshot } from "./functions.ts";
import "./functions.ts";
import { bindings, setCookieFor, Visitor, watchedKv } from "./visitor.ts";

const COOKIE = "__Host-session";
const development = { ...bindings, SORTIE_ENV: "development" };

// Hidden errors are logged: keep the expected ones out of the test output (one test reads them).
let log: MockInstance<typeof console.error>;
beforeEach(() => {
  log = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The error a call rejects with (a ServerError on the client, as a browser would see it). */
async function failure(call: Promise<unknown>): Promise<ServerError> {
  const error: unknown = await call.catch((reason: unknown) => reason);
  expect(error).toBeInstanceOf(ServerError);
  return error as ServerError;
}

describe("misconfiguration fails loudly", () => {
  it("names SESSION_SECRET when it is missing, and hides it in production but logs it", async () => {
    const { SESSION_SECRET: _, ...withoutSecret } = development;
    const dev = await failure(new Visitor(serve({}, withoutSecret)).call("session/read"));
    expect(dev.status).toBe(500);
    expect(dev.message).toMatch(/SESSION_SECRET secret is missing/);
    expect(dev.message).toMatch(/\.dev\.vars/);
    expect(dev.message).toMatch(/wrangler secret put SESSION_SECRET/);

    const { SESSION_SECRET: __, ...productionWithoutSecret } = bindings;
    const production = await failure(new Visitor(serve({}, productionWithoutSecret)).call("session/read"));
    expect(production.message).toBe("Internal Server Error");
    expect(production.errorId).toBeDefined();
    expect(String(log.mock.calls.flat().join(" "))).toMatch(/SessionConfigError: The SESSION_SECRET secret is missing/);
  });

  it("names SESSION_SECRET and the 32-character minimum when it is short", async () => {
    const error = await failure(new Visitor(serve({}, { ...development, SESSION_SECRET: "too-short" })).call("session/read"));
    expect(error.message).toMatch(/SESSION_SECRET secret is 9 characters; a session password needs at least 32/);
  });

  it("SESSION_SECRET may list passwords separated by whitespace (rotation); a secret of short words stays one password", async () => {
    const older = "an-older-password-0123456789-abcdefghij";
    // Sealed with the older password alone, opened while it is second in the list.
    const before = new Visitor(serve({}, { ...development, SESSION_SECRET: older }));
    await before.call("session/update", { hello: "rotation" });
    const after = new Visitor(serve({}, { ...development, SESSION_SECRET: `${bindings.SESSION_SECRET}\n ${older}` }));
    for (const [name, value] of before.jar) after.jar.set(name, value);
    expect(await after.call<Snapshot>("session/read")).toMatchObject({ data: { hello: "rotation" } });
    // Words: each shorter than a password, together one secret of 39 characters.
    const words = new Visitor(serve({}, { ...development, SESSION_SECRET: "correct horse battery staple and then some" }));
    await words.call("session/update", { hello: "words" });
    expect(words.status).toBe(200);
  });

  it("names the short entry of a password list", async () => {
    const visitor = new Visitor(serve({}, development));
    const error = await failure(visitor.call("session/read", { password: [bindings.SESSION_SECRET, "short"] }));
    expect(error.message).toMatch(/password #2 of the list is 5 characters/);
    expect((await failure(visitor.call("session/read", { password: [] }))).message).toMatch(/list is empty/);
  });

  it("names the KV binding when it is missing", async () => {
    const { SESSIONS: _, ...withoutKv } = development;
    const error = await failure(new Visitor(serve({}, withoutKv)).call("session/read"));
    expect(error.message).toMatch(/KV binding "SESSIONS" is missing/);
    expect(error.message).toMatch(/wrangler\.toml/);
    const renamed = await failure(new Visitor(serve({ session: { binding: "AUTH" } }, development)).call("session/read"));
    expect(renamed.message).toMatch(/KV binding "AUTH" is missing/);
  });

  it("refuses a maxAge under KV's 60 s TTL floor, at createSortie() and per call", async () => {
    expect(() => createSortie({ session: { maxAge: 59 } })).toThrow(SessionConfigError);
    expect(() => createSortie({ session: { maxAge: 59 } })).toThrow(/maxAge is 59.*60/);
    expect(() => createSortie({ session: { password: "short" } })).toThrow(/at least 32/);
    expect(() => createSortie({ session: { name: "__Host-x" } })).toThrow(/prefix/);
    const error = await failure(new Visitor(serve({}, development)).call("session/read", { maxAge: 30.5 }));
    expect(error.message).toMatch(/maxAge is 30\.5/);
    expect(createSortie({ session: { maxAge: 60 } })).toBeDefined();
  });

  it("refuses two useSession() calls in one request that disagree on the options", async () => {
    const error = await failure(new Visitor(serve({}, development)).call("session/conflicting-options"));
    expect(error.message).toMatch(/called twice in one request for cookie "__Host-session" with different options/);
  });
});

describe("a failing KV store answers 503 and leaves nothing half-written", () => {
  async function signedIn() {
    const visitor = new Visitor(serve());
    const { id } = await visitor.call<Snapshot>("session/update", { user: "ada" });
    return { visitor, id, cookie: visitor.jar.get(COOKIE)! };
  }

  function withFailing(operation: "get" | "put" | "delete", cookie: string) {
    const kv = watchedKv({ [operation]: new Error(`KV ${operation} exploded`) });
    const visitor = new Visitor(serve({}, { ...bindings, SESSIONS: kv.namespace }));
    visitor.jar.set(COOKIE, cookie);
    return { visitor, calls: kv.calls };
  }

  it("a failed read", async () => {
    const { cookie } = await signedIn();
    const { visitor } = withFailing("get", cookie);
    const error = await failure(visitor.call("session/read"));
    expect(visitor.status).toBe(503);
    expect(error.status).toBe(503);
    expect(error.message).toBe('The session store is unavailable (KV read on binding "SESSIONS" failed); try again shortly');
    expect(visitor.setCookies).toEqual([]);
    expect(log.mock.calls.flat().join(" ")).toMatch(/KV read on binding "SESSIONS" failed: Error: KV get exploded/);
  });

  it("a failed write keeps the old data and sends no cookie", async () => {
    const { visitor: owner, cookie } = await signedIn();
    const { visitor } = withFailing("put", cookie);
    const error = await failure(visitor.call("session/update", { user: "mallory" }));
    expect(visitor.status).toBe(503);
    expect(error.message).toMatch(/KV write on binding "SESSIONS" failed/);
    expect(visitor.setCookies).toEqual([]);
    expect((await owner.call<Snapshot>("session/read")).data).toEqual({ user: "ada" });
  });

  it("a failed write on sign-in keeps the old session whole", async () => {
    const { visitor: owner, id, cookie } = await signedIn();
    const { visitor, calls } = withFailing("put", cookie);
    await failure(visitor.call("session/sign-in", "grace"));
    expect(calls.delete).toBe(0);
    expect(visitor.setCookies).toEqual([]);
    expect(await owner.call<Snapshot>("session/read")).toEqual({ id, data: { user: "ada" } });
  });

  it("a failed tombstone on sign-out keeps the session and the cookie, and says the session change was not saved", async () => {
    const { visitor: owner, id, cookie } = await signedIn();
    const { visitor } = withFailing("put", cookie);
    const error = await failure(visitor.call("session/clear"));
    expect(visitor.status).toBe(503);
    expect(error.message).toMatch(/^The request's work is done and stands, but its session change was not saved: The session store is unavailable \(KV write on binding "SESSIONS" failed\)/);
    expect(visitor.setCookies).toEqual([]);
    expect(await owner.call<Snapshot>("session/read")).toEqual({ id, data: { user: "ada" } });
  });
});

describe("KV's value size limit", () => {
  it("stores and reads back data of exactly 25 MiB", async () => {
    const visitor = new Visitor(serve());
    const bytes = MAX_SESSION_BYTES;
    expect(await visitor.call("session/fill", bytes)).toBe(bytes);
    expect(visitor.jar.has(COOKIE)).toBe(true);
    expect(await visitor.call("session/blob-size")).toBe(bytes - JSON.stringify({ blob: "" }).length);
  });

  it("refuses data over 25 MiB with a clear error and writes nothing", async () => {
    const kv = watchedKv();
    const visitor = new Visitor(serve({}, { ...development, SESSIONS: kv.namespace }));
    const error = await failure(visitor.call("session/fill", MAX_SESSION_BYTES + 1));
    expect(error.status).toBe(500);
    expect(error.message).toMatch(/Session data is 26214401 bytes as JSON; a KV value \(25 MiB\) holds at most 26214400 bytes in one value/);
    expect(kv.calls.put).toBe(0);
    expect(visitor.setCookies).toEqual([]);
  });
});

describe("concurrent requests carrying the same session", () => {
  it("all read the same data with one KV read each", async () => {
    const kv = watchedKv();
    const visitor = new Visitor(serve({}, { ...bindings, SESSIONS: kv.namespace }));
    const { id } = await visitor.call<Snapshot>("session/update", { user: "ada" });
    const reads = await Promise.all(Array.from({ length: 8 }, () => visitor.call<Snapshot>("session/read")));
    for (const read of reads) expect(read).toEqual({ id, data: { user: "ada" } });
    expect(kv.calls).toEqual({ get: 8, put: 1, delete: 0 });
  });

  it("both succeed when both write; the last write wins whole (no merge)", async () => {
    const visitor = new Visitor(serve());
    await visitor.call("session/update", { user: "ada" });
    const [first, second] = await Promise.all([
      visitor.call<Snapshot>("session/update", { theme: "dark" }),
      visitor.call<Snapshot>("session/update", { locale: "fr" }),
    ]);
    expect(first.data).toEqual({ user: "ada", theme: "dark" });
    expect(second.data).toEqual({ user: "ada", locale: "fr" });
    const { data } = await visitor.call<Snapshot>("session/read");
    expect([first.data, second.data]).toContainEqual(data);
  });
});

describe("after the response started (single flight's re-run queries)", () => {
  function followUpReading(seen: unknown[]): FollowUp {
    return () =>
      (async function* () {
        const session = await useSession();
        seen.push(structuredClone(session.data));
        try {
          session.update({ late: true });
        } catch (error) {
          seen.push(error);
        }
      })();
  }

  it("sees the function's change without a second read, and refuses changes it could no longer save", async () => {
    const seen: unknown[] = [];
    const kv = watchedKv();
    const visitor = new Visitor(serve({ followUp: followUpReading(seen) }, { ...bindings, SESSIONS: kv.namespace }));
    await visitor.call("session/update", { user: "ada" });
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[0]).toEqual({ user: "ada" });
    expect(seen[1]).toMatchObject({ name: "SessionClosedError", message: expect.stringMatching(/session\.update\(\) was called after the response started/) });
    expect(kv.calls).toEqual({ get: 0, put: 1, delete: 0 });
  });

  it("can still open the session read-only when the function never touched it", async () => {
    const seen: unknown[] = [];
    const owner = new Visitor(serve());
    await owner.call("session/update", { user: "ada" });
    const visitor = new Visitor(serve({ followUp: followUpReading(seen) }));
    visitor.jar.set(COOKIE, owner.jar.get(COOKIE)!);
    await visitor.call("session/untouched");
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[0]).toEqual({ user: "ada" });
    expect(seen[1]).toMatchObject({ name: "SessionClosedError" });
    expect(setCookieFor(visitor.setCookies, COOKIE)).toBeUndefined();
  });
});
