import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DurableObjectSessionStore, MAX_OBJECT_SESSION_BYTES, type SessionObjectNamespace } from "../../../worker/session/durable-object.ts";
import { SessionStoreError, SessionTooLargeError } from "../../../worker/session/errors.ts";
import { KvSessionStore, MAX_SESSION_BYTES, recordKey, Retired, type SessionNamespace, type SessionStore } from "../../../worker/session/store.ts";
import { newSessionId } from "../../../worker/session/ticket.ts";

const kv = (env as unknown as { SESSIONS: KVNamespace }).SESSIONS;
const objects = (env as unknown as { SESSION_OBJECTS: SessionObjectNamespace }).SESSION_OBJECTS;

const stores: [string, () => SessionStore, number][] = [
  ["KV", () => new KvSessionStore(kv, "SESSIONS"), MAX_SESSION_BYTES],
  ["Durable Object", () => new DurableObjectSessionStore(objects, "SESSION_OBJECTS"), MAX_OBJECT_SESSION_BYTES],
];

describe.each(stores)("the %s session store", (_name, create, limit) => {
  it("reads what it wrote; a retired key answers Retired and refuses every later write", async () => {
    const store = create();
    const key = await recordKey("session", newSessionId());
    expect(await store.read(key)).toBeNull();
    expect(await store.write(key, '{"user":1}', 3600)).toBe(true);
    expect(await store.read(key)).toBe('{"user":1}');
    await store.retire(key, 3600);
    expect(await store.read(key)).toBeInstanceOf(Retired);
    expect(await store.write(key, '{"user":2}', 3600)).toBe(false);
    expect(await store.read(key)).toBeInstanceOf(Retired);
    await store.retire(key, 3600); // twice is fine (a parallel sign-in)
    expect(await store.read(key)).toBeInstanceOf(Retired);
  });

  it("refuses data over its value limit without writing", async () => {
    const store = create();
    const key = await recordKey("session", newSessionId());
    // Multi-byte text: the check counts UTF-8 bytes, not characters.
    const json = JSON.stringify({ text: "é".repeat(limit / 2) });
    await expect(store.write(key, json, 60)).rejects.toThrow(SessionTooLargeError);
    expect(await store.read(key)).toBeNull();
  });
});

describe("the KV session store", () => {
  it("keys entries by a hash of the id, with the TTL given", async () => {
    const store = new KvSessionStore(kv, "SESSIONS");
    const id = newSessionId();
    const key = await recordKey("session", id);
    expect(key).toMatch(/^session:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain(id);
    await store.write(key, '{"user":1}', 3600);
    const entry = (await kv.list()).keys.find((candidate) => candidate.name === key);
    expect(entry?.expiration).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 3599);
  });

  it("turns every KV fault into a 503 SessionStoreError naming the binding", async () => {
    const failing: SessionNamespace = {
      get: () => Promise.reject(new Error("network down")),
      put: () => Promise.reject(new Error("429 Too Many Requests")),
      delete: () => Promise.reject(new Error("network down")),
    };
    const store = new KvSessionStore(failing, "SESSIONS");
    for (const attempt of [() => store.read("x"), () => store.write("x", "{}", 60), () => store.retire("x", 60)]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SessionStoreError);
      expect(error).toMatchObject({ status: 503, message: expect.stringContaining('"SESSIONS"') });
    }
  });
});

describe("the Durable Object session store", () => {
  it("turns a missing or failing object into a 503 SessionStoreError naming the binding", async () => {
    const failing: SessionObjectNamespace = { idFromName: () => "x", get: () => ({ fetch: () => Promise.reject(new Error("object overloaded")) }) };
    const error = await new DurableObjectSessionStore(failing, "SESSION_OBJECTS").read("k").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error).toMatchObject({ status: 503, message: expect.stringContaining('Durable Object read on binding "SESSION_OBJECTS"') });
  });
});
