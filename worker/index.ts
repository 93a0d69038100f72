// The `sortie` specifier in the Worker bundle: the isomorphic API. client/api.ts exports the
// same names with the same types (checked by test/node/endpoint/api-parity.ts).
export { withSignal } from "../common/abort.ts";
export { ServerError } from "../common/errors.ts";
export { Redirect, type RedirectStatus } from "../common/redirect.ts";
export { getRequestEvent, type RequestEvent, type WorkerEnv } from "./request/context.ts";
export { cookies, type CookieJar, type CookieOptions } from "./request/cookies.ts";
export { redirect } from "./request/redirect.ts";
export { revalidate, type Revalidation } from "./queries/revalidate.ts";
export { useSession, type Session, type SessionData, type SessionOptions } from "./session/session.ts";
export { action } from "./endpoint/checked-call.ts";
export { actionUrl, type FormStatus, type Submission } from "../common/forms.ts";
export { useFormStatus, useSubmission } from "./forms/submission.ts";
export type { Query } from "../common/query-key.ts";
export { defineRoutes, type PageArgs, type RouteDefinition, type RouteParams } from "../common/routes.ts";
export { island } from "./pages/island.ts";
export { useD1, type D1SessionOf } from "./d1.ts";
export { query, useQuery } from "./queries/query.ts";
export { QueryValue, type QueryValueProps } from "./queries/query-value.ts";
export { createMiddleware, type ValueMiddleware } from "./endpoint/middleware.ts";
export type { Middleware, ServerCall } from "../common/middleware.ts";
export type { FunctionOptions } from "../common/function-options.ts";
export { ValidationError, type ValidationIssue } from "../common/validation/validation-error.ts";
export type { InputSchemas } from "../common/validation/check.ts";
export type { StandardSchemaV1 } from "../common/validation/standard-schema.ts";
export type { CallOutcome } from "./endpoint/outcome.ts";
export { rateLimit, type RateLimitOptions } from "./middleware/rate-limit.ts";
