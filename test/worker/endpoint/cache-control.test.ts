import { describe, expect, it } from "vitest";
import { getRequestEvent } from "../../../worker/request/context.ts";
import { markAsQuery, registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { ORIGIN, serve } from "./serve.ts";

// Both functions ask for a shared cache; only a read's answer may have it.
const cacheable = () => async () => {
  getRequestEvent().response.headers.set("Cache-Control", "public, max-age=600");
  return "value";
};
markAsQuery(registerServerFunction("cache/read", cacheable()), "cache-read");
markAsQuery(
  registerServerFunction("cache/failing-read", async () => {
    getRequestEvent().response.headers.set("Cache-Control", "public, max-age=600");
    throw new Error("the database is down");
  }),
  "cache-failing-read",
);
registerServerFunction("cache/mutation", cacheable());

const NO_ARGS = '{"t":{"t":9,"i":0,"a":[],"o":0},"f":0,"m":[]}';
const STUB = { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" };

describe("Cache-Control: only a read may choose its own", () => {
  const fetch = serve();

  it("keeps the Cache-Control a read set on GET and HEAD", async () => {
    expect((await fetch("/_server/cache%2Fread")).headers.get("Cache-Control")).toBe("public, max-age=600");
    expect((await fetch("/_server/cache%2Fread", { method: "HEAD" })).headers.get("Cache-Control")).toBe("public, max-age=600");
  });

  it("answers a read that failed with no-store, so a shared cache never keeps the error", async () => {
    const response = await fetch("/_server/cache%2Ffailing-read");
    expect(response.status).toBe(500);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("answers a stub call's POST with no-store, whatever the function set", async () => {
    for (const id of ["cache%2Fmutation", "cache%2Fread"]) {
      const response = await fetch(`/_server/${id}`, { method: "POST", headers: STUB, body: NO_ARGS });
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
    }
  });

  it("answers a plain form post's 303 with no-store", async () => {
    const response = await fetch("/_server/cache%2Fmutation", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: "a=1",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });
});
