import { parse, serialize } from "hono/utils/cookie";
import { getRequestEvent, type RequestEvent } from "./context.ts";
import { ResponseStartedError } from "./errors.ts";

/**
 * Options of a cookie Sortie sets. Defaults: `path: "/"`, `httpOnly: true`, `sameSite: "Lax"`,
 * and `secure` when the request came over https.
 */
export interface CookieOptions {
  path?: string;
  domain?: string;
  maxAge?: number;
  expires?: Date;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: "Strict" | "Lax" | "None";
  partitioned?: boolean;
  priority?: "Low" | "Medium" | "High";
}

export interface Cookie {
  name: string;
  value: string;
}

/** The cookies of the current request, with this request's own changes laid over them. */
export interface CookieJar {
  /** The cookie's value (Next.js spells it `get(name)?.value`). */
  get(name: string): string | undefined;
  getAll(): Cookie[];
  has(name: string): boolean;
  /** Becomes a Set-Cookie header; later reads in this request see the new value. */
  set(name: string, value: string, options?: CookieOptions): void;
  /** Expires the cookie in the browser (give the same path/domain it was set with). */
  delete(name: string, options?: Pick<CookieOptions, "path" | "domain">): void;
}

/** A cookie name or option the browser would refuse. */
export class CookieError extends Error {
  override name = "CookieError";
}

interface JarState {
  /** The request's Cookie header, parsed on first read. */
  received?: Record<string, string>;
  /** Name → value this request set (undefined: deleted). Reads prefer it. */
  overlay: Map<string, string | undefined>;
  /** Name, path and domain → Set-Cookie value; the last change of each cookie wins. */
  headers: Map<string, string>;
  sealed: boolean;
}

const JAR = Symbol("sortie.cookies");

const newJar = (sealed: boolean): JarState => ({ overlay: new Map(), headers: new Map(), sealed });

/** The current request's cookies (call inside a server function, query, preload or page). */
export function cookies(): CookieJar {
  const event = getRequestEvent();
  // null: the response started before anyone touched cookies; the jar begins sealed.
  const existing = event.locals.get(JAR) as JarState | null | undefined;
  const state = existing ?? newJar(existing === null);
  if (!existing) event.locals.set(JAR, state);
  const received = () => (state.received ??= parse(event.request.headers.get("cookie") ?? ""));
  const read = (name: string): string | undefined =>
    state.overlay.has(name) ? state.overlay.get(name) : Object.hasOwn(received(), name) ? received()[name] : undefined;

  const write = (name: string, value: string | undefined, options: CookieOptions) => {
    if (state.sealed) throw new ResponseStartedError(`cookies().${value === undefined ? "delete" : "set"}("${name}")`);
    const settings = { path: "/", httpOnly: true, sameSite: "Lax", secure: event.url.protocol === "https:", ...options } as const;
    let header: string;
    try {
      header = serialize(name, value ?? "", value === undefined ? { ...settings, maxAge: 0, expires: new Date(0) } : settings);
    } catch (error) {
      throw new CookieError(`cookies() cannot ${value === undefined ? "delete" : "set"} "${name}": ${(error as Error).message}`);
    }
    state.headers.set(`${name};${settings.path};${settings.domain ?? ""}`, header);
    state.overlay.set(name, value);
  };

  return {
    get: read,
    getAll: () => {
      const names = new Set([...Object.keys(received()), ...state.overlay.keys()]);
      return [...names].flatMap((name) => {
        const value = read(name);
        return value === undefined ? [] : [{ name, value }];
      });
    },
    has: (name) => read(name) !== undefined,
    set: (name, value, options = {}) => {
      if (typeof value !== "string") throw new CookieError(`cookies().set("${name}") needs a string value (got ${typeof value})`);
      write(name, value, options);
    },
    delete: (name, options = {}) => write(name, undefined, options),
  };
}

/**
 * Ends cookie changes for this request and returns them as Set-Cookie values. Later set or
 * delete calls throw: the response headers are gone by then.
 */
export function sealCookies(event: RequestEvent): string[] {
  const state = event.locals.get(JAR) as JarState | undefined;
  if (!state) {
    // Nobody touched cookies (the common case): no jar to build, only a mark for late calls.
    event.locals.set(JAR, null);
    return [];
  }
  state.sealed = true;
  return [...state.headers.values()];
}
