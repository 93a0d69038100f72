import { D1_HEADER, formatBookmarks, isBookmark, newer, parseBookmarks } from "../common/d1-bookmarks.ts";
import { getRequestEvent, requestLocal, type RequestEvent, type WorkerEnv } from "./request/context.ts";
import { cookies } from "./request/cookies.ts";
import { ResponseStartedError } from "./request/errors.ts";

/** What Sortie needs of a D1 binding: the Sessions API of read replication. */
interface D1Binding {
  withSession(constraint: string): D1SessionLike;
}
/** The part of a D1 session Sortie uses; app code gets the binding's own session type. */
interface D1SessionLike {
  getBookmark(): string | null;
}

/** The session type `env[Name].withSession()` returns, as `wrangler types` declared the binding. */
export type D1SessionOf<Name extends string> = Name extends keyof WorkerEnv
  ? WorkerEnv[Name] extends { withSession(...args: any[]): infer Session }
    ? Session
    : unknown
  : unknown;

/** A D1 binding is missing, or is not one (no withSession). */
export class D1BindingError extends Error {
  override name = "D1BindingError";
}

interface OpenSession {
  session: D1SessionLike;
  /** The newest bookmark the request brought for this binding. */
  incoming: string | undefined;
}

const SESSIONS = Symbol("sortie.d1");
/** How long the browser keeps a bookmark: far longer than any replica lags. */
const COOKIE_MAX_AGE = 60 * 60;

/**
 * The request's D1 session for `binding`: use it for every query of the request, in server
 * functions, queries and pages. It starts from the newest bookmark the browser brought (its
 * own last write; a missing or malformed one reads `first-unconstrained`, the nearest
 * replica), so the user never reads older than what they wrote. A server function and the
 * queries single flight re-runs after it share the session, so the re-run sees the write.
 * After a POST that advanced it, the new bookmark goes back: a cookie per binding
 * (`sortie-d1.<binding>`) and the `X-Sortie-D1` header the client runtime keeps.
 * A request that never calls it pays nothing.
 */
export function useD1<Name extends string>(binding: Name): D1SessionOf<Name> {
  const event = getRequestEvent();
  const open = requestLocal(SESSIONS, () => new Map<string, OpenSession>(), event);
  let entry = open.get(binding);
  if (!entry) {
    const database = (event.env as Record<string, unknown>)[binding] as Partial<D1Binding> | undefined;
    if (typeof database?.withSession !== "function") {
      throw new D1BindingError(
        `useD1("${binding}"): env.${binding} is not a D1 binding with the Sessions API (withSession): add [[d1_databases]] with binding = "${binding}" to wrangler.toml`,
      );
    }
    const incoming = incomingBookmark(event, binding);
    entry = { session: database.withSession(incoming ?? "first-unconstrained"), incoming };
    if (open.size === 0) sendBookmarksBack(event, open);
    open.set(binding, entry);
  }
  return entry.session as D1SessionOf<Name>;
}

function cookieName(event: RequestEvent, binding: string): string {
  return `${event.url.protocol === "https:" ? "__Host-" : ""}sortie-d1.${binding}`;
}

/** The newer of the header's and the cookie's bookmark for `binding`; anything malformed is ignored. */
function incomingBookmark(event: RequestEvent, binding: string): string | undefined {
  const fromHeader = parseBookmarks(event.request.headers.get(D1_HEADER)).get(binding);
  const fromCookie = cookies().get(cookieName(event, binding));
  return newer(fromHeader, isBookmark(fromCookie) ? fromCookie : undefined);
}

/**
 * Before the response of a POST (a stub call, a form post): the bookmarks that moved past what
 * the request brought, as cookies and the X-Sortie-D1 header. Reads (GET) send nothing back:
 * they do not write, and a cookie per page view would be noise.
 */
function sendBookmarksBack(event: RequestEvent, open: Map<string, OpenSession>): void {
  if (event.request.method !== "POST") return;
  try {
    event.beforeResponse(() => {
      const advanced = new Map<string, string>();
      for (const [binding, { session, incoming }] of open) {
        const bookmark = session.getBookmark();
        if (isBookmark(bookmark) && (incoming === undefined || bookmark > incoming)) advanced.set(binding, bookmark);
      }
      if (advanced.size === 0) return;
      for (const [binding, bookmark] of advanced) cookies().set(cookieName(event, binding), bookmark, { maxAge: COOKIE_MAX_AGE });
      event.response.headers.set(D1_HEADER, formatBookmarks(advanced));
    });
  } catch (error) {
    // First used after the response started (a query single flight re-ran): reads only.
    if (!(error instanceof ResponseStartedError)) throw error;
  }
}
