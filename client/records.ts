import type { QueryRecord } from "../common/wire.ts";

/** What a stub call's response carries besides its own result: fresh queries, a redirect. */
export type CallRecord = QueryRecord | { type: "redirect"; location: string };

type Listener = (record: CallRecord) => void;

const listeners = new Set<Listener>();

/** Subscribes to records as responses deliver them (the client cache, the router). Returns the unsubscribe. */
export function onCallRecord(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Hands a record to every listener; false when nobody listens. */
export function emitCallRecord(record: CallRecord): boolean {
  for (const listener of listeners) listener(record);
  return listeners.size > 0;
}
