import { describe, expect, it } from "vitest";
import { deriveSessionKey } from "../../../worker/session/keys.ts";
import { recordKey, Retired } from "../../../worker/session/store.ts";
import { newSessionId, sealTicket } from "../../../worker/session/ticket.ts";
import { serve } from "../endpoint/serve.ts";
import type { Snapshot } from "./functions.ts";
import "./functions.ts";
import { bindings, sessionRecords, setCookieFor, Visitor, watchedKv } from "./visitor.ts";

const COOKIE = "__Host-session";
const OLD = "old-password-0123456789-abcdefghijklmnop";
const NEW = "new-password-0123456789-abcdefghijklmnop";
const now = () => Math.floor(Date.now() / 1000);

/** A cookie sealed the way Sortie seals it, for a session whose data is already in KV. */
async function storedSession(data: object, { password = bindings.SESSION_SECRET, expiresAt = now() + 3600 } = {}) {
  const id = newSessionId();
  await sessionRecords().write(id, JSON.stringify(data), 3600);
  return { id, cookie: await sealTicket({ id, expiresAt }, await deriveSessionKey(password), COOKIE) };
}

describe("cookies that do not open a session", () => {
  it("start a fresh empty session without reading KV, and are expired", async () => {
    const { cookie } = await storedSession({ user: "ada" });
    const [version, kid, iv, ciphertext] = cookie.split(".") as [string, string, string, string];
    const other = (text: string) => (text.startsWith("A") ? "B" : "A") + text.slice(1);
    const unusable = {
      tampered: `${version}.${kid}.${iv}.${other(ciphertext)}`,
      "tampered iv": `${version}.${kid}.${other(iv)}.${ciphertext}`,
      truncated: cookie.slice(0, -10),
      "missing part": `${version}.${kid}.${iv}`,
      "unknown version": `v9.${kid}.${iv}.${ciphertext}`,
      "foreign key": (await storedSession({ user: "ada" }, { password: OLD })).cookie,
      expired: (await storedSession({ user: "ada" }, { expiresAt: now() - 1 })).cookie,
      garbage: "not-a-session",
      empty: "",
      "percent-encoded junk": "%E2%82%AC%ZZ",
    };
    for (const [what, value] of Object.entries(unusable)) {
      const kv = watchedKv();
      const visitor = new Visitor(serve({}, { ...bindings, SESSIONS: kv.namespace }));
      visitor.jar.set(COOKIE, value);
      const { data } = await visitor.call<Snapshot>("session/read");
      expect(data, what).toEqual({});
      expect(kv.calls, what).toEqual({ get: 0, put: 0, delete: 0 });
      expect(setCookieFor(visitor.setCookies, COOKIE), what).toMatch(/Max-Age=0/);
    }
  });

  it("a valid cookie whose KV entry is gone opens a fresh session under a new id", async () => {
    const { id, cookie } = await storedSession({ user: "ada" });
    await sessionRecords().remove(id);
    const kv = watchedKv();
    const visitor = new Visitor(serve({}, { ...bindings, SESSIONS: kv.namespace }));
    visitor.jar.set(COOKIE, cookie);
    const fresh = await visitor.call<Snapshot>("session/update", { user: "grace" });
    expect(fresh.id).not.toBe(id);
    expect(fresh.data).toEqual({ user: "grace" });
    expect(kv.calls).toEqual({ get: 1, put: 1, delete: 0 });
    expect(visitor.jar.get(COOKIE)).not.toBe(cookie);
  });

  it("a cookie naming a session retired long ago (its sign-out answer was lost) names nothing: a new session starts", async () => {
    const { id, cookie } = await storedSession({ user: "ada" });
    // A tombstone written two minutes ago, past the minute in which a parallel answer may still arrive.
    await bindings.SESSIONS.put(await recordKey("session", id), `retired:${Date.now() - 120_000}`, { expirationTtl: 3600 });
    const visitor = new Visitor(serve());
    visitor.jar.set(COOKIE, cookie);
    const fresh = await visitor.call<Snapshot>("session/update", { cart: [1] });
    expect(fresh.id).not.toBe(id);
    expect(visitor.jar.get(COOKIE)).not.toBe(cookie);
    expect((await visitor.call<Snapshot>("session/read")).data).toEqual({ cart: [1] });
    // Within that minute the same cookie's change is dropped, and no cookie is sent.
    const { id: recent, cookie: recentCookie } = await storedSession({ user: "ada" });
    await sessionRecords().retire(recent);
    const straggler = new Visitor(serve());
    straggler.jar.set(COOKIE, recentCookie);
    await straggler.call<Snapshot>("session/update", { cart: [2] });
    expect(straggler.setCookies).toEqual([]);
  });

  it("an unparseable KV entry (edited by hand) opens as empty data and is retired", async () => {
    const { id, cookie } = await storedSession({});
    await sessionRecords().write(id, "{not json", 3600);
    const visitor = new Visitor(serve());
    visitor.jar.set(COOKIE, cookie);
    expect((await visitor.call<Snapshot>("session/read")).data).toEqual({});
    expect(await sessionRecords().read(id)).toBeInstanceOf(Retired);
    expect(visitor.jar.has(COOKIE)).toBe(false);
  });
});

