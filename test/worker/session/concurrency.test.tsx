// One browser, many requests at once (double clicks, several tabs, a form posted while a call
// runs), against both session stores in workerd: real KV and real Durable Objects.
//
// KV's limit of one write per second per key is not enforced by local KV, so the KV store runs
// on a wrapper that refuses a second write to a key within a second: an EMULATION of
// production KV, not KV itself. What KV cannot guarantee (it has no conditional write), the
// tests below state in the weaker form they check.
import { describe, expect, it } from "vitest";
import { ServerError } from "../../../common/errors.ts";
import { RETURN_FIELD, actionUrl } from "../../../common/forms.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { useSession } from "../../../worker/session/session.ts";
import { recordKey, Retired, type SessionNamespace } from "../../../worker/session/store.ts";
import { DurableObjectSessionStore, type SessionObjectNamespace } from "../../../worker/session/durable-object.ts";
import { KvSessionStore } from "../../../worker/session/store.ts";
import { useSubmission } from "../../../worker/forms/submission.ts";
import { serve } from "../endpoint/serve.ts";
import { FormBrowser, textOf } from "../forms/browser.ts";
import type { Snapshot } from "./functions.ts";
import "./functions.ts";
import { bindings, Visitor } from "./visitor.ts";

const COOKIE = "__Host-session";
const objects = (bindings as unknown as { SESSION_OBJECTS: SessionObjectNamespace }).SESSION_OBJECTS;

/** EMULATION: KV as production enforces it, one write (put or delete) per key per second. */
function oneWritePerSecond(kv: KVNamespace): SessionNamespace {
  const lastWrite = new Map<string, number>();
  const limit = (key: string) => {
    const now = Date.now();
    if (now - (lastWrite.get(key) ?? -Infinity) < 1_000) throw new Error(`KV PUT failed: 429 Too Many Requests (emulated limit, key ${key})`);
    lastWrite.set(key, now);
  };
  return {
    get: (key) => kv.get(key),
    put: async (key, value, options) => (limit(key), kv.put(key, value, options)),
    delete: async (key) => (limit(key), kv.delete(key)),
  };
}

// A protected action that leaves the session alone (a create, a rename, a delete).
registerServerFunction("concurrency/post", async () => {
  const { user } = (await useSession()).data;
  if (typeof user !== "string") throw new ServerError("Unauthorized", { status: 401 });
  return `posted as ${user}`;
});

// Loads the session, says so, waits for the test, then changes it: a request that started
// before a sign-out and ends after it.
const gates = new Map<string, { loaded: () => void; open: Promise<void> }>();
registerServerFunction("concurrency/update-after-gate", async (gate: string) => {
  const session = await useSession();
  const { loaded, open } = gates.get(gate)!;
  loaded();
  await open;
  session.update({ theme: "dark" });
  return session.id;
});

function gate() {
  const name = crypto.randomUUID();
  let loaded!: () => void;
  let open!: () => void;
  const entry = { loaded: new Promise<void>((resolve) => (loaded = resolve)), opened: new Promise<void>((resolve) => (open = resolve)) };
  gates.set(name, { loaded, open: entry.opened });
  return { name, loaded: entry.loaded, open };
}

// A form post that leaves the session alone, and pages that show its flash.
const note = registerServerFunction("concurrency/note", async (form: FormData) => `noted ${String(form.get("text"))}`);
const routes = defineRoutes([{ path: "/notes/:n", component: () => <p id="result">{String(useSubmission(note)?.result ?? "none")}</p> }]);
const manifest = { entry: "/assets/entry.js", imports: [], css: [] };

const STORES = [
  { name: "KV (one write per second per key, emulated)", store: "kv" as const },
  { name: "Durable Objects", store: "durable-object" as const },
];

