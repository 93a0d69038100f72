import type * as Dom from "hono/jsx/dom";
import type { Query } from "../common/query-key.ts";
import { readQuery, subscribeQuery } from "./cache.ts";

type AnyAsyncFunction = (...args: any[]) => Promise<unknown>;

// hono/jsx/dom arrives with the first island (client/islands.ts), never with the entry: a
// page without islands loads no UI library. useQuery only ever runs inside an island.
let dom: typeof Dom | undefined;

export function provideDom(module: typeof Dom): void {
  dom = module;
}

/** hono/jsx/dom once an island brought it (hooks other than useQuery use it too). */
export function loadedDom(): typeof Dom | undefined {
  return dom;
}

/**
 * The cached value of `query(...args)` in an island (undefined until it loads); the island
 * re-renders whenever the entry changes, e.g. when a single-flight record brings it fresh.
 * Throws the query's error if its last read failed.
 */
export function useQuery<F extends AnyAsyncFunction>(query: Query<F>, ...args: Parameters<F>): Awaited<ReturnType<F>> | undefined {
  if (!dom) throw new Error("useQuery() works inside islands rendered by start({ islands })");
  const cacheKey = query.keyFor(...args);
  const subscribe = dom.useCallback((listener: () => void) => subscribeQuery(cacheKey, listener), [cacheKey]);
  const read = () => readQuery(cacheKey);
  const entry = dom.useSyncExternalStore(subscribe, read, read);
  // Not loaded yet: read it; the outcome (value or error) lands in the cache and re-renders.
  if (!entry) query(...args).catch(() => {});
  else if (!entry.ok) throw entry.error;
  return entry?.ok ? (entry.value as Awaited<ReturnType<F>>) : undefined;
}
