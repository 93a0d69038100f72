import { ServerError } from "../../common/errors.ts";
import type { Middleware, ServerCall } from "../../common/middleware.ts";
import { getRequestEvent, type RequestEvent } from "../request/context.ts";
import { useSession } from "../session/session.ts";

/** The Workers Rate Limiting binding (`[[ratelimits]]` in wrangler.toml). */
interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

export interface RateLimitOptions {
  /** The binding's name, e.g. "SIGN_IN_LIMITER" for `[[ratelimits]] name = "SIGN_IN_LIMITER"`. */
  binding: string;
  /**
   * Whose calls are counted together: "ip" (the client's address, `CF-Connecting-IP`),
   * "session" (the session's id; the address when there is no session cookie), or a function
   * of the call. The function's id is prefixed, so one binding can limit several functions
   * apart. Default "ip".
   */
  key?: "ip" | "session" | ((call: ServerCall, event: RequestEvent) => string | Promise<string>);
  /** The binding's period in seconds (its `simple.period`: 10 or 60), sent as Retry-After. Default 60. */
  period?: 10 | 60;
  /** What the refused caller reads. Default "Too many requests: try again in a minute" (or in 10 seconds). */
  message?: string;
}

/** The binding is missing or is not a Rate Limiting binding. */
export class RateLimitBindingError extends Error {
  override name = "RateLimitBindingError";
}

/**
 * Middleware that counts calls on a Workers Rate Limiting binding and refuses those over its
 * limit with a 429 and `Retry-After`: a stub call rejects with a ServerError, a form posted
 * without JavaScript shows it as its error. Queries called on the server (a page's preload,
 * single flight's re-run) are not counted: they are not the client's calls. Cloudflare counts
 * per location, and the limit is approximate by design.
 *
 *   const signInLimit = rateLimit({ binding: "SIGN_IN_LIMITER", key: "ip", period: 60 });
 *   export const signIn = action(async (form: FormData) => { "use server"; … }, { use: [signInLimit] });
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const { binding, key = "ip", period = 60 } = options;
  if (typeof binding !== "string" || binding === "") throw new RateLimitBindingError("rateLimit({ binding }): name the [[ratelimits]] binding, e.g. { binding: \"SIGN_IN_LIMITER\" }");
  if (period !== 10 && period !== 60) throw new RateLimitBindingError(`rateLimit({ period }): Workers rate limits count over 10 or 60 seconds (got ${String(period)})`);
  const message = options.message ?? `Too many requests: try again in ${period === 60 ? "a minute" : "10 seconds"}`;
  return async (call, next) => {
    if (call.kind === "server") return next();
    const event = getRequestEvent();
    const limiter = (event.env as Record<string, unknown>)[binding] as Partial<RateLimiter> | undefined;
    if (typeof limiter?.limit !== "function") {
      throw new RateLimitBindingError(
        `rateLimit: env.${binding} is not a Rate Limiting binding: add [[ratelimits]] name = "${binding}" with namespace_id and simple = { limit, period = ${period} } to wrangler.toml`,
      );
    }
    const who = typeof key === "function" ? await key(call, event) : await keyOf(key, event);
    const { success } = await limiter.limit({ key: `${call.id}:${who}` });
    if (success) return next();
    event.response.headers.set("Retry-After", String(period));
    throw new ServerError(message, { status: 429 });
  };
}

async function keyOf(kind: "ip" | "session", event: RequestEvent): Promise<string> {
  const ip = event.request.headers.get("cf-connecting-ip") ?? "unknown";
  if (kind === "ip") return `ip:${ip}`;
  // No session cookie: no session to read (and none to create): count by address.
  const session = await useSession();
  return Object.keys(session.data).length ? `session:${session.id}` : `ip:${ip}`;
}
