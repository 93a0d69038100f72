import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import type { Hono } from "hono";
import { beforeEach } from "vitest";
import { setTransport } from "../../../client/stub.ts";
import { createSortie, type SortieOptions } from "../../../worker/app.ts";

export const ORIGIN = "https://app.example";

export type Fetch = (input: string | Request, init?: RequestInit) => Promise<Response>;

/** The app under test, called the way workerd calls a Worker: fetch(request, env, ctx). */
export function serve(options: SortieOptions = {}, bindings: Record<string, unknown> = env as unknown as Record<string, unknown>): Fetch {
  // Under development only localhost and IP addresses are served unless `origins` names the
  // app's own (DNS rebinding, worker/endpoint/origin.ts): the tests' origin is named here.
  const pinned = bindings.SORTIE_ENV === "development" && !options.origins ? { ...options, origins: [ORIGIN] } : options;
  return serveApp(createSortie(pinned), bindings);
}

/** Any Hono app (one that mounts sortieRoutes()), called the same way. */
export function serveApp(app: Hono, bindings: Record<string, unknown> = env as unknown as Record<string, unknown>): Fetch {
  return async (input, init) => {
    const request = typeof input === "string" ? new Request(new URL(input, ORIGIN), init) : input;
    const ctx = createExecutionContext();
    const response = await app.fetch(request, bindings, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

/**
 * Before each test of the calling suite, points the real client stubs at `fetch`, with the
 * headers a browser adds to a same-origin fetch.
 */
export function useClient(fetch: Fetch): void {
  beforeEach(() => {
    setTransport((path, init) => {
      const headers = new Headers(init.headers);
      headers.set("Origin", ORIGIN);
      headers.set("Sec-Fetch-Site", "same-origin");
      return fetch(path, { ...init, headers });
    });
  });
}

export const production = env as unknown as Record<string, unknown>;
export const development = { ...production, SORTIE_ENV: "development" };

/** A response body as text (workerd warns when .text() reads a type it does not know as text). */
export async function bodyText(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}
