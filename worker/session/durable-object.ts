import { SessionStoreError } from "./errors.ts";
import { checkSize, Retired, type SessionStore } from "./store.ts";

// The parts of workerd's Durable Object API used here (declared locally: the Worker code also
// type-checks without @cloudflare/workers-types).
interface ObjectStorage {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  deleteAll(): Promise<void>;
  setAlarm(scheduledTime: number): Promise<void>;
}
interface ObjectState {
  readonly storage: ObjectStorage;
}
interface ObjectStub {
  fetch(input: string, init: { method: string; body: string }): Promise<Response>;
}
/** The part of a Durable Object namespace binding sessions use. */
export interface SessionObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): ObjectStub;
}

/**
 * Largest value the store keeps for one key: 128 KiB, the per-value limit of key-value backed
 * Durable Object storage (SQLite-backed objects take up to 2 MB), so the class works on either.
 */
export const MAX_OBJECT_SESSION_BYTES = 128 * 1024;

interface StoredRecord {
  /** The session's JSON; absent for a tombstone. */
  json?: string;
  /** When it was retired (ms since the epoch); set for a tombstone. */
  retiredAt?: number;
  /** Unix time in milliseconds. */
  expiresAt: number;
}

type Operation = { op: "read" } | { op: "write"; json: string; ttl: number } | { op: "retire"; ttl: number };

/**
 * The Durable Object behind the `"durable-object"` session store: one object per session (or
 * flash), named by the store key. Export it from the Worker entry and bind it:
 *
 *   export { SortieSessionObject } from "sortie/worker";
 *
 *   [[durable_objects.bindings]]
 *   name = "SESSION_OBJECTS"
 *   class_name = "SortieSessionObject"
 *   [[migrations]]
 *   tag = "sortie-sessions-v1"
 *   new_sqlite_classes = ["SortieSessionObject"]
 *
 * One object per session rather than a sharded set: requests of one session are served one
 * at a time by their object (a tombstone check and a write are one step, nothing to race),
 * objects of different sessions never wait for each other, and an object with nothing stored
 * costs nothing. An alarm deletes what it holds once it expires.
 */
export class SortieSessionObject {
  readonly #storage: ObjectStorage;

  constructor(state: ObjectState, _env: unknown) {
    this.#storage = state.storage;
  }

  async fetch(request: Request): Promise<Response> {
    const operation = (await request.json()) as Operation;
    const now = Date.now();
    const stored = await this.#storage.get<StoredRecord>("record");
    const live = stored && stored.expiresAt > now ? stored : undefined;
    switch (operation.op) {
      case "read":
        return Response.json({ json: live?.json ?? null, retiredAt: live?.retiredAt ?? null });
      case "write":
        if (live?.retiredAt !== undefined) return Response.json({ written: false });
        await this.#keep({ json: operation.json, expiresAt: now + operation.ttl * 1000 });
        return Response.json({ written: true });
      case "retire":
        if (live?.retiredAt === undefined) await this.#keep({ retiredAt: now, expiresAt: now + operation.ttl * 1000 });
        return Response.json({ retired: true });
      default:
        return new Response("unknown operation", { status: 400 });
    }
  }

  async alarm(): Promise<void> {
    const stored = await this.#storage.get<StoredRecord>("record");
    if (!stored || stored.expiresAt <= Date.now()) await this.#storage.deleteAll();
    else await this.#storage.setAlarm(stored.expiresAt);
  }

  async #keep(record: StoredRecord): Promise<void> {
    await this.#storage.put("record", record);
    await this.#storage.setAlarm(record.expiresAt);
  }
}

/** Sessions in Durable Objects (SortieSessionObject): read-your-writes anywhere, instant revocation. */
export class DurableObjectSessionStore implements SessionStore {
  readonly #namespace: SessionObjectNamespace;
  readonly #binding: string;

  constructor(namespace: SessionObjectNamespace, binding: string) {
    this.#namespace = namespace;
    this.#binding = binding;
  }

  async read(key: string): Promise<string | Retired | null> {
    const answer = await this.#call<{ json: string | null; retiredAt: number | null }>(key, { op: "read" }, "read");
    return answer.retiredAt === null ? answer.json : new Retired(answer.retiredAt);
  }

  async write(key: string, json: string, ttlSeconds: number): Promise<boolean> {
    checkSize(json, MAX_OBJECT_SESSION_BYTES, "a Durable Object storage value (128 KiB)");
    return (await this.#call<{ written: boolean }>(key, { op: "write", json, ttl: ttlSeconds }, "write")).written;
  }

  async retire(key: string, ttlSeconds: number): Promise<void> {
    await this.#call(key, { op: "retire", ttl: ttlSeconds }, "retire");
  }

  async #call<T>(key: string, operation: Operation, what: string): Promise<T> {
    try {
      const stub = this.#namespace.get(this.#namespace.idFromName(key));
      const response = await stub.fetch("https://sortie-session/", { method: "POST", body: JSON.stringify(operation) });
      if (!response.ok) throw new Error(`the object answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    } catch (cause) {
      console.error(`[sortie] session store: Durable Object ${what} on binding "${this.#binding}" failed:`, cause);
      throw new SessionStoreError(
        `The session store is unavailable (Durable Object ${what} on binding "${this.#binding}" failed); try again shortly`,
        cause,
      );
    }
  }
}
