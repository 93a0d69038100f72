// Security headers on every page Sortie renders, and on its own no-JS error pages.
import { describe, expect, it } from "vitest";
import { getRequestEvent } from "../../../worker/request/context.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { DEFAULT_SECURITY_HEADERS } from "../../../worker/pages/security-headers.ts";
import { serve } from "../endpoint/serve.ts";
import { Layout, manifest, routes } from "./fixture.tsx";

const DEFAULTS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

const headersOf = (response: Response, names: string[]) => Object.fromEntries(names.map((name) => [name, response.headers.get(name)]));

describe("security headers", () => {
  it("every page carries the defaults: a page, an error page, a 404, a redirect", async () => {
    const app = serve({ routes, manifest, layout: Layout });
    for (const path of ["/items/1", "/boom", "/nowhere", "/go"]) {
      const response = await app(path, { redirect: "manual" });
      expect(headersOf(response, Object.keys(DEFAULTS)), path).toEqual(DEFAULTS);
    }
  });

  it("the CSP has no inline script or eval anywhere", () => {
    expect(DEFAULT_SECURITY_HEADERS["Content-Security-Policy"]).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it("securityHeaders: false sends none", async () => {
    const response = await serve({ routes, manifest, layout: Layout, securityHeaders: false })("/items/1");
    expect(headersOf(response, Object.keys(DEFAULTS))).toEqual(Object.fromEntries(Object.keys(DEFAULTS).map((name) => [name, null])));
  });

  it("an object replaces single headers (any case), drops those set to false and adds new ones", async () => {
    const app = serve({
      routes,
      manifest,
      layout: Layout,
      securityHeaders: { "content-security-policy": "default-src 'self' https://cdn.example", "X-Frame-Options": false, "Permissions-Policy": "camera=()" },
    });
    const response = await app("/items/1");
    expect(response.headers.get("Content-Security-Policy")).toBe("default-src 'self' https://cdn.example");
    expect(response.headers.get("X-Frame-Options")).toBeNull();
    expect(response.headers.get("Permissions-Policy")).toBe("camera=()");
    expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
  });

  it("a page's own header wins over the default", async () => {
    const own = defineRoutes([
      {
        path: "/embed",
        component: () => {
          getRequestEvent().response.headers.set("X-Frame-Options", "SAMEORIGIN");
          return <p>embeddable</p>;
        },
      },
    ]);
    const response = await serve({ routes: own, manifest })("/embed");
    expect(response.headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("a bad option fails at startup, naming it", () => {
    expect(() => serve({ routes, manifest, securityHeaders: { "X-Frame-Options": 1 as unknown as string } })).toThrow(/securityHeaders.*"X-Frame-Options" must be a string, or false/);
    expect(() => serve({ routes, manifest, securityHeaders: [] as unknown as false })).toThrow(/securityHeaders.*must be false or an object/);
  });

  it("Sortie's own page for a refused no-JS form post carries the defaults", async () => {
    const response = await serve({ routes, manifest })("/_server/nope", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: "a=1",
    });
    expect(response.status).toBe(404);
    expect(headersOf(response, Object.keys(DEFAULTS))).toEqual(DEFAULTS);
  });
});
