import { encodeBase64Url, utf8 } from "./bytes.ts";
import { SessionStoreError, SessionTooLargeError } from "./errors.ts";

/** The part of a KV namespace binding sessions use. */
export interface SessionNamespace {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options: { expirationTtl: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

/** KV's limit on one value (25 MiB). */
export const MAX_SESSION_BYTES = 25 * 1024 * 1024;


/**
 * Session data in KV, one entry per session. Entries are keyed by a hash of the session id,
 * so listing the namespace does not hand out live ids. Every KV fault becomes a
 * SessionStoreError naming the binding.
 */
export class SessionStore {
  readonly #namespace: SessionNamespace;
  readonly #binding: string;

  constructor(namespace: SessionNamespace, binding: string) {
    this.#namespace = namespace;
    this.#binding = binding;
  }

  async read(id: string): Promise<string | null> {
    const key = await storageKey(id);
    return this.#attempt("read", () => this.#namespace.get(key));
  }

  async write(id: string, json: string, ttlSeconds: number): Promise<void> {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: only encode when the bound is in doubt.
    const bytes = json.length * 3 > MAX_SESSION_BYTES ? utf8(json).byteLength : json.length;
    if (bytes > MAX_SESSION_BYTES) {
      throw new SessionTooLargeError(
        `Session data is ${bytes} bytes as JSON; a KV value holds at most ${MAX_SESSION_BYTES} (25 MiB). Keep large data in D1 or R2 and its key in the session`,
      );
    }
    const key = await storageKey(id);
    await this.#attempt("write", () => this.#namespace.put(key, json, { expirationTtl: ttlSeconds }));
  }

  async remove(id: string): Promise<void> {
    const key = await storageKey(id);
    await this.#attempt("delete", () => this.#namespace.delete(key));
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

async function storageKey(id: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", utf8(id));
  return `session:${encodeBase64Url(new Uint8Array(digest))}`;
}
