import type { RequestEvent } from "../request/context.ts";
import { SessionConfigError } from "./errors.ts";
import { appSessionDefaults } from "./defaults.ts";
import { DurableObjectSessionStore, type SessionObjectNamespace } from "./durable-object.ts";
import { KvSessionStore, type SessionNamespace, type SessionStore } from "./store.ts";

export interface SessionCookieOptions {
  /** Share the cookie with subdomains. Drops the `__Host-` prefix (it forbids Domain). */
  domain?: string;
  /** Default "/". Anything else drops the `__Host-` prefix (it requires Path=/). */
  path?: string;
  /** Default "Lax": the cookie rides top-level navigations and same-site requests only. */
  sameSite?: "Strict" | "Lax" | "None";
  /** Default: true on https, false on http (so `wrangler dev` on http://localhost works). */
  secure?: boolean;
}

export interface SessionOptions {
  /**
   * At least 32 characters. A list rotates passwords: the first seals new cookies, every one
   * opens existing cookies, and a cookie opened with an older one is sealed again with the
   * first. Default: the `SESSION_SECRET` secret.
   */
  password?: string | readonly string[];
  /** Cookie name; `__Host-` (or `__Secure-`) is prepended on https. Default "session". */
  name?: string;
  /** Lifetime in seconds after the last change, ≥ 60 (KV's shortest TTL). Default 7 days. */
  maxAge?: number;
  cookie?: SessionCookieOptions;
  /**
   * Where session data lives: "kv" (default; eventually consistent, one write per second per
   * session) or "durable-object" (one SortieSessionObject per session: read-your-writes
   * everywhere, instant revocation; export the class and bind it, see docs/sessions.md).
   */
  store?: "kv" | "durable-object";
  /** The binding of that store: a KV namespace (default "SESSIONS") or a Durable Object namespace (default "SESSION_OBJECTS"). */
  binding?: string;
}

/** Options after defaults and validation, for one request. */
export interface SessionConfig {
  passwords: readonly string[];
  /** The name on the wire, prefix included. */
  cookieName: string;
  maxAge: number;
  cookie: Required<Omit<SessionCookieOptions, "domain">> & Pick<SessionCookieOptions, "domain">;
  binding: string;
  store: SessionStore;
}

const MIN_PASSWORD_LENGTH = 32;
// KV rejects an expirationTtl under 60 seconds; browsers cap Max-Age at 400 days.
const MIN_MAX_AGE = 60;
const MAX_MAX_AGE = 400 * 24 * 60 * 60;
const DEFAULT_MAX_AGE = 7 * 24 * 60 * 60;
// RFC 6265 cookie-name token characters.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * `createSortie({ session })`: checks at startup what does not depend on the request (the
 * default password, SESSION_SECRET, comes with the env and is checked at first use).
 */
export function checkSessionDefaults(defaults: SessionOptions): SessionOptions {
  if (defaults.password !== undefined) checkPasswords(defaults.password, undefined);
  if (defaults.name !== undefined) checkName(defaults.name);
  if (defaults.maxAge !== undefined) checkMaxAge(defaults.maxAge);
  return defaults;
}

/** Per-call options over app-wide defaults over built-in defaults; throws SessionConfigError. */
export function resolveSessionConfig(
  options: SessionOptions,
  defaults: SessionOptions,
  event: RequestEvent,
): SessionConfig {
  const merged = { ...defaults, ...options, cookie: { ...defaults.cookie, ...options.cookie } };
  const cookie = {
    domain: merged.cookie.domain,
    path: merged.cookie.path ?? "/",
    sameSite: merged.cookie.sameSite ?? "Lax",
    secure: merged.cookie.secure ?? event.url.protocol === "https:",
  };
  const kind = merged.store ?? "kv";
  if (kind !== "kv" && kind !== "durable-object") {
    throw new SessionConfigError(`Session store ${JSON.stringify(kind)} is not one Sortie has: use "kv" or "durable-object"`);
  }
  const binding = merged.binding ?? (kind === "kv" ? "SESSIONS" : "SESSION_OBJECTS");
  return {
    passwords: checkPasswords(merged.password, event.env.SESSION_SECRET),
    cookieName: prefix(cookie) + checkName(merged.name ?? "session"),
    maxAge: checkMaxAge(merged.maxAge ?? DEFAULT_MAX_AGE),
    cookie,
    binding,
    store: kind === "kv" ? kvStore(event.env[binding], binding) : objectStore(event.env[binding], binding),
  };
}

/**
 * The passwords sessions and sealed references use: the `password` option, else the
 * SESSION_SECRET secret, which may hold several separated by spaces (the first seals, every
 * one opens: rotation without a code change). Throws SessionConfigError.
 */