describe("password rotation", () => {
  it("opens cookies sealed with any listed password and reseals old ones with the first, without a KV write", async () => {
    const before = new Visitor(serve({ session: { password: OLD } }));
    const { id } = await before.call<Snapshot>("session/update", { user: "ada" });
    const oldCookie = before.jar.get(COOKIE)!;
    expect(oldCookie.startsWith(`v1.${(await deriveSessionKey(OLD)).id}.`)).toBe(true);

    const kv = watchedKv();
    const rotating = new Visitor(serve({ session: { password: [NEW, OLD] } }, { ...bindings, SESSIONS: kv.namespace }));
    rotating.jar.set(COOKIE, oldCookie);
    expect(await rotating.call<Snapshot>("session/read")).toEqual({ id, data: { user: "ada" } });
    // A second read before resealing: a session retired meanwhile gets no fresh cookie.
    expect(kv.calls).toEqual({ get: 2, put: 0, delete: 0 });
    const resealed = rotating.jar.get(COOKIE)!;
    expect(resealed.startsWith(`v1.${(await deriveSessionKey(NEW)).id}.`)).toBe(true);
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookieFor(rotating.setCookies, COOKIE)!)![1]);
    expect(maxAge).toBeGreaterThan(7 * 24 * 3600 - 10);
    expect(maxAge).toBeLessThanOrEqual(7 * 24 * 3600);

    // Once the old password is dropped, only the resealed cookie still opens the session.
    await rotating.call("session/read");
    expect(rotating.setCookies).toEqual([]);
    const after = new Visitor(serve({ session: { password: NEW } }));
    after.jar.set(COOKIE, resealed);
    expect((await after.call<Snapshot>("session/read")).data).toEqual({ user: "ada" });
    after.jar.set(COOKIE, oldCookie);
    expect((await after.call<Snapshot>("session/read")).data).toEqual({});
  });
});

describe("cookie attributes", () => {
  it("uses the plain name and no Secure on http://localhost, so wrangler dev works", async () => {
    const visitor = new Visitor(serve(), "http://localhost:8787");
    await visitor.call("session/update", { user: "ada" });
    const header = setCookieFor(visitor.setCookies, "session")!;
    expect(header).toBeDefined();
    expect(header).not.toMatch(/Secure/);
    expect(header).toMatch(/HttpOnly/);
    expect(visitor.jar.has(COOKIE)).toBe(false);
    expect((await visitor.call<Snapshot>("session/read")).data).toEqual({ user: "ada" });
  });

  it("takes the name, maxAge and attributes from createSortie({ session }), per call options on top", async () => {
    const visitor = new Visitor(serve({ session: { name: "sid", maxAge: 3600, cookie: { sameSite: "Strict" } } }));
    const { id } = await visitor.call<Snapshot>("session/update", { user: "ada" });
    const header = setCookieFor(visitor.setCookies, "__Host-sid")!;
    expect(header).toMatch(/Max-Age=3600/);
    expect(header).toMatch(/SameSite=Strict/);
    const { keys } = await bindings.SESSIONS.list();
    const expirations = keys.map((key) => key.expiration! - now());
    expect(expirations.some((seconds) => seconds > 3590 && seconds <= 3601)).toBe(true);

    const other = await visitor.call<Snapshot>("session/update", { theme: "dark" }, { name: "prefs" });
    expect(other.id).not.toBe(id);
    expect(visitor.jar.has("__Host-prefs")).toBe(true);
    expect((await visitor.call<Snapshot>("session/read")).data).toEqual({ user: "ada" });
    expect((await visitor.call<Snapshot>("session/read", { name: "prefs" })).data).toEqual({ theme: "dark" });
  });

  it("falls back to __Secure- when a Domain or a narrower Path rules out __Host-", async () => {
    const visitor = new Visitor(serve({ session: { cookie: { domain: "app.example", path: "/shop" } } }));
    await visitor.call("session/update", { user: "ada" });
    const header = setCookieFor(visitor.setCookies, "__Secure-session")!;
    expect(header).toMatch(/Domain=app\.example/);
    expect(header).toMatch(/Path=\/shop/);
    expect(header).toMatch(/Secure/);
  });
});
