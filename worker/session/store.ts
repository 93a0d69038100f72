import { encodeBase64Url, utf8 } from "./bytes.ts";
import { SessionStoreError, SessionTooLargeError } from "./errors.ts";

/** What a store answers for a key that clear() or regenerate() retired, and when that was. */
export class Retired {
  /** Unix time in milliseconds (0 when unknown: then it counts as long ago). */
  readonly at: number;
  constructor(at: number) {
    this.at = at;
  }
}

/**
 * Where sessions (and no-JS flashes) live: KV by default (KvSessionStore), or a Durable
 * Object per key (durable-object.ts). Keys come from recordKey(). A retired key keeps a
 * tombstone for as long as a cookie could still name it, and refuses every later write, so a
 * request that loaded a session before another request retired it cannot bring it back.
 */
export interface SessionStore {
  /** The JSON stored under `key`: a Retired when it was retired, null when there is none. */
  read(key: string): Promise<string | Retired | null>;
  /**
   * Stores `json` for `ttlSeconds`, unless `key` is retired: then writes nothing and answers
   * false. `known: false` says the key was made in this request (a new session id), so no one
   * can have retired it: a store may skip the check.
   */
  write(key: string, json: string, ttlSeconds: number, known?: boolean): Promise<boolean>;
  /** Replaces what `key` holds with a tombstone, for `ttlSeconds`. */
  retire(key: string, ttlSeconds: number): Promise<void>;
}

/**
 * A store's key for a session id or a flash nonce: a hash of it, so listing the store does not
 * hand out live ids.
 */
export async function recordKey(kind: "session" | "flash", id: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", utf8(id));
  return `${kind}:${encodeBase64Url(new Uint8Array(digest))}`;
}

/** Throws unless `json` fits in one value of the store (`limit` bytes of UTF-8). */
export function checkSize(json: string, limit: number, store: string): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only encode when the bound is in doubt.
  const bytes = json.length * 3 > limit ? utf8(json).byteLength : json.length;
  if (bytes > limit) {
    throw new SessionTooLargeError(
      `Session data is ${bytes} bytes as JSON; ${store} holds at most ${limit} bytes in one value. Keep large data in D1 or R2 and its key in the session`,
    );
  }
}

/** The part of a KV namespace binding sessions use. */
export interface SessionNamespace {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options: { expirationTtl: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

/** KV's limit on one value (25 MiB). */
export const MAX_SESSION_BYTES = 25 * 1024 * 1024;

/** What a retired key holds in KV, followed by `:<ms>`: never the JSON of a session (always an object). */
const TOMBSTONE = "retired";

/**
 * Sessions in KV, one entry per key. A write first reads the key and skips a tombstone: KV
 * has no conditional write, so a retire that lands between that read and the write is lost
 * (a window of one KV round trip, within one location; across locations KV's own delay
 * applies). Every KV fault becomes a SessionStoreError naming the binding.
 */
export class KvSessionStore implements SessionStore {
  readonly #namespace: SessionNamespace;
  readonly #binding: string;

  constructor(namespace: SessionNamespace, binding: string) {
    this.#namespace = namespace;
    this.#binding = binding;
  }

  async read(key: string): Promise<string | Retired | null> {
    const value = await this.#attempt("read", () => this.#namespace.get(key));
    return value?.startsWith(TOMBSTONE) ? new Retired(Number(value.slice(TOMBSTONE.length + 1)) || 0) : value;
  }

  async write(key: string, json: string, ttlSeconds: number, known = true): Promise<boolean> {
    checkSize(json, MAX_SESSION_BYTES, "a KV value (25 MiB)");
    if (known && (await this.read(key)) instanceof Retired) return false;
    await this.#attempt("write", () => this.#namespace.put(key, json, { expirationTtl: ttlSeconds }));
    return true;
  }

  async retire(key: string, ttlSeconds: number): Promise<void> {
    // Already a tombstone (a parallel sign-in or sign-out): a second write could only meet
    // KV's one-write-per-second limit.
    if ((await this.read(key)) instanceof Retired) return;
    await this.#attempt("write", () => this.#namespace.put(key, `${TOMBSTONE}:${Date.now()}`, { expirationTtl: ttlSeconds }));
  }

  async #attempt<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      // The KV error stays in the log: the message below reaches the browser.
      console.error(`[sortie] session store: KV ${operation} on binding "${this.#binding}" failed:`, cause);
      throw new SessionStoreError(
        `The session store is unavailable (KV ${operation} on binding "${this.#binding}" failed); try again shortly`,
        cause,
      );
    }
  }
}
