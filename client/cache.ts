import { queryKey } from "../common/query-key.ts";
import { onCallRecord } from "./records.ts";

/**
 * The client's query cache: one entry per query call, keyed by `queryKey(key, args)` like
 * the Worker's. Filled from the page's embedded data, from single-flight records and from
 * GET reads; whoever shows a query's value subscribes to its entry.
 */

/** What the cache holds for one query call: its value, or the error its last read failed with. */
export type CacheEntry<T = unknown> = { ok: true; value: T } | { ok: false; error: unknown };

const entries = new Map<string, CacheEntry>();
const listeners = new Map<string, Set<() => void>>();
const loading = new Map<string, Promise<unknown>>();
/** Writes so far per entry: a read that started before a newer write must not overwrite it. */
const writes = new Map<string, number>();

export function readQuery(cacheKey: string): CacheEntry | undefined {
  return entries.get(cacheKey);
}

/** Stores a value or an error and tells the entry's subscribers. */
export function writeQuery(cacheKey: string, entry: CacheEntry): void {
  entries.set(cacheKey, entry);
  writes.set(cacheKey, (writes.get(cacheKey) ?? 0) + 1);
  for (const listener of listeners.get(cacheKey) ?? []) listener();
}

/** Calls `listener` after every write to the entry; returns the unsubscribe function. */
export function subscribeQuery(cacheKey: string, listener: () => void): () => void {
  let set = listeners.get(cacheKey);
  if (!set) listeners.set(cacheKey, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (!set.size) listeners.delete(cacheKey);
  };
}

/**
 * Runs `read` (the GET) and stores its outcome unless a fresher write (a single-flight
 * record) landed meanwhile; concurrent loads of one entry share one read.
 */
export function loadQuery(cacheKey: string, read: () => Promise<unknown>): Promise<unknown> {
  let pending = loading.get(cacheKey);
  if (!pending) {
    const writesBefore = writes.get(cacheKey);
    const store = (entry: CacheEntry) => {
      if (writes.get(cacheKey) === writesBefore) writeQuery(cacheKey, entry);
    };
    pending = read().then(
      (value) => (store({ ok: true, value }), value),
      (error: unknown) => {
        store({ ok: false, error });
        throw error;
      },
    );
    const done = () => loading.delete(cacheKey);
    pending.then(done, done);
    loading.set(cacheKey, pending);
  }
  return pending;
}

/**
 * Feeds single-flight query records into the cache as responses deliver them (start()
 * calls it once). Returns the unsubscribe function.
 */
export function applyQueryRecords(): () => void {
  return onCallRecord((record) => {
    if (record.type !== "query") return;
    const cacheKey = queryKey(record.key, record.args);
    writeQuery(cacheKey, "value" in record ? { ok: true, value: record.value } : { ok: false, error: record.error });
  });
}
