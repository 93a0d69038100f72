/** Sessions are misconfigured: a missing or short password, a missing KV binding, a bad option. */
export class SessionConfigError extends Error {
  override name = "SessionConfigError";
}

/**
 * The session store (KV) failed. Answered with 503 so clients retry; nothing was half-written
 * (the cookie is only set once the KV write has succeeded).
 */
export class SessionStoreError extends Error {
  override name = "SessionStoreError";
  readonly status = 503;
}

/** The session's data exceeds what one KV value may hold. */
export class SessionTooLargeError extends Error {
  override name = "SessionTooLargeError";
}
