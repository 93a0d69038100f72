import { HttpError } from "../../common/errors.ts";

/** Sessions are misconfigured: a missing or short password, a missing KV binding, a bad option. */
export class SessionConfigError extends Error {
  override name = "SessionConfigError";
}

/**
 * The session store (KV) failed: 503, so clients retry. The message is safe to show (it names
 * the operation and the binding); the KV error itself is logged. Nothing was half-written:
 * the cookie only goes out once the KV write has succeeded.
 */
export class SessionStoreError extends HttpError {
  override name = "SessionStoreError";

  constructor(message: string, cause: unknown) {
    super(message, { status: 503, expose: true, cause });
  }
}

/** The session's data exceeds what one KV value may hold. */
export class SessionTooLargeError extends Error {
  override name = "SessionTooLargeError";
}

/** The session was changed after it had been saved, when the change can no longer be kept. */
export class SessionClosedError extends Error {
  override name = "SessionClosedError";
}
