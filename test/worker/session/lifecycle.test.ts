import { describe, expect, it } from "vitest";
import { encodeBase64Url, utf8 } from "../../../worker/session/bytes.ts";
import { serve } from "../endpoint/serve.ts";
import type { Retired, Snapshot } from "./functions.ts";
import "./functions.ts";
import { bindings, setCookieFor, Visitor, watchedKv } from "./visitor.ts";

const COOKIE = "__Host-session";
const WEEK = 7 * 24 * 60 * 60;

/** A visitor of an app whose SESSIONS binding is the real KV with its calls counted. */
function visit() {
  const kv = watchedKv();
  return { visitor: new Visitor(serve({}, { ...bindings, SESSIONS: kv.namespace })), calls: kv.calls };
}

/** The KV entry of a session id, found the documented way: `session:` + base64url(SHA-256(id)). */
async function kvEntry(id: string) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(id)));
  const key = `session:${encodeBase64Url(digest)}`;
  const { keys } = await bindings.SESSIONS.list({ prefix: key });
  return { value: await bindings.SESSIONS.get(key), expiration: keys[0]?.expiration };
}

describe("a session through the real request path", () => {
  it("costs nothing when the function never asks for it", async () => {
    const { visitor, calls } = visit();
    await visitor.call("session/update", { user: "ada" });
    const cookie = visitor.jar.get(COOKIE);
    expect(await visitor.call("session/untouched")).toBe("no session used");
    expect(calls).toEqual({ get: 0, put: 1, delete: 0 });
    expect(visitor.setCookies).toEqual([]);
    expect(visitor.jar.get(COOKIE)).toBe(cookie);
  });

  it("reads no KV and writes nothing for a visitor without a cookie who changes nothing", async () => {
    const { visitor, calls } = visit();
    const { data } = await visitor.call<Snapshot>("session/read");
    expect(data).toEqual({});
    expect(calls).toEqual({ get: 0, put: 0, delete: 0 });
    expect(visitor.setCookies).toEqual([]);
  });

  it("writes once, sets a sealed __Host- cookie with the secure attributes, and reads it back once", async () => {
    const { visitor, calls } = visit();
    const created = await visitor.call<Snapshot>("session/update", { user: "ada", roles: ["admin"] });
    expect(calls).toEqual({ get: 0, put: 1, delete: 0 });

    const header = setCookieFor(visitor.setCookies, COOKIE)!;
    expect(visitor.setCookies).toHaveLength(1);
    const [pair, ...attributes] = header.split("; ");
    expect(pair).toMatch(/^__Host-session=v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(pair).not.toContain(created.id);
    expect(attributes.sort()).toEqual([`Max-Age=${WEEK}`, "HttpOnly", "Path=/", "SameSite=Lax", "Secure"].sort());

    const entry = await kvEntry(created.id);
    expect(JSON.parse(entry.value!)).toEqual({ user: "ada", roles: ["admin"] });
    expect(entry.expiration! - Date.now() / 1000).toBeGreaterThan(WEEK - 5);
    expect(entry.expiration! - Date.now() / 1000).toBeLessThanOrEqual(WEEK + 1);
    const { keys } = await bindings.SESSIONS.list();
    expect(keys.some((key) => key.name.includes(created.id))).toBe(false);

    const read = await visitor.call<Snapshot>("session/read");
    expect(read).toEqual(created);
    expect(calls).toEqual({ get: 1, put: 1, delete: 0 });
    expect(visitor.setCookies).toEqual([]);
  });

  it("skips the write when an update leaves the data as it was", async () => {
    const { visitor, calls } = visit();
    await visitor.call("session/update", { user: "ada" });
    await visitor.call("session/update", { user: "ada" });
    expect(calls).toEqual({ get: 1, put: 1, delete: 0 });
    expect(visitor.setCookies).toEqual([]);
  });

  it("saves functional updates and in-place changes to the data", async () => {
    const { visitor, calls } = visit();
    expect(await visitor.call("session/count")).toBe(1);
    expect(await visitor.call("session/count")).toBe(2);
    expect(await visitor.call("session/count")).toBe(3);
    const { data } = await visitor.call<Snapshot>("session/set-in-place", "theme", "dark");
    expect(data).toEqual({ count: 3, theme: "dark" });
    expect((await visitor.call<Snapshot>("session/read")).data).toEqual({ count: 3, theme: "dark" });
    expect(calls.put).toBe(4);
  });

  it("lets later code in the same request see the change without reading KV again", async () => {
    const { visitor, calls } = visit();
    await visitor.call("session/update", { a: 1 });
    const result = await visitor.call("session/update-then-reread", { b: 2 });
    expect(result).toEqual({ same: true, nested: { a: 1, b: 2 } });
    // The second request reads once to open, once more before its write (a tombstone check).
    expect(calls).toEqual({ get: 2, put: 2, delete: 0 });
  });

  it("clear() retires the id (a tombstone in KV) and expires the cookie; the old cookie then opens a fresh session", async () => {
    const { visitor, calls } = visit();
    const { id } = await visitor.call<Snapshot>("session/update", { user: "ada" });
    const stolen = visitor.jar.get(COOKIE)!;
    const cleared = await visitor.call<Retired>("session/clear");
    expect(cleared.before).toBe(id);
    expect(cleared.after).not.toBe(id);
    expect(cleared.data).toEqual({});
    // Open, then the tombstone (read first: a second retire in the same second would meet KV's write limit).
    expect(calls).toEqual({ get: 2, put: 2, delete: 0 });
    expect(setCookieFor(visitor.setCookies, COOKIE)).toMatch(/^__Host-session=; Max-Age=0;/);
    expect(visitor.jar.has(COOKIE)).toBe(false);
    expect((await kvEntry(id)).value).toMatch(/^retired:\d{13}$/);

    visitor.jar.set(COOKIE, stolen);
    const replay = await visitor.call<Snapshot>("session/read");
    expect(replay.data).toEqual({});
    expect(replay.id).not.toBe(id);
  });

  it("clear() followed by an update starts a new session under a new id (a flash after sign-out)", async () => {
    const { visitor, calls } = visit();
    const { id } = await visitor.call<Snapshot>("session/update", { user: "ada" });
    const after = await visitor.call<Retired>("session/clear-then-flash", "Signed out");
    expect(after.before).toBe(id);
    expect(after.after).not.toBe(id);
    expect(after.data).toEqual({ flash: "Signed out" });
    expect(calls).toEqual({ get: 2, put: 3, delete: 0 });
    expect((await kvEntry(id)).value).toMatch(/^retired:\d{13}$/);
    expect((await visitor.call<Snapshot>("session/read")).data).toEqual({ flash: "Signed out" });
  });

  it("regenerate() moves the data to a new id, retires the old one and reissues the cookie", async () => {
    const { visitor, calls } = visit();
    const { id } = await visitor.call<Snapshot>("session/update", { cart: [1, 2] });
    const fixated = visitor.jar.get(COOKIE)!;
    const signedIn = await visitor.call<Retired>("session/sign-in", "ada");
    expect(signedIn.before).toBe(id);
    expect(signedIn.after).not.toBe(id);
    expect(signedIn.data).toEqual({ cart: [1, 2], user: "ada" });
    // The new id's write (no check: it was born here), the old id's tombstone (read first).
    expect(calls).toEqual({ get: 2, put: 3, delete: 0 });
    expect(visitor.jar.get(COOKIE)).not.toBe(fixated);
    expect((await kvEntry(id)).value).toMatch(/^retired:\d{13}$/);
    expect(JSON.parse((await kvEntry(signedIn.after)).value!)).toEqual({ cart: [1, 2], user: "ada" });
    expect(await visitor.call<Snapshot>("session/read")).toEqual({ id: signedIn.after, data: signedIn.data });

    // The cookie from before sign-in (say, planted by an attacker) no longer opens anything.
    const attacker = new Visitor(serve());
    attacker.jar.set(COOKIE, fixated);
    expect((await attacker.call<Snapshot>("session/read")).data).toEqual({});
  });

  it("regenerate() alone keeps the data under the new id with one write", async () => {
    const { visitor, calls } = visit();
    await visitor.call("session/update", { user: "ada" });
    const { after, data } = await visitor.call<Retired>("session/regenerate");
    expect(data).toEqual({ user: "ada" });
    expect(calls).toEqual({ get: 2, put: 3, delete: 0 });
    expect(await visitor.call<Snapshot>("session/read")).toEqual({ id: after, data: { user: "ada" } });
  });

  it("retires the id and removes the cookie when an update empties the data", async () => {
    const { visitor, calls } = visit();
    const { id } = await visitor.call<Snapshot>("session/update", { user: "ada" });
    expect((await visitor.call<Snapshot>("session/update", { user: undefined })).data).toEqual({ user: undefined });
    expect(calls).toEqual({ get: 2, put: 2, delete: 0 });
    expect(visitor.jar.has(COOKIE)).toBe(false);
    expect((await kvEntry(id)).value).toMatch(/^retired:\d{13}$/);
  });
});
