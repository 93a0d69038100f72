// Read-your-writes with D1 sessions (worker/d1.ts), on the replica simulation of ./replica.ts
// (local D1 has no replicas): without Sortie's session a read right after a write can miss it;
// with it, the bookmark carries from the write to the re-run queries, then to the browser's
// next request (cookie and X-Sortie-D1 header), with and without JavaScript.
import { env } from "cloudflare:test";
import type { D1Database } from "@cloudflare/workers-types";
import { beforeEach, describe, expect, it } from "vitest";
import { D1_HEADER } from "../../../common/d1-bookmarks.ts";
import { RETURN_FIELD } from "../../../common/forms.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { encodeArguments, PAGE_HEADER } from "../../../common/wire.ts";
import { getRequestEvent } from "../../../worker/request/context.ts";
import { useD1 } from "../../../worker/d1.ts";
import { query } from "../../../worker/queries/query.ts";
import { markAsQuery, registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { createServerReference, markAsQuery as markStubAsQuery, setTransport } from "../../../client/stub.ts";
import { bodyText, ORIGIN, serve } from "../endpoint/serve.ts";
import { laggingD1, type LaggingD1 } from "./replica.ts";

const real = (env as unknown as { DB: D1Database }).DB;

interface Session {
  prepare(sql: string): { bind(...args: unknown[]): { all<T>(): Promise<{ results: T[] }>; run(): Promise<unknown> } };
}
const items = () => useD1("ITEMS") as unknown as Session;

const listItems = query(
  registerServerFunction("d1/list", async () => (await items().prepare("SELECT name FROM d1_items ORDER BY id").bind().all<{ name: string }>()).results.map((row) => row.name)),
  "items",
);
markAsQuery(listItems, "items");
registerServerFunction("d1/add", async (name: string) => {
  await items().prepare("INSERT INTO d1_items (name) VALUES (?)").bind(name).run();
});
registerServerFunction("d1/add-form", async (form: FormData) => {
  await items().prepare("INSERT INTO d1_items (name) VALUES (?)").bind(String(form.get("name"))).run();
});
// The same read as an app without Sortie's session would make it to use replicas: a session
// per request, `first-unconstrained`, with no bookmark carried from the browser's last write.
markAsQuery(registerServerFunction("d1/list-plain", async () => {
  const binding = (getRequestEvent().env as Record<string, unknown>).ITEMS as { withSession(constraint: string): Session };
  const session = binding.withSession("first-unconstrained");
  return (await session.prepare("SELECT name FROM d1_items ORDER BY id").bind().all<{ name: string }>()).results.map((row) => row.name);
}), "plainItems");
registerServerFunction("d1/nothing", async () => "no database");

const routes = defineRoutes([
  { path: "/items", preload: () => listItems(), component: async () => <ul id="items">{(await listItems()).map((name) => <li>{name}</li>)}</ul> },
]);
const manifest = { entry: "/assets/entry.js", imports: [], css: [] };

let replica: LaggingD1;
let app: ReturnType<typeof serve>;

beforeEach(async () => {
  await real.batch([
    real.prepare("DROP TABLE IF EXISTS d1_items"),
    real.prepare("DROP TABLE IF EXISTS d1_items_replica"),
    real.prepare("CREATE TABLE d1_items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)"),
    real.prepare("CREATE TABLE d1_items_replica (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"),
    real.prepare("INSERT INTO d1_items (name) VALUES ('seed')"),
  ]);
  replica = laggingD1(real, "d1_items");
  await replica.replicate();
  app = serve({ routes, manifest }, { ...(env as unknown as Record<string, unknown>), ITEMS: replica.binding, NOTES: laggingD1(real, "d1_items").binding });
});

const CALL = { "X-Sortie": "1", "Content-Type": "application/json", Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" };
const call = (id: string, args: unknown[], headers: Record<string, string> = {}) =>
  app(`/_server/${encodeURIComponent(id)}`, { method: "POST", headers: { ...CALL, ...headers }, body: encodeArguments(args) });
const read = (id: string, headers: Record<string, string> = {}) => app(`/_server/${encodeURIComponent(id)}?args=${encodeURIComponent(encodeArguments([]))}`, { headers: { "X-Sortie": "1", ...headers } });
const resultOf = async (response: Response) => JSON.parse((await bodyText(response)).split("\n")[0]!).r;
const names = async (response: Response) => JSON.stringify(await resultOf(response));
const cookieOf = (response: Response) => response.headers.getSetCookie().find((header) => header.startsWith("__Host-sortie-d1.ITEMS="))?.split(";")[0];

describe("D1 sessions carried through single flight and the next request", () => {
  it("without Sortie's session the read right after a write misses it (the simulation lags)", async () => {
    await call("d1/add", ["fresh"]);
    expect(await names(await read("d1/list-plain"))).not.toContain("fresh");
    await replica.replicate();
    expect(await names(await read("d1/list-plain"))).toContain("fresh");
  });

  it("JS path: the write and single flight's re-run share one session; the bookmark comes back as a header and a cookie, and the next read starts from it", async () => {
    const response = await call("d1/add", ["fresh"], { [PAGE_HEADER]: "/items" });
    expect(response.status).toBe(200);
    const records = (await bodyText(response)).trim().split("\n");
    // The re-run query record holds the write, though the replica has not caught up.
    expect(records.slice(1).join("\n")).toContain("fresh");
    const header = response.headers.get(D1_HEADER);
    expect(header).toMatch(/^ITEMS=00000000-00000001-00000000-0{32}$/);
    expect(cookieOf(response)).toBe(`__Host-sortie-d1.ITEMS=${header!.slice("ITEMS=".length)}`);
    // The next read, the way the client runtime sends it: it sees the write.
    expect(await names(await read("d1/list", { [D1_HEADER]: header! }))).toContain("fresh");
    // The same read with no bookmark is stale: the nearest replica.
    expect(await names(await read("d1/list"))).not.toContain("fresh");
    expect(replica.constraints.slice(0, 2)).toEqual(["first-unconstrained", header!.slice("ITEMS=".length)]);
    // …and the next call carries it on (the stub sends the header it kept).
    const next = await call("d1/add", ["second"], { [D1_HEADER]: header! });
    expect(next.headers.get(D1_HEADER)).toMatch(/^ITEMS=00000000-00000002-/);
  });

  it("the client runtime keeps the bookmark an answer brings and sends it with its next calls", async () => {
    setTransport((path, init) => {
      const headers = new Headers(init.headers);
      headers.set("Origin", ORIGIN);
      headers.set("Sec-Fetch-Site", "same-origin");
      return app(path, { ...init, headers });
    });
    const add = createServerReference<(name: string) => Promise<void>>("d1/add");
    const list = createServerReference<() => Promise<string[]>>("d1/list");
    markStubAsQuery(list, "items");
    await add("through the stub");
    // The replica still lags, yet the stub's read sees the write: it sent the bookmark.
    expect(await list()).toContain("through the stub");
    expect(replica.constraints.at(-1)).toMatch(/^00000000-00000001-/);
  });

  it("no-JS path: the 303 carries the bookmark cookie, and the page after it reads the write", async () => {
    const response = await app("/_server/d1%2Fadd-form", {
      method: "POST",
      headers: { Origin: ORIGIN, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "posted", [RETURN_FIELD]: "/items" }),
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    const cookie = cookieOf(response)!;
    expect(cookie).toMatch(/^__Host-sortie-d1\.ITEMS=00000000-00000001-/);
    const page = await app("/items", { headers: { Cookie: cookie } });
    expect(await bodyText(page)).toContain("<li>posted</li>");
    expect(await bodyText(await app("/items"))).not.toContain("<li>posted</li>");
    // A page view sends no bookmark back: reads do not write.
    expect(cookieOf(page)).toBeUndefined();
  });

  it("a malformed or tampered bookmark is ignored: an unconstrained read, never a 500", async () => {
    await call("d1/add", ["fresh"]);
    const tampered: Record<string, string>[] = [{ [D1_HEADER]: "ITEMS=garbage" }, { [D1_HEADER]: "=,,ITEMS" }, { Cookie: "__Host-sortie-d1.ITEMS=%E0%A4%A" }, { Cookie: "__Host-sortie-d1.ITEMS=../../x" }];
    for (const headers of tampered) {
      const response = await read("d1/list", headers);
      expect(response.status, JSON.stringify(headers)).toBe(200);
    }
    expect(replica.constraints.every((constraint) => constraint === "first-unconstrained")).toBe(true);
    // A well-formed bookmark from elsewhere is passed on to D1, which decides (here: the primary).
    expect(await names(await read("d1/list", { [D1_HEADER]: `ITEMS=ffffffff-ffffffff-ffffffff-${"f".repeat(32)}` }))).toContain("fresh");
  });

  it("several bindings side by side; a request that never touches D1 pays nothing and sends nothing", async () => {
    const both = await call("d1/add", ["x"], { [D1_HEADER]: `NOTES=00000000-00000009-00000000-${"0".repeat(32)}` });
    expect(both.headers.get(D1_HEADER)).toMatch(/^ITEMS=/);
    const none = await call("d1/nothing", []);
    expect(none.headers.get(D1_HEADER)).toBeNull();
    expect(none.headers.getSetCookie()).toEqual([]);
  });
});
