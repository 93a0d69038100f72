import { afterEach, describe, expect, it, vi } from "vitest";
import { defineRoutes } from "../../../common/routes.ts";
import { useSession } from "../../../worker/session/session.ts";
import { serve } from "../endpoint/serve.ts";
import { bindings, watchedKv } from "./visitor.ts";

const routes = defineRoutes([
  {
    path: "/visits",
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
