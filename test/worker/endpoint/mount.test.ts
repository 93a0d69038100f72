import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createServerReference } from "../../../client/stub.ts";
import { sortieRoutes } from "../../../worker/app.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { bodyText, serveApp, useClient } from "./serve.ts";

registerServerFunction("mount/add", async (a: number, b: number) => a + b);

const CALL = { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" };
const ONE_PLUS_TWO = '{"t":{"t":9,"i":0,"a":[{"t":0,"s":1},{"t":0,"s":2}],"o":0},"f":0,"m":[]}';

afterEach(() => {
  vi.restoreAllMocks();
});

describe("sortieRoutes() inside an existing Hono app", () => {
  const app = new Hono();
  app.get("/health", (c) => c.text("ok"));
  app.route("/", sortieRoutes({ maxBodySize: 4 * 1024 * 1024 }));
  const fetch = serveApp(app);
  useClient(fetch);

  it("serves /_server calls when mounted at /, beside the app's own routes", async () => {
    const response = await fetch("/_server/mount%2Fadd", { method: "POST", headers: CALL, body: ONE_PLUS_TWO });
    expect(response.status).toBe(200);
    expect(await bodyText(response)).toBe('{"r":{"t":0,"s":3}}\n');
    expect(await createServerReference<(a: number, b: number) => Promise<number>>("mount/add")(2, 3)).toBe(5);
    expect(await (await fetch("/health")).text()).toBe("ok");
  });
});

describe("sortieRoutes() mounted under a prefix", () => {
  const app = new Hono();
  app.route("/api", sortieRoutes());
  const fetch = serveApp(app);

  it("fails loudly: a 500 and a logged error that says to mount it at /", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await fetch("/api/_server/mount%2Fadd", { method: "POST", headers: CALL, body: ONE_PLUS_TWO });
    expect(response.status).toBe(500);
    const error = log.mock.calls.flat().find((value) => value instanceof Error) as Error;
    expect(error.name).toBe("SortieMountError");
    expect(error.message).toMatch(/^sortieRoutes\(\) is mounted under "\/api" \(this request: \/api\/_server\/mount%2Fadd\).*mount it at \/, as app\.route\("\/", sortieRoutes\(options\)\)$/);
  });
});
