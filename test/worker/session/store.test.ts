import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SessionStoreError, SessionTooLargeError } from "../../../worker/session/errors.ts";
import { MAX_SESSION_BYTES, SessionStore, type SessionNamespace } from "../../../worker/session/store.ts";
import { newSessionId } from "../../../worker/session/ticket.ts";

const kv = (env as unknown as { SESSIONS: KVNamespace }).SESSIONS;

describe("session store", () => {
  it("keys entries by a hash of the id, with the TTL given", async () => {
    const store = new SessionStore(kv, "SESSIONS");
    const id = newSessionId();
    await store.write(id, '{"user":1}', 3600);
    expect(await store.read(id)).toBe('{"user":1}');
    const { keys } = await kv.list();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.name).toMatch(/^session:[A-Za-z0-9_-]{43}$/);
    expect(keys[0]!.name).not.toContain(id);
    expect(keys[0]!.expiration).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 3599);
    await store.remove(id);
    expect(await store.read(id)).toBeNull();
  });

  it("refuses data over KV's value limit without writing", async () => {
    const store = new SessionStore(kv, "SESSIONS");
    const id = newSessionId();
    // Multi-byte text: the check counts UTF-8 bytes, not characters.
    const json = JSON.stringify({ text: "é".repeat(MAX_SESSION_BYTES / 2) });
    await expect(store.write(id, json, 60)).rejects.toThrow(SessionTooLargeError);
    await expect(store.write(id, json, 60)).rejects.toThrow(/25 MiB/);
    expect(await store.read(id)).toBeNull();
  });

  it("turns every KV fault into a 503 SessionStoreError naming the binding", async () => {
    const failing: SessionNamespace = {
      get: () => Promise.reject(new Error("network down")),
      put: () => Promise.reject(new Error("429 Too Many Requests")),
      delete: () => Promise.reject(new Error("network down")),
    };
    const store = new SessionStore(failing, "SESSIONS");
    for (const attempt of [() => store.read("x"), () => store.write("x", "{}", 60), () => store.remove("x")]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SessionStoreError);
      expect(error).toMatchObject({ status: 503, message: expect.stringContaining('"SESSIONS"') });
    }
  });
});
