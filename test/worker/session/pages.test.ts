import { afterEach, describe, expect, it, vi } from "vitest";
import { defineRoutes } from "../../../common/routes.ts";
import { useSession } from "../../../worker/session/session.ts";
import { serve } from "../endpoint/serve.ts";
import { bindings, watchedKv } from "./visitor.ts";

const routes = defineRoutes([
  {
    // Reads the session, changes nothing: what a page showing "signed in as …" does.
    path: "/viewer",
    component: async () => {
      const session = await useSession<{ name?: string }>();
      return `viewer ${session.data.name ?? "nobody"}`;
    },
  },
  {
    path: "/visits",
    // It changes the session after an await: a page sent whole (a streamed one's changes would be refused).
    stream: false,
    component: async () => {
      const session = await useSession<{ visits?: number }>();
      session.update((data) => ({ visits: (data.visits ?? 0) + 1 }));
      return `visit number ${session.data.visits}`;
    },
  },
]);
const manifest = { entry: "/assets/entry.js", imports: [], css: [] };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a session in a page handler", () => {
  it("costs nothing without a session cookie: no KV call and no key derived (issue 17)", async () => {
    const kv = watchedKv();
    const subtle = crypto.subtle;
    const derive = vi.spyOn(subtle, "deriveKey");
    const importKey = vi.spyOn(subtle, "importKey");
    // The request names no session (a secret no earlier test derived, so a derivation would show).
    const app = serve({ routes, manifest, session: { password: "a-password-no-other-test-uses-0123456789" } }, { ...bindings, SESSIONS: kv.namespace });
    const response = await app("/viewer");
    expect(await response.text()).toContain("viewer nobody");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(kv.calls).toEqual({ get: 0, put: 0, delete: 0 });
    expect(derive).not.toHaveBeenCalled();
    expect(importKey).not.toHaveBeenCalled();
    // The same page with a cookie does the work: the spies see it.
    await app("/viewer", { headers: { Cookie: "__Host-session=v1.AAAAAAAA.AAAAAAAAAAAAAAAA.AAAA" } });
    expect(importKey).toHaveBeenCalled();
  });

  it("is read and written on a plain GET, the cookie going out with the HTML", async () => {
    const kv = watchedKv();
    const app = serve({ routes, manifest }, { ...bindings, SESSIONS: kv.namespace });
    const first = await app("/visits");
    expect(await first.text()).toContain("visit number 1");
    const cookie = first.headers.getSetCookie()[0]!.split(";")[0]!;
    expect(cookie).toMatch(/^__Host-session=v1\./);

    const second = await app("/visits", { headers: { Cookie: cookie } });
    expect(await second.text()).toContain("visit number 2");
    expect(second.headers.getSetCookie()).toHaveLength(1);
    // The second write is of a session the request loaded: read first, for a tombstone.
    expect(kv.calls).toEqual({ get: 2, put: 2, delete: 0 });
  });

  it("answers 503 with an error page when the write fails, without a cookie", async () => {
    const kv = watchedKv({ put: new Error("KV put exploded") });
    const app = serve({ routes, manifest }, { ...bindings, SESSIONS: kv.namespace });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await app("/visits");
    expect(response.status).toBe(503);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).toContain("The session store is unavailable");
  });
});
