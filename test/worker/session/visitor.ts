import { env } from "cloudflare:test";
import { createServerReference, setTransport } from "../../../client/stub.ts";
import { KvSessionStore, recordKey, type SessionNamespace } from "../../../worker/session/store.ts";
import { ORIGIN, type Fetch } from "../endpoint/serve.ts";

export const bindings = env as unknown as Record<string, unknown> & { SESSIONS: KVNamespace; SESSION_SECRET: string };

/**
 * A browser calling the app through the real client stub: it sends the cookies it holds and
 * keeps the ones the app sets, as a browser would (expired ones are dropped).
 */
export class Visitor {
  readonly jar = new Map<string, string>();
  /** The Set-Cookie headers of the last response. */
  setCookies: string[] = [];
  status = 0;
  readonly #fetch: Fetch;
  readonly #origin: string;

  constructor(fetch: Fetch, origin = ORIGIN) {
    this.#fetch = fetch;
    this.#origin = origin;
  }

  /** Calls a registered server function by id. */
  call<R = unknown>(id: string, ...args: unknown[]): Promise<R> {
    // The stub reads the transport synchronously, so concurrent visitors do not mix.
    setTransport(async (path, init) => {
      const headers = new Headers(init.headers);
      headers.set("Origin", this.#origin);
      headers.set("Sec-Fetch-Site", "same-origin");
      if (this.jar.size) headers.set("Cookie", [...this.jar].map(([name, value]) => `${name}=${value}`).join("; "));
      const response = await this.#fetch(new URL(path, this.#origin).href, { ...init, headers });
      this.status = response.status;
      this.setCookies = response.headers.getSetCookie();
      for (const header of this.setCookies) {
        const [pair] = header.split(";");
        const name = pair!.slice(0, pair!.indexOf("="));
        if (/;\s*Max-Age=0(;|$)/i.test(header)) this.jar.delete(name);
        else this.jar.set(name, pair!.slice(name.length + 1));
      }
      return response;
    });
    return createServerReference<(...args: unknown[]) => Promise<R>>(id)(...args);
  }
}

export interface KvCalls {
  get: number;
  put: number;
  delete: number;
}

/** The real KV binding, with its calls counted and optionally some operations failing. */
export function watchedKv(fail: Partial<Record<keyof KvCalls, Error>> = {}): { namespace: SessionNamespace; calls: KvCalls } {
  const kv = bindings.SESSIONS;
  const calls: KvCalls = { get: 0, put: 0, delete: 0 };
  const attempt = <T>(operation: keyof KvCalls, run: () => Promise<T>): Promise<T> => {
    calls[operation]++;
    const failure = fail[operation];
    return failure ? Promise.reject(failure) : run();
  };
  return {
    calls,
    namespace: {
      get: (key) => attempt("get", () => kv.get(key)),
      put: (key, value, options) => attempt("put", () => kv.put(key, value, options)),
      delete: (key) => attempt("delete", () => kv.delete(key)),
    },
  };
}

/** The Set-Cookie header for `name` among `headers`. */
export function setCookieFor(headers: string[], name: string): string | undefined {
  return headers.find((header) => header.startsWith(`${name}=`));
}

/** The KV session store of the tests' SESSIONS binding, addressed by session id (as Sortie keys it). */
export function sessionRecords(namespace: SessionNamespace = bindings.SESSIONS) {
  const store = new KvSessionStore(namespace, "SESSIONS");
  return {
    read: async (id: string) => store.read(await recordKey("session", id)),
    write: async (id: string, json: string, ttl: number) => store.write(await recordKey("session", id), json, ttl),
    retire: async (id: string, ttl = 3600) => store.retire(await recordKey("session", id), ttl),
    /** Gone without a trace (expired), unlike retired. */
    remove: async (id: string) => namespace.delete(await recordKey("session", id)),
  };
}