describe.each(STORES)("concurrent requests of one browser, sessions in $name", ({ store }) => {
  const app = () => serve({ routes, manifest, session: { store } }, { ...bindings, SESSIONS: oneWritePerSecond(bindings.SESSIONS) });
  const records = () => (store === "kv" ? new KvSessionStore(bindings.SESSIONS, "SESSIONS") : new DurableObjectSessionStore(objects, "SESSION_OBJECTS"));

  it("10 session-changing requests at once (2 sign-ins, 8 protected posts): the browser stays signed in", async () => {
    const visitor = new Visitor(app());
    await visitor.call("session/sign-in", "ada");
    const calls = [
      visitor.call("session/sign-in", "grace"),
      visitor.call("session/sign-in", "hopper"),
      ...Array.from({ length: 8 }, () => visitor.call<string>("concurrency/post")),
    ];
    const outcomes = await Promise.allSettled(calls);
    // Sign-ins succeed; a post either ran as a signed-in user or met a session a sign-in had
    // just retired (a deliberate 401) — never a server error.
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status === "fulfilled") continue;
      expect(index, String(outcome.reason)).toBeGreaterThan(1);
      expect((outcome.reason as ServerError).status).toBe(401);
    }
    const { data } = await visitor.call<Snapshot>("session/read");
    expect(["grace", "hopper"]).toContain(data.user);
    expect(await visitor.call("concurrency/post")).toBe(`posted as ${String(data.user)}`);
  });

  it("a request that loaded the session before a sign-out and saves after it neither brings it back nor sends its cookie", async () => {
    const visitor = new Visitor(app());
    const { after: id } = await visitor.call<{ after: string }>("session/sign-in", "ada");
    const straggler = new Visitor(app());
    for (const [name, value] of visitor.jar) straggler.jar.set(name, value);
    const { name, loaded, open } = gate();
    const late = straggler.call<string>("concurrency/update-after-gate", name);
    await loaded;
    // KV takes one write per key per second: a sign-out within a second of the sign-in's
    // write would be refused (a 503 saying so), so with KV it comes a second later.
    if (store === "kv") await new Promise((resolve) => setTimeout(resolve, 1_050));
    await visitor.call("session/clear");
    expect(visitor.jar.has(COOKIE)).toBe(false);
    open();
    expect(await late).toBe(id);
    expect(straggler.setCookies.filter((header) => header.startsWith(`${COOKIE}=`))).toEqual([]);
    expect(await records().read(await recordKey("session", id))).toBeInstanceOf(Retired);
    // The signed-out browser, and the old cookie replayed, find nothing.
    expect((await visitor.call<Snapshot>("session/read")).data).toEqual({});
    expect((await straggler.call<Snapshot>("session/read")).data).toEqual({});
  });

  if (store === "durable-object") {
    // KV cannot promise this: with no conditional write, a save that read the session just
    // before the tombstone landed can still write it back (the gated test above checks the
    // ordering KV does keep). A Durable Object checks and writes in one step.
    it("sign-out racing 8 session writes at once: the session never comes back", async () => {
      const visitor = new Visitor(app());
      const { after: id } = await visitor.call<{ after: string }>("session/sign-in", "ada");
      await Promise.allSettled([visitor.call("session/clear"), ...Array.from({ length: 8 }, (_, n) => visitor.call("session/update", { n }))]);
      expect(await records().read(await recordKey("session", id))).toBeInstanceOf(Retired);
      expect((await visitor.call<Snapshot>("session/read")).data.user).toBeUndefined();
    });
  }

  it("a double-submitted form: two 303s, two flashes, and the page shows the submission once", async () => {
    const browser = new FormBrowser(app());
    const post = () => browser.submit(actionUrl(note), { text: "twice", [RETURN_FIELD]: "/notes/1" });
    const responses = await Promise.all([post(), post()]);
    expect(responses.map((response) => response.status)).toEqual([303, 303]);
    const flashCookies = responses.map((response) => response.headers.getSetCookie().find((header) => header.startsWith("__Host-sortie-flash.")));
    expect(flashCookies.every(Boolean)).toBe(true);
    expect(new Set(flashCookies.map((header) => header!.split("=")[0])).size).toBe(2);
    expect(responses.some((response) => response.headers.getSetCookie().some((header) => header.startsWith(`${COOKIE}=`)))).toBe(false);
    expect(textOf((await browser.open("/notes/1")).html, "result")).toBe("noted twice");
    expect(textOf((await browser.open("/notes/1")).html, "result")).toBe("none");
  });

  it("5 no-JS posts at once: each shows its flash once, on its own page", async () => {
    const browser = new FormBrowser(app());
    const pages = [1, 2, 3, 4, 5];
    const responses = await Promise.all(pages.map((n) => browser.submit(actionUrl(note), { text: `#${n}`, [RETURN_FIELD]: `/notes/${n}` })));
    expect(responses.map((response) => response.status)).toEqual(Array(5).fill(303));
    for (const n of pages) expect(textOf((await browser.open(`/notes/${n}`)).html, "result")).toBe(`noted #${n}`);
    for (const n of pages) expect(textOf((await browser.open(`/notes/${n}`)).html, "result")).toBe("none");
  });

  it("two sign-ins 30 ms apart end signed in as the second", async () => {
    const visitor = new Visitor(app());
    await visitor.call("session/sign-in", "ada");
    const first = visitor.call("session/sign-in", "grace");
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = visitor.call("session/sign-in", "hopper");
    await Promise.all([first, second]);
    expect((await visitor.call<Snapshot>("session/read")).data.user).toBe("hopper");
  });
});
