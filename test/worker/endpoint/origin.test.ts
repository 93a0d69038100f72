import { describe, expect, it } from "vitest";
import { markAsQuery, registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { createSortie } from "../../../worker/app.ts";
import { ORIGIN, production, serve, serveApp } from "./serve.ts";

const rename = registerServerFunction("origin/rename", async (...args: unknown[]) => `renamed with ${args.length} args`);
markAsQuery(registerServerFunction("origin/list", async () => ["a"]), "list");
void rename;

const EMPTY_ARGS = JSON.stringify({ t: { t: 9, i: 0, a: [], o: 0 }, f: 0, m: [] });
const JSON_CALL = { "X-Sortie": "1", "Content-Type": "application/json" };

interface Row {
  name: string;
  method?: string;
  headers: Record<string, string>;
  body?: string;
  status: number;
}

// Every kind of request a browser (or something else) can make; the last column is the answer.
const matrix: Row[] = [
  { name: "same-origin fetch from a stub", headers: { ...JSON_CALL, Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" }, status: 200 },
  { name: "same-origin fetch, Sec-Fetch-Site only", headers: { ...JSON_CALL, "Sec-Fetch-Site": "same-origin" }, status: 200 },
  { name: "same-origin fetch, Origin only (older browser)", headers: { ...JSON_CALL, Origin: ORIGIN }, status: 200 },
  {
    name: "cross-site plain form post",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    body: "title=pwned",
    status: 403,
  },
  { name: "cross-site fetch with application/json", headers: { ...JSON_CALL, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" }, status: 403 },
  {
    name: "cross-site fetch with text/plain (no preflight)",
    headers: { "Content-Type": "text/plain", Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    status: 403,
  },
  { name: "same-site sibling subdomain", headers: { ...JSON_CALL, Origin: "https://blog.app.example", "Sec-Fetch-Site": "same-site" }, status: 403 },
  { name: "Origin: null (sandboxed frame, file: page)", headers: { ...JSON_CALL, Origin: "null", "Sec-Fetch-Site": "cross-site" }, status: 403 },
  { name: "Origin: null without Sec-Fetch-Site", headers: { ...JSON_CALL, Origin: "null" }, status: 403 },
  { name: "Sec-Fetch-Site cross-site without Origin", headers: { ...JSON_CALL, "Sec-Fetch-Site": "cross-site" }, status: 403 },
  { name: "Sec-Fetch-Site none (typed into the address bar) without Origin", headers: { ...JSON_CALL, "Sec-Fetch-Site": "none" }, status: 403 },
  { name: "allowedOrigins hit", headers: { ...JSON_CALL, Origin: "https://admin.example", "Sec-Fetch-Site": "cross-site" }, status: 200 },
  { name: "neither header (curl, a server)", headers: JSON_CALL, status: 200 },
  { name: "cross-site PUT", method: "PUT", headers: { ...JSON_CALL, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" }, status: 403 },
  { name: "cross-site DELETE to an unknown id", method: "DELETE", headers: { Origin: "https://evil.example" }, status: 403 },
];

describe("the origin check on every state-changing request", () => {
  const fetch = serve({ allowedOrigins: ["https://admin.example"] });

  for (const row of matrix) {
    it(`${row.name}: ${row.status}`, async () => {
      const id = row.name.includes("unknown id") ? "origin/nope" : "origin/rename";
      const response = await fetch(`/_server/${encodeURIComponent(id)}`, {
        method: row.method ?? "POST",
        headers: row.headers,
        body: row.body ?? EMPTY_ARGS,
      });
      expect(response.status).toBe(row.status);
      if (row.status === 403 && (row.method ?? "POST") === "POST" && row.headers["X-Sortie"] !== "1") {
        // A plain form post sees its refusal as an HTML page (worker/forms/form-errors.ts).
        expect(response.headers.get("X-Sortie-Error")).toBe("forbidden-origin");
        expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(await response.text()).toMatch(/refused/);
      } else if (row.status === 403) {
        expect(response.headers.get("X-Sortie-Error")).toBe("forbidden-origin");
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe("forbidden-origin");
        expect(body.error.message).toMatch(/refused|null|neither/);
      }
    });
  }

  it("names the refused origin and the option that would allow it", async () => {
    const response = await fetch("/_server/origin%2Frename", { method: "POST", headers: { ...JSON_CALL, Origin: "https://evil.example" }, body: EMPTY_ARGS });
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toContain("https://evil.example");
    expect(error.message).toContain("allowedOrigins");
  });

  it("does not check GET: reads are not state-changing", async () => {
    const response = await fetch("/_server/origin%2Flist", { headers: { "X-Sortie": "1", Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" } });
    expect(response.status).toBe(200);
  });
});

describe("rejectMissingOrigin", () => {
  const fetch = serve({ rejectMissingOrigin: true });

  it("refuses a request with neither header", async () => {
    const response = await fetch("/_server/origin%2Frename", { method: "POST", headers: JSON_CALL, body: EMPTY_ARGS });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("rejectMissingOrigin");
  });

  it("still lets same-origin browsers through", async () => {
    const response = await fetch("/_server/origin%2Frename", { method: "POST", headers: { ...JSON_CALL, "Sec-Fetch-Site": "same-origin" }, body: EMPTY_ARGS });
    expect(response.status).toBe(200);
  });
});

describe("allowedOrigins", () => {
  it("refuses a value that is not an origin, naming the option", () => {
    expect(() => serve({ allowedOrigins: ["https://admin.example/"] })).toThrow(/allowedOrigins.*"https:\/\/admin.example\/" is not an origin/);
  });
});

// DNS rebinding: a page on a name its attacker points at the server is "same-origin" by
// Host and Origin alike. The app's own origins pin what it answers for.
describe("origins: the app's own, against DNS rebinding", () => {
  const call = (fetch: ReturnType<typeof serve>, origin: string, init: RequestInit = {}) =>
    fetch(new Request(`${origin}/_server/origin%2Frename`, { method: "POST", body: EMPTY_ARGS, ...init, headers: { ...JSON_CALL, Origin: origin, "Sec-Fetch-Site": "same-origin", ...init.headers } }));
  const read = (fetch: ReturnType<typeof serve>, origin: string) => fetch(new Request(`${origin}/_server/origin%2Flist`, { headers: { "X-Sortie": "1" } }));

  it("with origins set, a request for another host is refused, reads too, naming the option", async () => {
    const fetch = serve({ origins: [ORIGIN] });
    expect((await call(fetch, ORIGIN)).status).toBe(200);
    const rebound = await call(fetch, "http://rebind.evil.example");
    expect(rebound.status).toBe(403);
    expect(rebound.headers.get("X-Sortie-Error")).toBe("forbidden-origin");
    expect(((await rebound.json()) as { error: { message: string } }).error.message).toMatch(
      /answers on https:\/\/app\.example only \(the origins option\), not on http:\/\/rebind\.evil\.example.*DNS rebinding/,
    );
    expect((await read(fetch, "http://rebind.evil.example")).status).toBe(403);
    expect((await read(fetch, ORIGIN)).status).toBe(200);
  });

  it("an Origin listed in origins may call from another of the app's own origins", async () => {
    const fetch = serve({ origins: [ORIGIN, "https://www.app.example"] });
    const response = await call(fetch, ORIGIN, { headers: { Origin: "https://www.app.example", "Sec-Fetch-Site": "same-site" } });
    expect(response.status).toBe(200);
  });

  it("under development without origins: localhost and IP addresses only", async () => {
    const development = { ...production, SORTIE_ENV: "development" };
    const fetch = serveApp(createSortie({}), development);
    for (const origin of ["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787", "http://192.168.1.20:8787", "http://app.localhost:8787"]) {
      expect((await call(fetch, origin)).status, origin).toBe(200);
    }
    const rebound = await call(fetch, "http://rebind.evil.example:8787");
    expect(rebound.status).toBe(403);
    expect(((await rebound.json()) as { error: { message: string } }).error.message).toMatch(/Under development this app answers on localhost and IP addresses only.*origins option/);
    expect((await read(fetch, "http://rebind.evil.example:8787")).status).toBe(403);
  });

  it("under development with origins: those and localhost", async () => {
    const fetch = serveApp(createSortie({ origins: ["https://staging.app.example"] }), { ...production, SORTIE_ENV: "development" });
    expect((await call(fetch, "https://staging.app.example")).status).toBe(200);
    expect((await call(fetch, "http://localhost:8787")).status).toBe(200);
    expect((await call(fetch, "http://rebind.evil.example")).status).toBe(403);
  });

  it("in production without origins, the Host is trusted (Cloudflare routes only the app's names to it)", async () => {
    expect((await call(serve(), "http://another-name.example")).status).toBe(200);
  });

  it("refuses a value that is not an origin, naming the option", () => {
    expect(() => serve({ origins: ["https://app.example/shop"] })).toThrow(/origins.*"https:\/\/app.example\/shop" is not an origin/);
  });
});
