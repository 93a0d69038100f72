// Middleware around server functions: the app's (createSortie({ middleware })) then the
// function's own ({ use }), on every path — a stub call, a form post without JavaScript, a
// read, and a query called on the server (a page's preload, single flight's re-run).
import { beforeEach, describe, expect, it } from "vitest";
import { createServerReference, markAsQuery as markStubAsQuery } from "../../../client/stub.ts";
import { action } from "../../../common/action.ts";
import { ServerError } from "../../../common/errors.ts";
import { actionUrl, RETURN_FIELD } from "../../../common/forms.ts";
import type { Middleware } from "../../../common/middleware.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { createMiddleware, MiddlewareValueError } from "../../../worker/endpoint/middleware.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { useSubmission } from "../../../worker/forms/submission.ts";
import { query } from "../../../worker/queries/query.ts";
import { redirect } from "../../../worker/request/redirect.ts";
import { FormBrowser, textOf } from "../forms/browser.ts";
import { bodyText, serve, useClient } from "./serve.ts";

const log: string[] = [];
const step = (name: string): Middleware => async (call, next) => {
  log.push(`${name}:${call.kind}`);
  const outcome = await next();
  log.push(`${name} saw ${outcome.type}`);
  return outcome;
};

const requireMember = createMiddleware<{ name: string }>(async (call, next) => {
  const who = call.args.at(-1);
  const name = who instanceof FormData ? who.get("who") : who;
  if (name === "nobody") throw new ServerError("Members only", { status: 403 });
  if (name === "elsewhere") throw redirect("/elsewhere");
  return next({ name: String(name) });
}, "requireMember");

const greet = action(
  registerServerFunction("middleware/greet", async (who: unknown) => {
    log.push("greet");
    return `hello ${requireMember.value().name}${who instanceof FormData ? " (form)" : ""}`;
  }),
  { use: [step("own"), requireMember] },
);
const unguarded = registerServerFunction("middleware/unguarded", async () => requireMember.value());
const count = query(
  registerServerFunction("middleware/count", async (who: string) => {
    log.push("count");
    return `${requireMember.value().name} counted`;
  }),
  "count",
  { use: [requireMember] },
);

const routes = defineRoutes([
  { path: "/count/:who", preload: ({ params }) => count(params.who), component: async ({ params }) => <p id="count">{await count(params.who)}</p> },
  { path: "/greet", component: () => <p id="greeted">{String(useSubmission(greet)?.result ?? useSubmission(greet)?.error?.message ?? "none")}</p> },
]);
const manifest = { entry: "/assets/entry.js", imports: [], css: [] };
const app = serve({ routes, manifest, middleware: [step("app")] });
useClient(app);

beforeEach(() => {
  log.length = 0;
});

describe("middleware", () => {
  it("runs the app's, then the function's own, then the function, and each sees the outcome (a stub call)", async () => {
    expect(await createServerReference<(who: string) => Promise<string>>("middleware/greet")("ada")).toBe("hello ada");
    expect(log).toEqual(["app:stub", "own:stub", "greet", "own saw result", "app saw result"]);
  });

  it("a refusal short-circuits: the function never runs, the caller gets the error, outer steps see it", async () => {
    const error = await createServerReference<(who: string) => Promise<string>>("middleware/greet")("nobody").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, message: "Members only" });
    expect(log).toEqual(["app:stub", "own:stub", "own saw error", "app saw error"]);
  });

  it("a redirect() from middleware is the call's redirect", async () => {
    const outcome = await app("/_server/middleware%2Fgreet", {
      method: "POST",
      headers: { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" },
      body: JSON.stringify({ t: { t: 9, i: 0, a: [{ t: 1, s: "elsewhere" }], o: 0 }, f: 0, m: [] }),
    });
    expect((await bodyText(outcome)).split("\n")[0]).toContain('"l"');
    expect(log).toEqual(["app:stub", "own:stub", "own saw redirect", "app saw redirect"]);
  });

  it("without JavaScript the same: a refusal is the flash's error, a redirect a 303 there", async () => {
    const browser = new FormBrowser(app);
    const posted = await browser.submit(actionUrl(greet), { who: "nobody", [RETURN_FIELD]: "/greet" });
    expect([posted.status, posted.headers.get("Location")]).toEqual([303, "/greet"]);
    expect(textOf((await browser.open("/greet")).html, "greeted")).toBe("Members only");
    expect(log.slice(0, 2)).toEqual(["app:form", "own:form"]);
    const away = await browser.submit(actionUrl(greet), { who: "elsewhere", [RETURN_FIELD]: "/greet" });
    expect([away.status, away.headers.get("Location")]).toEqual([303, "/elsewhere"]);
    await browser.submit(actionUrl(greet), { who: "grace", [RETURN_FIELD]: "/greet" });
    expect(textOf((await browser.open("/greet")).html, "greeted")).toBe("hello grace (form)");
  });

  it("a read (GET) and a query called on the server (a page's preload) go through it too", async () => {
    const read = createServerReference<(who: string) => Promise<string>>("middleware/count");
    markStubAsQuery(read, "count");
    expect(await read("ada")).toBe("ada counted");
    expect(log).toEqual(["app:read", "count", "app saw result"]);
    log.length = 0;
    const page = await app("/count/lin");
    expect(await bodyText(page)).toContain('<p id="count">lin counted</p>');
    // The preload and the page share one call of the query (the request's cache): one pass.
    expect(log).toEqual(["app:server", "count", "app saw result"]);
    // The page streams: the refusal takes the component's place, with its status.
    const refused = await app("/count/nobody");
    expect(await bodyText(refused)).toMatch(/<p role="alert" data-sortie-error="403">/);
  });

  it("value() where the middleware did not run says which option adds it", async () => {
    const error = await createServerReference<() => Promise<unknown>>("middleware/unguarded")().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500 });
    expect(() => requireMember.value()).toThrow(MiddlewareValueError);
    expect(() => requireMember.value()).toThrow(/requireMember.value\(\) was read in a call it does not guard: add it with \{ use: \[requireMember\] \}/);
    void unguarded;
  });

  it("bad middleware options fail where they are declared, naming them", () => {
    expect(() => serve({ middleware: [1 as unknown as Middleware] })).toThrow(/createSortie\(\{ middleware \}\): must be an array of middleware functions/);
    const fn = registerServerFunction("middleware/bad", async () => 1);
    expect(() => action(fn, { use: "requireUser" as unknown as Middleware[] })).toThrow(/action\(fn\): \{ use \} must be an array of middleware functions/);
  });
});
