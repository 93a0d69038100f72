import { AsyncLocalStorage } from "node:async_hooks";
import type { Context } from "hono";

declare global {
  namespace Cloudflare {
    /**
     * The Worker's bindings. `wrangler types` declares its members from wrangler.toml (in
     * worker-configuration.d.ts); Sortie only opens the interface so it can name it.
     */
    interface Env {}
  }
}

/**
 * The type of `getRequestEvent().env`: the `Env` that `wrangler types` generated, or, in a
 * project that has not run it, a record of unknown values.
 */
export type WorkerEnv = keyof Cloudflare.Env extends never ? Record<string, unknown> : Cloudflare.Env;

/** Per-request facts and state, reachable from any server function without passing it. */
export interface RequestEvent {
  request: Request;
  url: URL;
  /** The Worker's bindings and vars (KV, D1, secrets), typed by `wrangler types` (see WorkerEnv). */
  env: WorkerEnv;
  /** The Hono context of the request. */
  hono: Context;
  waitUntil(promise: Promise<unknown>): void;
  /** Fires when the client goes away. */
  signal: AbortSignal;
  /** True under `wrangler dev` (SORTIE_ENV=development): errors show message and stack. */
  dev: boolean;
  /** Status and headers the response will carry; server functions may change them. */
  response: { status: number; headers: Headers };
  /**
   * Per-request state owned by individual modules (cookies, session, query cache, …),
   * each under a key private to that module.
   */
  locals: Map<symbol, unknown>;
  /**
   * Work that must finish before the response starts (write the session, set cookies).
   * Hooks run once, in registration order; one that throws turns into an error response.
   */
  beforeResponse(hook: () => Promise<void> | void): void;
}

const storage = new AsyncLocalStorage<RequestEvent>();

export class NoRequestEventError extends Error {
  override name = "NoRequestEventError";
}

/** The current request's event. Throws outside a request handled by Sortie. */
export function getRequestEvent(): RequestEvent {
  const event = storage.getStore();
  if (!event) {
    throw new NoRequestEventError(
      "getRequestEvent() was called outside a request handled by Sortie: call it inside a server function, query, preload or page",
    );
  }
  return event;
}

/** The current request's event, or undefined outside one (for code that runs in both). */
export function findRequestEvent(): RequestEvent | undefined {
  return storage.getStore();
}

export function runWithRequestEvent<T>(event: RequestEvent, fn: () => T): T {
  // Already in it: a run would make a new async context frame for the same store.
  return storage.getStore() === event ? fn() : storage.run(event, fn);
}

/** A module's per-request state: created on first use, kept for the rest of the request. */
export function requestLocal<T>(key: symbol, create: () => T, event = getRequestEvent()): T {
  if (!event.locals.has(key)) event.locals.set(key, create());
  return event.locals.get(key) as T;
}
