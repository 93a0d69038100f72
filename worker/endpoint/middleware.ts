import { declaredMiddleware } from "../../common/function-options.ts";
import type { Middleware, ServerCall } from "../../common/middleware.ts";
import { Redirect } from "../../common/redirect.ts";
import { findRequestEvent, getRequestEvent, type RequestEvent } from "../request/context.ts";
import { callChecked } from "./checked-call.ts";
import { callFunction, type CallOutcome } from "./outcome.ts";
import type { ServerTiming } from "./timing.ts";

const APP_MIDDLEWARE = Symbol("sortie.middleware");

/** The app's middleware (`createSortie({ middleware })`) for the calls of this request; set only when there is some. */
export function useAppMiddleware(event: RequestEvent, middleware: readonly Middleware[]): void {
  if (middleware.length) event.locals.set(APP_MIDDLEWARE, middleware);
}

/**
 * Calls `fn` through the app's middleware and its own (common/middleware.ts), inside the
 * request's context. Whatever a step throws becomes the outcome (a redirect() one too), so
 * a refusal reads the same to every path: a stub's error, a form's flash, a 303.
 * With no middleware, the function is called directly: a call pays nothing for the chain.
 */
export function callThroughMiddleware(
  fn: (...args: unknown[]) => Promise<unknown>,
  call: ServerCall,
  event = findRequestEvent(),
  timing?: ServerTiming,
): Promise<CallOutcome> {
  const chain = middlewareOf(fn, event);
  if (!timing && chain.length === 0) return callFunction(fn, call.args as unknown[]);
  return timedThrough(fn, call, chain, timing);
}

async function timedThrough(
  fn: (...args: unknown[]) => Promise<unknown>,
  call: ServerCall,
  chain: readonly Middleware[],
  timing: ServerTiming | undefined,
): Promise<CallOutcome> {
  let called = 0;
  const started = performance.now();
  const run = async () => {
    const before = performance.now();
    try {
      return await callFunction(fn, call.args as unknown[]);
    } finally {
      called = performance.now() - before;
    }
  };
  const outcome = chain.length === 0 ? await run() : await through(chain, call, run);
  timing?.add("middleware", performance.now() - started - called);
  timing?.add("call", called);
  return outcome;
}

function through(chain: readonly Middleware[], call: ServerCall, run: () => Promise<CallOutcome>): Promise<CallOutcome> {
  const step = async (index: number): Promise<CallOutcome> => {
    if (index === chain.length) return run();
    try {
      const outcome = await chain[index]!(call, () => step(index + 1));
      if (!isOutcome(outcome)) throw new TypeError(`A middleware of server function "${call.id}" returned ${String(outcome)}: return what next() gives (or throw)`);
      return outcome;
    } catch (error) {
      return error instanceof Redirect ? { type: "redirect", redirect: error } : { type: "error", error };
    }
  };
  return step(0);
}

/** The app's middleware, then the function's own. */
export function middlewareOf(fn: unknown, event: RequestEvent | undefined): readonly Middleware[] {
  const app = (event?.locals.get(APP_MIDDLEWARE) as readonly Middleware[] | undefined) ?? [];
  const own = declaredMiddleware(fn);
  return app.length === 0 ? own : own.length === 0 ? app : [...app, ...own];
}

/** A query called on the server: the function's value, or what the chain refused with, thrown. */
export async function callQueryThroughMiddleware(fn: (...args: unknown[]) => Promise<unknown>, id: string, args: unknown[]): Promise<unknown> {
  const event = findRequestEvent();
  if (middlewareOf(fn, event).length === 0) return callChecked(fn, args);
  const outcome = await callThroughMiddleware(fn, { id, kind: "server", args }, event);
  if (outcome.type === "result") return outcome.value;
  throw outcome.type === "error" ? outcome.error : outcome.redirect;
}

function isOutcome(value: unknown): value is CallOutcome {
  const type = (value as Partial<CallOutcome> | null)?.type;
  return type === "result" || type === "error" || type === "redirect";
}

/** The value a middleware made with createMiddleware handed to next(value), per request. */
export interface ValueMiddleware<T> extends Middleware {
  /** In the function it guards (or later middleware): the value it passed on. Throws where it did not run. */
  value(): T;
}

/** It was read where the middleware did not run (a function it does not guard). */
export class MiddlewareValueError extends Error {
  override name = "MiddlewareValueError";
}

/**
 * A middleware that hands a typed value to the function it guards:
 *
 *   export const requireUser = createMiddleware<User>(async (call, next) => {
 *     const user = await currentUser();
 *     if (!user) throw new ServerError("Unauthorized", { status: 401 });
 *     return next(user);
 *   });
 *   export const createPost = action(async (form: FormData) => {
 *     "use server";
 *     const user = requireUser.value(); // typed User
 *   }, { use: [requireUser] });
 */
export function createMiddleware<T = undefined>(
  run: (call: ServerCall, next: (value: T) => Promise<CallOutcome>) => Promise<CallOutcome>,
  name = run.name || "middleware",
): ValueMiddleware<T> {
  const key = Symbol(name);
  const middleware = ((call: ServerCall, next: () => Promise<CallOutcome>) =>
    run(call, (value: T) => {
      getRequestEvent().locals.set(key, { value });
      return next();
    })) as ValueMiddleware<T>;
  middleware.value = () => {
    const held = findRequestEvent()?.locals.get(key) as { value: T } | undefined;
    if (!held) throw new MiddlewareValueError(`${name}.value() was read in a call it does not guard: add it with { use: [${name}] } or to createSortie({ middleware })`);
    return held.value;
  };
  return middleware;
}
