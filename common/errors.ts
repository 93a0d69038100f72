/**
 * A deliberate error: its message, status and data reach the caller, and the client stub
 * rejects with an instance of this same class. Anything else thrown by a server function
 * is hidden in production (see worker/errors.ts).
 */
export interface ServerErrorOptions {
  /** HTTP status of the response when this error ends the call. Default 400. */
  status?: number;
  /** Extra data for the caller (validation details, …); any seroval-serializable value. */
  data?: unknown;
  cause?: unknown;
}

export class ServerError extends Error {
  override name = "ServerError";
  readonly status: number;
  readonly data: unknown;

  constructor(message: string, options: ServerErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.status = options.status ?? 400;
    this.data = options.data;
  }
}
