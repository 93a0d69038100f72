/**
 * Middleware of server functions: steps that run around a call, on every path (a stub call,
 * a form post, a read, and a query called on the server — a page's preload, single flight's
 * re-run). Declared for the whole app (`createSortie({ middleware })`) or with the function
 * (`action(fn, { use })`, `query(fn, key, { use })`). The order: the app's, in array order,
 * then the function's, then the function.
 */
import type { CallOutcome } from "../worker/endpoint/outcome.ts";

/** One call as middleware sees it. */
export interface ServerCall {
  /** The server function's id. */
  readonly id: string;
  /** stub: a call from client code; form: a form posted without JavaScript; read: a query's GET; server: a query called on the server. */
  readonly kind: "stub" | "form" | "read" | "server";
  /** As sent: the function's `{ input }` schemas check them after the middleware, right before the call. */
  readonly args: readonly unknown[];
}

/**
 * A step around a call: it may refuse (throw a ServerError, or a redirect()), call `next()`
 * to go on, and look at or replace the outcome `next()` gives back.
 */
export type Middleware = (call: ServerCall, next: () => Promise<CallOutcome>) => Promise<CallOutcome>;
