import { afterEach, describe, expect, it, vi } from "vitest";
import { onCallRecord, type CallRecord } from "../../../client/records.ts";
import { createServerReference } from "../../../client/stub.ts";
import { withSignal } from "../../../common/abort.ts";
import { Redirect } from "../../../common/redirect.ts";
import { getRequestEvent } from "../../../worker/request/context.ts";
import { cookies } from "../../../worker/request/cookies.ts";
import { redirect } from "../../../worker/request/redirect.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { revalidate, revalidation } from "../../../worker/queries/revalidate.ts";
import { bodyText, development, ORIGIN, serve, useClient, type Fetch } from "./serve.ts";

registerServerFunction("context/event", async () => {
  const event = getRequestEvent();
  const kv = event.env.SESSIONS as KVNamespace;
  await kv.put("context-test", "stored");
  let waited = false;
  event.waitUntil(Promise.resolve().then(() => (waited = true)));
  await Promise.resolve();
  return {
    method: event.request.method,
    path: event.url.pathname,
    page: event.hono.req.header("X-Sortie-Page") ?? null,
    kv: await kv.get("context-test"),
    signalAborted: event.signal.aborted,
    waited,
  };
});
registerServerFunction("context/cookies", async (name: string) => {
  const jar = cookies();
  const before = jar.get(name);
  jar.set(name, "new value; with = signs");
  jar.delete("stale");
  return { before, after: jar.get(name), stale: jar.get("stale") ?? null, all: jar.getAll(), hasStale: jar.has("stale") };
});
registerServerFunction("context/late-cookie", async () => ({
  later: new Promise((resolve, reject) =>
    setTimeout(() => {
      try {
        cookies().set("late", "1");
        resolve("set");
      } catch (error) {
        reject(error);
      }
    }, 5),
  ),
}));
registerServerFunction("context/response", async () => {
  const { response } = getRequestEvent();
  response.status = 201;
  response.headers.set("X-Created", "yes");
  return "created";
});
registerServerFunction("context/redirect-returned", async () => redirect("../todos?done=1#top"));
registerServerFunction("context/redirect-thrown", async () => {
  cookies().set("after-logout", "1");
  throw redirect("/");
});
registerServerFunction("context/redirect-offsite", async () => redirect("https://evil.example/phish"));
registerServerFunction("context/revalidate", async (choice: "all" | "none" | "keys") => {
  if (choice === "all") revalidate();
  if (choice === "none") revalidate(false);
  if (choice === "keys") {
    revalidate("todos");
    revalidate(["todo[1]", "todos"]);
  }
  return "done";
});
let abortSeen: Promise<unknown> | undefined;
registerServerFunction("context/abortable", async () => {
  const { signal } = getRequestEvent();
  abortSeen = new Promise((resolve) => signal.addEventListener("abort", () => resolve(signal.reason), { once: true }));
  await abortSeen;
  return "unreachable";
});

async function collect(action: () => Promise<unknown>): Promise<{ result: unknown; records: CallRecord[] }> {
  const records: CallRecord[] = [];
  const stop = onCallRecord((record) => records.push(record));
  try {
    const result = await action();
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { result, records };
  } finally {
    stop();
  }
}

function post(fetch: Fetch, id: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`/_server/${encodeURIComponent(id)}`, {
    method: "POST",
    headers: { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin", ...headers },
    body: JSON.stringify({ t: { t: 9, i: 0, a: [{ t: 1, s: "theme" }], o: 0 }, f: 0, m: [] }),
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the request context inside server functions", () => {
  const fetch = serve({
    // Stands in for single flight: reports what the function chose to revalidate, through the seam.
    async *followUp(event) {
      if (event.url.pathname.endsWith("revalidate")) {
        yield { type: "query", key: "revalidation", args: [], value: revalidation() };
      }
    },
  });
  useClient(fetch);

  it("reaches the request, env bindings, Hono context and waitUntil through getRequestEvent()", async () => {
    const result = await createServerReference<() => Promise<Record<string, unknown>>>("context/event")();
    expect(result).toEqual({ method: "POST", path: "/_server/context%2Fevent", page: null, kv: "stored", signalAborted: false, waited: true });
  });

  it("reads request cookies, overlays the function's own changes, and sends them as Set-Cookie", async () => {
    const response = await post(fetch, "context/cookies", { Cookie: "theme=dark; stale=old" });
    const setCookies = response.headers.getSetCookie();
    expect(setCookies).toContainEqual(expect.stringMatching(/^theme=new%20value%3B%20with%20%3D%20signs; Path=\/; HttpOnly; Secure; SameSite=Lax$/));
    expect(setCookies).toContainEqual(expect.stringMatching(/^stale=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/));
    const body = await bodyText(response);
    expect(body).toContain("dark");
    expect(body).toContain("new value; with = signs");

    const stub = createServerReference<(name: string) => Promise<Record<string, unknown>>>("context/cookies");
    expect(await stub("theme")).toEqual({
      before: undefined,
      after: "new value; with = signs",
      stale: null,
      all: [{ name: "theme", value: "new value; with = signs" }],
      hasStale: false,
    });
  });

  it("refuses a cookie change made after the response started, instead of dropping it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await createServerReference<() => Promise<{ later: Promise<unknown> }>>("context/late-cookie")();
    await expect(result.later).rejects.toMatchObject({ status: 500 });
    expect((log.mock.calls[0]![1] as Error).name).toBe("ResponseStartedError");
  });

  it("lets the function set the response status and headers", async () => {
    const response = await post(fetch, "context/response");
    expect(response.status).toBe(201);
    expect(response.headers.get("X-Created")).toBe("yes");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("turns a returned or thrown redirect() into a redirect record, relative paths resolved against the request", async () => {
    const returned = await collect(() => createServerReference<() => Promise<unknown>>("context/redirect-returned")());
    expect(returned.result).toBeInstanceOf(Redirect);
    expect((returned.result as Redirect).location).toBe("/todos?done=1#top");
    expect(returned.records).toEqual([{ type: "redirect", location: "/todos?done=1#top" }]);

    const response = await post(fetch, "context/redirect-thrown");
    expect(response.status).toBe(200);
    expect(await bodyText(response)).toBe('{"l":"/"}\n');
    expect(response.headers.get("set-cookie")).toContain("after-logout=1");
  });

  it("refuses an off-site redirect target", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await serve({}, development)(
      `${ORIGIN}/_server/context%2Fredirect-offsite`,
      { method: "POST", headers: { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" }, body: '{"t":{"t":9,"i":0,"a":[],"o":0},"f":0,"m":[]}' },
    );
    expect(response.status).toBe(500);
    expect(await bodyText(response)).toContain("only same-origin targets are allowed");
  });

  it("records the revalidate() choice for single flight, whose records follow the result", async () => {
    const stub = createServerReference<(choice: string) => Promise<string>>("context/revalidate");
    for (const [choice, expected] of [["all", "all"], ["none", "none"], ["keys", ["todos", "todo[1]"]]] as const) {
      const { result, records } = await collect(() => stub(choice));
      expect(result).toBe("done");
      expect(records).toEqual([{ type: "query", key: "revalidation", args: [], value: expected }]);
    }
  });

  it("fires event.signal when the caller aborts (withSignal)", async () => {
    const controller = new AbortController();
    const call = withSignal(createServerReference<() => Promise<string>>("context/abortable"), controller.signal)();
    while (!abortSeen) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort(new Error("user left"));
    await expect(call).rejects.toThrow("user left");
    await expect(abortSeen).resolves.toBeDefined();
  });
});
