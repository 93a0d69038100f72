import { HttpError, ServerError } from "../../common/errors.ts";
import { ValidationError } from "../../common/validation/validation-error.ts";
import { ERROR_HEADER, type ErrorBody, type ErrorCode, type ErrorPayload } from "../../common/wire.ts";

/**
 * A request the endpoint refuses before any server function runs (bad origin, body too large,
 * malformed arguments, unknown id, …). It answers with its status, the header
 * `X-Sortie-Error: <code>` and the JSON body `{ "error": { "code", "message" } }`.
 */
export class RequestError extends HttpError {
  override name = "RequestError";
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, status: number, message: string, headers: Record<string, string> = {}) {
    super(message, { status, expose: true });
    this.code = code;
    this.headers = headers;
  }
}

export class ForbiddenOriginError extends RequestError {
  override name = "ForbiddenOriginError";
  constructor(message: string) {
    super("forbidden-origin", 403, message);
  }
}

export class BodyTooLargeError extends RequestError {
  override name = "BodyTooLargeError";
  constructor(limit: number) {
    super("body-too-large", 413, `The request body is larger than the limit of ${limit} bytes (the maxBodySize option)`);
  }
}

export class RequestTimeoutError extends RequestError {
  override name = "RequestTimeoutError";
  constructor(milliseconds: number) {
    super("request-timeout", 408, `The request body did not arrive within ${milliseconds} ms (the bodyTimeout option)`);
  }
}

export class UnsupportedContentTypeError extends RequestError {
  override name = "UnsupportedContentTypeError";
  constructor(message: string) {
    super("unsupported-content-type", 400, message);
  }
}

export class MalformedArgumentsError extends RequestError {
  override name = "MalformedArgumentsError";
  constructor(message: string, code: "malformed-arguments" | "too-deep" | "too-many-arguments" | "too-large" | "too-many-fields" = "malformed-arguments") {
    super(code, 400, message);
  }
}

/** A sealed reference (a closure's captured values, sealed bound arguments) that did not open: tampered, truncated, cut from another function, or missing. */
export class BadSealError extends RequestError {
  override name = "BadSealError";
  constructor(message: string) {
    super("bad-seal", 400, message);
  }
}

/** A reference sealed under a key the deployment no longer has (rotated out): the page is old. */
export class StaleReferenceError extends RequestError {
  override name = "StaleReferenceError";
  constructor() {
    super(
      "stale-reference",
      400,
      "This form or button was made by an older version of the page, sealed with a key the server no longer has (it was rotated out of SESSION_SECRET): reload the page and try again",
    );
  }
}

/** Usually version skew: the page was built by a deployment that had this function. */
export class UnknownFunctionError extends RequestError {
  override name = "UnknownFunctionError";
  constructor(id: string) {
    super(
      "unknown-function",
      404,
      `This deployment has no server function ${JSON.stringify(id)}: the page is probably older or newer than the deployment; reload it`,
    );
  }
}

export class MethodNotAllowedError extends RequestError {
  override name = "MethodNotAllowedError";
  constructor(method: string, allow: string) {
    super("method-not-allowed", 405, `${method} is not allowed here; use ${allow}`, { Allow: allow });
  }
}

/** sortieRoutes() mounted under a prefix: stubs and forms call `/_server/<id>` at the root, which it then does not serve. */
export class SortieMountError extends Error {
  override name = "SortieMountError";
  constructor(prefix: string, path: string) {
    super(
      `sortieRoutes() is mounted under ${JSON.stringify(prefix)} (this request: ${path}), but client stubs and forms always call /_server/<id>: mount it at /, as app.route("/", sortieRoutes(options))`,
    );
  }
}

/** Something tried to change the response after its headers went out. */
export class ResponseStartedError extends Error {
  override name = "ResponseStartedError";
  constructor(what: string) {
    super(
      `${what} was called after the response started: its status and headers were sent (a server function's top-level promise had settled, or a streamed page had sent its head). Make the change before that: before returning from the function, or in a page with stream: false (changes inside a streamed promise or a streamed page's async component are not sent)`,
    );
  }
}

/** The JSON answer to a refused request. */
export function requestErrorResponse(error: RequestError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", [ERROR_HEADER]: error.code, ...error.headers },
  });
}

/** A value a server function returned or streamed that cannot travel (a function, a class instance, …). */
export class UnsendableValueError extends Error {
  override name = "UnsendableValueError";
  constructor(cause: unknown) {
    const value = (cause as { value?: unknown } | null)?.value;
    const what = value === undefined ? "a value" : `a ${typeof value === "object" && value ? value.constructor?.name ?? "object" : typeof value}`;
    super(
      `The server function produced ${what} that cannot be sent to the client: results may hold JSON values, undefined, BigInt, Date, Map, Set, typed arrays, Error, URL, URLSearchParams, Headers, FormData without files, Promise, ReadableStream and async iterables`,
      { cause },
    );
  }
}

/** The HTTP status an error ends a call with. */
export function errorStatus(error: unknown): number {
  return error instanceof HttpError ? error.status : 500;
}

/**
 * What the caller may learn about an error. Deliberate errors (ServerError, or any HttpError
 * with `expose`) go through with message, status and data. Any other error is logged in full
 * under a fresh id; in production the caller gets only "Internal Server Error" and that id,
 * in development (SORTIE_ENV=development) the message and stack too.
 */
export function describeError(error: unknown, dev: boolean, where: string): ErrorPayload {
  const status = errorStatus(error);
  let payload: ErrorPayload;
  if (error instanceof HttpError && error.expose) {
    payload = { message: error.message, status };
    if (error instanceof ServerError && error.data !== undefined) payload.data = error.data;
    if (error instanceof ValidationError) payload.issues = error.issues;
  } else {
    const errorId = crypto.randomUUID();
    console.error(`[sortie] ${where} failed (error id ${errorId}):`, error);
    payload = { message: dev ? (error instanceof Error ? error.message : String(error)) : "Internal Server Error", status, errorId };
  }
  if (dev && error instanceof Error && error.stack) payload.stack = error.stack;
  return payload;
}
