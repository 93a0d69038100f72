// The `sortie` specifier in the client bundle: the same names and types as worker/index.ts.
// Server-only functions exist here so shared code type-checks and bundles, and fail loudly
// if the browser ever calls them.
import { createRedirect, type Redirect, type RedirectStatus } from "../common/redirect.ts";
import type { RequestEvent } from "../worker/request/context.ts";
import type { CookieJar } from "../worker/request/cookies.ts";
import type { Session, SessionData, SessionOptions } from "../worker/session/session.ts";
import type { island as serverIsland } from "../worker/pages/island.ts";
import type { QueryValue as ServerQueryValue } from "../worker/queries/query-value.ts";
import type { useD1 as serverUseD1 } from "../worker/d1.ts";
import type { createMiddleware as serverCreateMiddleware } from "../worker/endpoint/middleware.ts";
import type { rateLimit as serverRateLimit } from "../worker/middleware/rate-limit.ts";

export { withSignal } from "../common/abort.ts";
export { ServerError } from "../common/errors.ts";
export { Redirect, type RedirectStatus } from "../common/redirect.ts";
export type { RequestEvent, WorkerEnv } from "../worker/request/context.ts";
export type { CookieJar, CookieOptions } from "../worker/request/cookies.ts";
export type { Revalidation } from "../worker/queries/revalidate.ts";
export type { Session, SessionData, SessionOptions } from "../worker/session/session.ts";
export { action } from "./precheck.ts";
export { actionUrl, type FormStatus, type Submission } from "../common/forms.ts";
export { useFormStatus, useSubmission } from "./use-form.ts";
export type { Query } from "../common/query-key.ts";
export { defineRoutes, type PageArgs, type RouteDefinition, type RouteParams } from "../common/routes.ts";
export type { QueryValueProps } from "../worker/queries/query-value.ts";
export type { D1SessionOf } from "../worker/d1.ts";
export type { ValueMiddleware } from "../worker/endpoint/middleware.ts";
export type { RateLimitOptions } from "../worker/middleware/rate-limit.ts";
export type { Middleware, ServerCall } from "../common/middleware.ts";
export type { FunctionOptions } from "../common/function-options.ts";
export { ValidationError, type ValidationIssue } from "../common/validation/validation-error.ts";
export type { InputSchemas } from "../common/validation/check.ts";
export type { StandardSchemaV1 } from "../common/validation/standard-schema.ts";
export type { CallOutcome } from "../worker/endpoint/outcome.ts";
export { query } from "./query.ts";
export { useQuery } from "./use-query.ts";

/** A Redirect to a same-origin `url`, resolved against the current page. */
export function redirect(url: string, status: RedirectStatus = 302): Redirect {
  return createRedirect(url, new URL(location.href), status);
}

/** A server-only function called in the browser. */
class ServerOnlyError extends Error {
  override name = "ServerOnlyError";
}

function serverOnly(name: string): () => never {
  return () => {
    throw new ServerOnlyError(`${name}() is server-only: call it inside a server function ("use server"), a query or a preload`);
  };
}

export const getRequestEvent: () => RequestEvent = serverOnly("getRequestEvent");
export const cookies: () => CookieJar = serverOnly("cookies");
export const revalidate: (keys?: string | readonly string[] | false) => void = serverOnly("revalidate");
export const useSession: <T extends SessionData = SessionData>(options?: SessionOptions) => Promise<Session<T>> =
  serverOnly("useSession");
// Server components: pages render on the Worker only.
export const island: typeof serverIsland = serverOnly("island");
export const QueryValue: typeof ServerQueryValue = serverOnly("QueryValue");
export const useD1: typeof serverUseD1 = serverOnly("useD1");

// Defined in modules the browser loads too (next to the actions that use it), so defining one
// must work here; it never runs in the browser, where `value()` is server-only.
export const createMiddleware: typeof serverCreateMiddleware = () =>
  Object.assign(serverOnly("a server function's middleware"), { value: serverOnly("value") }) as never;
export const rateLimit: typeof serverRateLimit = () => serverOnly("a rate limit") as never;
