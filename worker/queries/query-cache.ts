import { queryKey } from "../../common/query-key.ts";
import { findRequestEvent, requestLocal, type RequestEvent } from "../request/context.ts";
import { started } from "../request/started.ts";

/**
 * The per-request query cache: two calls of one query with the same arguments in one
 * request run once. Page rendering reads it to embed the results in the HTML; single
 * flight clears it and watches it to stream each re-run query as it resolves.
 */

export type QueryOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface QueryCall {
  /** The query's declared key. */
  readonly key: string;
  readonly args: readonly unknown[];
  /** `queryKey(key, args)`. */
  readonly cacheKey: string;
  readonly promise: Promise<unknown>;
  /** Set once the promise settles, so synchronous readers (useQuery) can see the result. */
  outcome?: QueryOutcome;
}

interface QueryCache {
  calls: Map<string, QueryCall>;
  /** How many more calls may start (single flight's cap). */
  remaining: number;
  /** Told about every call as it starts. */
  watch?: (call: QueryCall) => void;
  /** Told about the first call over the limit; cleared once told, so it hears of one per restart. */
  refused?: (error: QueryLimitError) => void;
}

const CACHE = Symbol("sortie.queryCache");

export class QueryLimitError extends Error {
  override name = "QueryLimitError";
}

function cacheOf(event: RequestEvent): QueryCache {
  return requestLocal(CACHE, () => ({ calls: new Map(), remaining: Infinity }), event);
}

/** The call of `key(...args)` in this request: the cached one, or a new one of `run`. */
export function callQuery(key: string, args: readonly unknown[], run: () => Promise<unknown>): QueryCall {
  const cacheKey = queryKey(key, args);
  const event = findRequestEvent();
  // Outside a request (a script, a test calling the function directly) there is nothing to share.
  if (!event) return startCall(key, args, cacheKey, run);
  const cache = cacheOf(event);
  const cached = cache.calls.get(cacheKey);
  if (cached) return cached;
  if (cache.remaining <= 0) {
    const error = new QueryLimitError(
      `The single-flight re-run reached its limit of queries (createSortie option maxQueries); "${cacheKey}" was not run`,
    );
    // Reported here: a preload that does not await the call (`void q()`) would never see it fail.
    cache.refused?.(error);
    cache.refused = undefined;
    return startCall(key, args, cacheKey, () => Promise.reject(error));
  }
  cache.remaining--;
  const call = startCall(key, args, cacheKey, run);
  cache.calls.set(cacheKey, call);
  cache.watch?.(call);
  return call;
}

function startCall(key: string, args: readonly unknown[], cacheKey: string, run: () => Promise<unknown>): QueryCall {
  // A synchronous throw becomes a rejection like any other failure.
  const promise = started(run);
  const call: QueryCall = { key, args, cacheKey, promise };
  promise.then(
    (value) => (call.outcome = { ok: true, value }),
    (error: unknown) => (call.outcome = { ok: false, error }),
  );
  return call;
}

/**
 * Forgets every cached call and starts counting anew: what runs from now on is fresh.
 * `watch` sees each new call; at most `limit` calls may start, and `refused` hears of the
 * first call over it (those calls fail with a QueryLimitError).
 */
export function restartQueryCache(
  event: RequestEvent,
  limit: number,
  watch: (call: QueryCall) => void,
  refused?: (error: QueryLimitError) => void,
): void {
  const cache = cacheOf(event);
  cache.calls = new Map();
  cache.remaining = limit;
  cache.watch = watch;
  cache.refused = refused;
}

/**
 * Waits until every call of this request has settled, including calls started meanwhile. It
 * always waits a few turns, even when all have settled: a query started from a settled call's
 * handlers without being awaited still makes it in.
 */
export async function settleQueries(event: RequestEvent): Promise<QueryCall[]> {
  const cache = cacheOf(event);
  let calls: QueryCall[];
  do {
    calls = [...cache.calls.values()];
    await Promise.allSettled(calls.map((call) => call.promise));
  } while (cache.calls.size !== calls.length);
  return calls;
}
