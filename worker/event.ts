import type { Context } from "hono";
import type { RequestEvent } from "./context.ts";
import { sealCookies } from "./cookies.ts";
import { ResponseStartedError } from "./errors.ts";

/** `SORTIE_ENV` holds something other than "development" or "production". */
export class SortieEnvError extends Error {
  override name = "SortieEnvError";
}

interface Hooks {
  pending: Array<() => Promise<void> | void>;
  started: boolean;
}

const HOOKS = Symbol("sortie.beforeResponse");

/** The RequestEvent of a request Hono is handling; server functions reach it through getRequestEvent(). */
export function createRequestEvent(c: Context): RequestEvent {
  const env = (c.env ?? {}) as Record<string, unknown>;
  const hooks: Hooks = { pending: [], started: false };
  return {
    request: c.req.raw,
    url: new URL(c.req.url),
    env,
    hono: c,
    // Read lazily: Hono throws when the app was called without an ExecutionContext, and only
    // code that really needs waitUntil should meet that error.
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
    signal: c.req.raw.signal,
    dev: isDevelopment(env),
    response: { status: 200, headers: new Headers() },
    locals: new Map([[HOOKS, hooks]]),
    beforeResponse(hook) {
      if (hooks.started) throw new ResponseStartedError("beforeResponse()");
      hooks.pending.push(hook);
    },
  };
}

/**
 * Runs the `beforeResponse` hooks once, in registration order (a hook may register another
 * one; it runs too), then writes this request's cookie changes as Set-Cookie headers. Call it
 * once, after the work and before the response starts. A hook that throws stops the rest, no
 * cookie is written, and its error reaches the caller, which turns it into the response.
 */
export async function finishRequestEvent(event: RequestEvent): Promise<void> {
  const hooks = event.locals.get(HOOKS) as Hooks;
  let finished = false;
  try {
    for (let hook = hooks.pending.shift(); hook; hook = hooks.pending.shift()) await hook();
    finished = true;
  } finally {
    hooks.started = true;
    // On a failed hook the error response carries no cookie: a half-done commit (a session
    // cookie whose KV write failed) must not reach the browser.
    const setCookies = sealCookies(event);
    if (finished) for (const value of setCookies) event.response.headers.append("Set-Cookie", value);
  }
}

function isDevelopment(env: Record<string, unknown>): boolean {
  const mode = env.SORTIE_ENV;
  if (mode === undefined || mode === "production") return false;
  if (mode === "development") return true;
  throw new SortieEnvError(
    `SORTIE_ENV must be "development" or "production" (got ${JSON.stringify(mode)}): set it under [vars] in wrangler.toml or in .dev.vars`,
  );
}
