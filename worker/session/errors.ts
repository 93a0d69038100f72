import { HttpError } from "../../common/errors.ts";

/** Sessions are misconfigured: a missing or short password, a missing store binding (KV or Durable Object), a bad option. */
export class SessionConfigError extends Error {
  override name = "SessionConfigError";
}

/**
 * The session store (KV or a Durable Object) failed: 503, so clients retry. The message is safe to show (it names
 * the operation and the binding); the KV error itself is logged. Nothing was half-written:
 * the cookie only goes out once the store's write has succeeded.
 */
export class SessionStoreError extends HttpError {
  override name = "SessionStoreError";

  constructor(message: string, cause: unknown) {
    super(message, { status: 503, expose: true, cause });
  }
}

/**
 * The session could not be saved after the request's work was done: 503, and the message says
 * exactly that. What the server function itself did (a database write) stands; only its
 * session change (a sign-in, a sign-out, data) did not happen, so repeating the action is
 * the way to finish it.
 */
export class SessionNotSavedError extends HttpError {
  override name = "SessionNotSavedError";

  constructor(cause: SessionStoreError) {
    super(`The request's work is done and stands, but its session change was not saved: ${cause.message}`, { status: 503, expose: true, cause });
  }
}

/** A plain form post's outcome could not be kept for the page (the store failed): 503, saying the work itself stands. */
export class FlashNotSavedError extends HttpError {
  override name = "FlashNotSavedError";

  constructor(cause: SessionStoreError) {
    super(`The form was handled and what it did stands, but its outcome could not be kept to show on the page (nor its session change saved): ${cause.message}`, {
      status: 503,
      expose: true,
      cause,
    });
  }
}

/** The session's data exceeds what one store value may hold. */
export class SessionTooLargeError extends Error {
  override name = "SessionTooLargeError";
}

/** The session was changed after it had been saved, when the change can no longer be kept. */
export class SessionClosedError extends Error {
  override name = "SessionClosedError";
}
