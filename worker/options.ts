import type { OriginOptions } from "./endpoint/origin.ts";
import type { DecodeLimits } from "./endpoint/decode.ts";
import type { FollowUp } from "./endpoint/outcome.ts";
import type { PageSortieOptions } from "./pages/page-options.ts";
import type { SessionOptions } from "./session/options.ts";
import type { Middleware } from "../common/middleware.ts";

/** What `createSortie(options)` and `sortieRoutes(options)` accept. */
export interface SortieOptions extends PageSortieOptions {
  /**
   * The app's own origins (`["https://shop.example.com"]`): requests for another host are
   * refused, so a DNS-rebinding page cannot use the app (localhost and IP addresses still
   * pass under development). Default: the Host header is trusted in production; under
   * development only localhost and IP addresses are served.
   */
  origins?: readonly string[];
  /** Origins besides the app's own whose pages may call its server functions. Default none. */
  allowedOrigins?: readonly string[];
  /** Refuse state-changing requests that carry neither Origin nor Sec-Fetch-Site. Default false. */
  rejectMissingOrigin?: boolean;
  /** Largest request body in bytes, counted while it streams. Default 1 MB (1,048,576). */
  maxBodySize?: number;
  /** Longest wait for a request body to arrive, in milliseconds, answered 408. Default 30,000. */
  bodyTimeout?: number;
  /** Deepest nesting of an argument value. Default 32. */
  maxDepth?: number;
  /** Most arguments per call, bound ones included. Default 16. */
  maxArgs?: number;
  /**
   * Largest size of a call's arguments once shared references are followed: one per value
   * plus the length of each string, a referenced value counted wherever it appears. Bounds
   * what a small payload can expand into (a query key, a tree walk). Default: maxBodySize.
   */
  maxExpandedSize?: number;
  /** Most fields a form body may have (a plain form post, a multipart stub call). Default 1,000. */
  maxFormFields?: number;
  /**
   * Seal the arguments bound with `.with(…)` as they leave the Worker (a form's URL, an island's
   * prop, a result), like a closure's captured values always are: the browser can neither read
   * nor change them, and a changed one is a 400. Needs the session secret. Default false
   * (docs/references.md says why).
   */
  sealBoundArguments?: boolean;
  /**
   * Middleware around every server function call: stub calls, form posts, reads, and queries
   * called on the server (preloads, single flight's re-run). They run in array order, before
   * the function's own (`action(fn, { use })`).
   */
  middleware?: readonly Middleware[];
  /**
   * Server-Timing on stub and read answers (decode, middleware, call, commit, encode in the
   * header; each re-run query in a last `t` record) in production too. Always on under
   * development. Default false.
   */
  serverTiming?: boolean;
  /** Records streamed after a stub call's result (single flight plugs in here). */
  followUp?: FollowUp;
  /** Defaults for every `useSession()` of the app (password, cookie name, maxAge, …). */
  session?: SessionOptions;
}

export type EndpointOptions = OriginOptions &
  DecodeLimits & { followUp: FollowUp | undefined; middleware: readonly Middleware[]; serverTiming: boolean };

/** An option has a value Sortie cannot use. */
export class SortieOptionsError extends Error {
  override name = "SortieOptionsError";
}

export function resolveOptions(options: SortieOptions): EndpointOptions {
  const maxBodySize = positiveInteger("maxBodySize", options.maxBodySize, 1024 * 1024);
  return {
    origins: options.origins === undefined ? undefined : originList("origins", options.origins),
    allowedOrigins: originList("allowedOrigins", options.allowedOrigins ?? []),
    rejectMissingOrigin: options.rejectMissingOrigin ?? false,
    maxBodySize,
    bodyTimeout: positiveInteger("bodyTimeout", options.bodyTimeout, 30_000),
    maxExpandedSize: positiveInteger("maxExpandedSize", options.maxExpandedSize, maxBodySize),
    maxFormFields: positiveInteger("maxFormFields", options.maxFormFields, 1_000),
    maxDepth: positiveInteger("maxDepth", options.maxDepth, 32),
    maxArgs: positiveInteger("maxArgs", options.maxArgs, 16),
    followUp: options.followUp,
    middleware: middlewareList(options.middleware),
    serverTiming: options.serverTiming === true,
  };
}

/** The app's middleware, checked at startup. */
export function middlewareList(middleware: readonly Middleware[] | undefined): readonly Middleware[] {
  if (middleware === undefined) return [];
  if (!Array.isArray(middleware) || middleware.some((step) => typeof step !== "function")) {
    throw new SortieOptionsError("createSortie({ middleware }): must be an array of middleware functions (call, next) => outcome");
  }
  return Object.freeze([...middleware]);
}

function originList(name: string, origins: readonly string[]): readonly string[] {
  if (!Array.isArray(origins)) throw new SortieOptionsError(`createSortie({ ${name} }): must be an array of origins, e.g. ["https://shop.example.com"]`);
  for (const origin of origins) {
    if (!isOrigin(origin)) {
      throw new SortieOptionsError(
        `createSortie({ ${name} }): ${JSON.stringify(origin)} is not an origin; write scheme, host and port only, e.g. "https://shop.example.com"`,
      );
    }
  }
  return origins;
}

function isOrigin(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

export function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new SortieOptionsError(`createSortie({ ${name} }): must be a positive whole number (got ${JSON.stringify(value)})`);
  }
  return value;
}
