// The client cache for code outside islands (plain DOM code, another UI library): `useQuery`
// and `<QueryValue>` are built on the same entries.
import type { Query } from "../common/query-key.ts";
import { readQuery, subscribeQuery, type CacheEntry } from "./cache.ts";

type AnyAsyncFunction = (...args: any[]) => Promise<unknown>;
type EntryOf<F extends AnyAsyncFunction> = CacheEntry<Awaited<ReturnType<F>>>;

/**
 * What the client cache holds for `query(...args)`, without reading anything: undefined until
 * the page's data, a read or a single-flight record brought it.
 */
export function peek<F extends AnyAsyncFunction>(query: Query<F>, ...args: Parameters<F>): EntryOf<F> | undefined {
  return readQuery(query.keyFor(...args)) as EntryOf<F> | undefined;
}

/**
 * Calls `listener` with the entry of `query(...args)` each time it is written (a read, a
 * single-flight record after a mutation); returns the unsubscribe. It does not read: call
 * `query(...args)` to load an entry that is not there yet.
 */
export function subscribe<F extends AnyAsyncFunction>(query: Query<F>, args: Parameters<F>, listener: (entry: EntryOf<F>) => void): () => void {
  const cacheKey = query.keyFor(...args);
  return subscribeQuery(cacheKey, () => listener(readQuery(cacheKey) as EntryOf<F>));
}
