// The `sortie` specifier in the Worker bundle: the isomorphic API. client/api.ts exports the
// same names with the same types (checked by test/node/endpoint/api-parity.ts).
export { withSignal } from "../common/abort.ts";
export { ServerError } from "../common/errors.ts";
export { Redirect, type RedirectStatus } from "../common/redirect.ts";
export { getRequestEvent, type RequestEvent, type WorkerEnv } from "./context.ts";
export { cookies, type CookieJar, type CookieOptions } from "./cookies.ts";
export { redirect } from "./redirect.ts";
export { revalidate, type Revalidation } from "./revalidate.ts";
export { useSession, type Session, type SessionData, type SessionOptions } from "./session/session.ts";
export { action } from "../common/action.ts";
export { actionUrl, type FormStatus, type Submission } from "../common/forms.ts";
export { useFormStatus, useSubmission } from "./submission.ts";
export type { Query } from "../common/query-key.ts";
export { defineRoutes, type PageArgs, type RouteDefinition, type RouteParams } from "../common/routes.ts";
export { island } from "./island.ts";
export { useD1, type D1SessionOf } from "./d1.ts";
export { query, useQuery } from "./query.ts";
export { QueryValue, type QueryValueProps } from "./query-value.ts";