export function sessionPasswords(event: RequestEvent, options: SessionOptions = {}): readonly string[] {
  return checkPasswords(options.password ?? appSessionDefaults(event).password, event.env.SESSION_SECRET);
}

function checkPasswords(option: SessionOptions["password"], secret: unknown): readonly string[] {
  const fromOption = option !== undefined;
  // Several passwords separated by whitespace rotate; a secret whose pieces are not all long
  // enough to be passwords is one password (a secret of words, set before lists existed).
  const pieces = typeof secret === "string" ? secret.trim().split(/\s+/) : [];
  const fromSecret = pieces.length > 1 && pieces.every((piece) => piece.length >= MIN_PASSWORD_LENGTH) ? pieces : [secret];
  const passwords: readonly unknown[] = fromOption ? (typeof option === "string" ? [option] : option) : fromSecret;
  if (passwords.length === 0) throw new SessionConfigError("The session password list is empty: give at least one password");
  passwords.forEach((password, index) => {
    const what = !fromOption
      ? passwords.length > 1 ? `Password #${index + 1} of the SESSION_SECRET secret` : "The SESSION_SECRET secret"
      : passwords.length > 1
        ? `Session password #${index + 1} of the list`
        : "The session password option";
    if (typeof password !== "string" || password === "") {
      throw new SessionConfigError(
        `${what} is missing. Sessions need a secret of at least ${MIN_PASSWORD_LENGTH} characters: set SESSION_SECRET ` +
          `locally in .dev.vars (npm run dev creates one) and in production with "wrangler secret put SESSION_SECRET", ` +
          `or pass { password } to useSession() or createSortie({ session })`,
      );
    }
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new SessionConfigError(
        `${what} is ${password.length} characters; a session password needs at least ${MIN_PASSWORD_LENGTH} ` +
          `(generate one with "openssl rand -base64 32")`,
      );
    }
  });
  return passwords as readonly string[];
}

function checkName(name: string): string {
  if (!COOKIE_NAME.test(name) || /^__(host|secure)-/i.test(name)) {
    throw new SessionConfigError(
      `Session cookie name "${name}" is not valid: use letters, digits and !#$%&'*+-.^_\`|~ only, without a __Host-/__Secure- prefix (Sortie adds it on https)`,
    );
  }
  return name;
}

function checkMaxAge(maxAge: number): number {
  if (!Number.isInteger(maxAge) || maxAge < MIN_MAX_AGE || maxAge > MAX_MAX_AGE) {
    throw new SessionConfigError(
      `Session maxAge is ${maxAge}; it must be a whole number of seconds from ${MIN_MAX_AGE} (KV cannot expire an entry sooner than 60 s after a write) to ${MAX_MAX_AGE} (400 days, the most browsers keep a cookie)`,
    );
  }
  return maxAge;
}

function kvStore(value: unknown, binding: string): SessionStore {
  const candidate = value as Partial<SessionNamespace> | undefined;
  if (typeof candidate?.get !== "function" || typeof candidate.put !== "function" || typeof candidate.delete !== "function") {
    throw new SessionConfigError(
      `KV binding "${binding}" is missing: sessions keep their data in KV. Add [[kv_namespaces]] with binding = "${binding}" ` +
        `to wrangler.toml (create the namespace with "wrangler kv namespace create ${binding}")`,
    );
  }
  return new KvSessionStore(candidate as SessionNamespace, binding);
}

function objectStore(value: unknown, binding: string): SessionStore {
  const candidate = value as Partial<SessionObjectNamespace> | undefined;
  if (typeof candidate?.idFromName !== "function" || typeof candidate.get !== "function") {
    throw new SessionConfigError(
      `Durable Object binding "${binding}" is missing: the "durable-object" session store keeps each session in a SortieSessionObject. ` +
        `Export it from the Worker entry (export { SortieSessionObject } from "sortie/worker") and add [[durable_objects.bindings]] ` +
        `name = "${binding}", class_name = "SortieSessionObject" to wrangler.toml, with a [[migrations]] entry new_sqlite_classes = ["SortieSessionObject"]`,
    );
  }
  return new DurableObjectSessionStore(candidate as SessionObjectNamespace, binding);
}

// `__Host-` binds the cookie to this exact origin (Secure, Path=/, no Domain): a sibling
// subdomain cannot plant a session cookie. Without those conditions `__Secure-` still
// guarantees it was set over https.
function prefix(cookie: SessionConfig["cookie"]): string {
  if (!cookie.secure) return "";
  return cookie.domain === undefined && cookie.path === "/" ? "__Host-" : "__Secure-";
}
