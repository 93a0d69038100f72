/**
 * Middleware of server functions: steps that run around a call, on every path (a stub call,
 * a form post, a read, and a query called on the server — a page's preload, single flight's
 * re-run). Declared for the whole app (`createSortie({ middleware })`) or with the function
 * (`action(fn, { use })`, `query(fn, key, { use })`). The order: the app's, in array order,
 * then the function's, then the function.
 */
import type { CallOutcome } from "../worker/endpoint/outcome.ts";
import { referenceInfo } from "./reference.ts";

/** One call as middleware sees it. */
export interface ServerCall {
  /** The server function's id. */
  readonly id: string;
  /** stub: a call from client code; form: a form posted without JavaScript; read: a query's GET; server: a query called on the server. */
  readonly kind: "stub" | "form" | "read" | "server";
  readonly args: readonly unknown[];
}

/**
 * A step around a call: it may refuse (throw a ServerError, or a redirect()), call `next()`
 * to go on, and look at or replace the outcome `next()` gives back.
 */
export type Middleware = (call: ServerCall, next: () => Promise<CallOutcome>) => Promise<CallOutcome>;

/** What a server function may declare with itself. */
export interface FunctionOptions {
  /** Middleware around this function, after the app's own. */
  readonly use?: readonly Middleware[];
}

const USE = Symbol.for("sortie.use");

/** Keeps a function's declared middleware on its reference (the stub in the browser ignores it). */
export function declareOptions(fn: unknown, options: FunctionOptions | undefined, where: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) throw new TypeError(`${where}: options must be an object like { use: [requireUser] }`);
  const use = options.use ?? [];
  if (!Array.isArray(use) || use.some((step) => typeof step !== "function")) {
    throw new TypeError(`${where}: { use } must be an array of middleware functions`);
  }
  const info = referenceInfo(fn);
  if (info) Object.defineProperty(info, USE, { value: Object.freeze([...use]), configurable: true });
}

/** The middleware a server function declared (none for a plain "use server" function). */
export function declaredMiddleware(fn: unknown): readonly Middleware[] {
  const info = referenceInfo(fn) as { [USE]?: readonly Middleware[] } | undefined;
  return info?.[USE] ?? [];
}
