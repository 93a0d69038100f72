// Server-Timing on stub and read answers: under development always, in production only with
// createSortie({ serverTiming: true }); what streams after the headers (single flight's
// re-run queries) comes in a last `t` record. And one structured log line per failed call.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ServerError } from "../../../common/errors.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { encodeArguments, PAGE_HEADER } from "../../../common/wire.ts";
import { markAsQuery, registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { query } from "../../../worker/queries/query.ts";
import { bodyText, development, production, serve } from "./serve.ts";

const shelf = query(registerServerFunction("timing/shelf", async () => ["book"]), "shelf");
markAsQuery(shelf, "shelf");
registerServerFunction("timing/add", async () => "added");
registerServerFunction("timing/refuse", async () => {
  throw new ServerError("No room", { status: 409 });
});
registerServerFunction("timing/crash", async () => {
  throw new Error("the shelf collapsed");
});

const routes = defineRoutes([{ path: "/shelf", preload: () => shelf(), component: () => <p>shelf</p> }]);
const manifest = { entry: "/assets/entry.js", imports: [], css: [] };
const post = (app: ReturnType<typeof serve>, id: string, headers: Record<string, string> = {}) =>
  app(`/_server/${encodeURIComponent(id)}`, { method: "POST", headers: { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin", ...headers }, body: encodeArguments([]) });
const read = (app: ReturnType<typeof serve>) => app(`/_server/timing%2Fshelf?args=${encodeURIComponent(encodeArguments([]))}`, { headers: { "X-Sortie": "1" } });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Server-Timing", () => {
  it("under development: decode, middleware, call, commit and encode on stub calls and reads", async () => {
    const app = serve({ routes, manifest }, development);
    for (const response of [await post(app, "timing/add"), await read(app)]) {
      expect(response.headers.get("Server-Timing")).toMatch(/^decode;dur=[\d.]+, middleware;dur=[\d.]+, call;dur=[\d.]+, commit;dur=[\d.]+, encode;dur=[\d.]+$/);
    }
  });

  it("each query single flight re-runs arrives in a last t record, after the headers went out", async () => {
    const app = serve({ routes, manifest }, development);
    const response = await post(app, "timing/add", { [PAGE_HEADER]: "/shelf" });
    const records = (await bodyText(response)).trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(records[0]!)).toEqual(["r"]);
    expect(records.some((record) => "q" in record)).toBe(true);
    expect(records.at(-1)).toEqual({ t: expect.stringMatching(/^query;desc="shelf";dur=[\d.]+$/) });
  });

  it("in production only when serverTiming is on", async () => {
    expect((await post(serve({ routes, manifest }, production), "timing/add")).headers.get("Server-Timing")).toBeNull();
    const on = serve({ routes, manifest, serverTiming: true }, production);
    expect((await post(on, "timing/add")).headers.get("Server-Timing")).toMatch(/^decode;dur=/);
    const records = (await bodyText(await post(serve({ routes, manifest }, production), "timing/add", { [PAGE_HEADER]: "/shelf" }))).trim().split("\n");
    expect(records.some((line) => line.startsWith('{"t"'))).toBe(false);
  });
});

describe("a failed call", () => {
  it("logs one structured line: the function, kind, status, error id and duration", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = serve({}, production);
    await post(app, "timing/refuse");
    await post(app, "timing/crash");
    const lines = log.mock.calls.map((args) => String(args[0])).filter((line) => line.startsWith("{"));
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual([
      { sortie: "call failed", function: "timing/refuse", kind: "stub", status: 409, errorId: null, durationMs: expect.any(Number) },
      { sortie: "call failed", function: "timing/crash", kind: "stub", status: 500, errorId: expect.stringMatching(/^[0-9a-f-]{36}$/), durationMs: expect.any(Number) },
    ]);
    // The same error id as the one logged with the stack and sent to the caller.
    const stackLine = errors.mock.calls.find((args) => String(args[0]).includes("failed (error id"));
    expect(String(stackLine![0])).toContain(String(entries[1]!.errorId));
  });
});
