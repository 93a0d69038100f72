// rateLimit() on Miniflare's Rate Limiting binding (TEST_LIMITER: 2 calls per 60 s, set in
// vitest.config.ts): the third call from one address is refused, with and without JavaScript.
import { describe, expect, it } from "vitest";
import { action } from "../../../common/action.ts";
import { actionUrl, RETURN_FIELD } from "../../../common/forms.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { useSubmission } from "../../../worker/forms/submission.ts";
import { rateLimit } from "../../../worker/middleware/rate-limit.ts";
import { FormBrowser, textOf } from "../forms/browser.ts";
import { development, serve } from "./serve.ts";

const byIp = rateLimit({ binding: "TEST_LIMITER", key: "ip" });
const limited = action(registerServerFunction("limit/ping", async () => "pong"), { use: [byIp] });
const limitedForm = action(registerServerFunction("limit/form", async (_form: FormData) => "sent"), { use: [byIp] });
const byName = action(
  registerServerFunction("limit/named", async (name: string) => name),
  { use: [rateLimit({ binding: "TEST_LIMITER", key: (call) => String(call.args[0]), period: 10, message: "Slow down" })] },
);
const misconfigured = action(registerServerFunction("limit/missing", async () => "never"), { use: [rateLimit({ binding: "NO_SUCH_LIMITER" })] });
void limited;
void byName;
void misconfigured;

const routes = defineRoutes([{ path: "/form", component: () => <p id="outcome">{String(useSubmission(limitedForm)?.error?.message ?? useSubmission(limitedForm)?.result ?? "none")}</p> }]);
const app = serve({ routes, manifest: { entry: "/assets/entry.js", imports: [], css: [] } });

const call = (id: string, ip: string, args: unknown[] = [], fetch = app) =>
  fetch(`/_server/${encodeURIComponent(id)}`, {
    method: "POST",
    headers: { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin", "CF-Connecting-IP": ip },
    body: JSON.stringify({ t: { t: 9, i: 0, a: args.map((arg) => ({ t: 1, s: String(arg) })), o: 0 }, f: 0, m: [] }),
  });

describe("rateLimit()", () => {
  it("refuses the call over the limit with 429, Retry-After and a message; other addresses are counted apart", async () => {
    expect((await call("limit/ping", "198.51.100.1")).status).toBe(200);
    expect((await call("limit/ping", "198.51.100.1")).status).toBe(200);
    const refused = await call("limit/ping", "198.51.100.1");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("60");
    expect(await refused.text()).toContain("Too many requests: try again in a minute");
    expect((await call("limit/ping", "198.51.100.2")).status).toBe(200);
  });

  it("without JavaScript, the refusal is the form's error on the page it returns to", async () => {
    const browser = new FormBrowser(app);
    const post = () => browser.request(actionUrl(limitedForm), {
      method: "POST",
      headers: { Origin: "https://app.example", "Sec-Fetch-Site": "same-origin", "CF-Connecting-IP": "203.0.113.9", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ [RETURN_FIELD]: "/form" }),
    });
    await post();
    expect(textOf((await browser.open("/form")).html, "outcome")).toBe("sent");
    await post();
    const third = await post();
    expect([third.status, third.headers.get("Location")]).toEqual([303, "/form"]);
    expect(textOf((await browser.open("/form")).html, "outcome")).toBe("Too many requests: try again in a minute");
  });

  it("a key of one's own, and its message and period", async () => {
    await call("limit/named", "192.0.2.1", ["lin"]);
    await call("limit/named", "192.0.2.2", ["lin"]);
    const refused = await call("limit/named", "192.0.2.3", ["lin"]);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("10");
    expect(await refused.text()).toContain("Slow down");
    expect((await call("limit/named", "192.0.2.3", ["ada"])).status).toBe(200);
  });

  it("a missing binding fails loudly, naming it and what to add", async () => {
    const response = await call("limit/missing", "192.0.2.9", [], serve({}, development));
    expect(response.status).toBe(500);
    // The message is a string inside the record's JSON: its quotes come escaped.
    expect(await response.text()).toMatch(/env\.NO_SUCH_LIMITER is not a Rate Limiting binding: add \[\[ratelimits\]\] name = \W+NO_SUCH_LIMITER\W+ with namespace_id/);
    expect(() => rateLimit({ binding: "X", period: 30 as 60 })).toThrow(/count over 10 or 60 seconds/);
  });
});
