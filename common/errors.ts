/**
 * An error that carries the HTTP status of the response it ends. `expose` says whether its
 * message may reach the browser in production: when false the caller sees only the status's
 * generic text and an error id, and the full error is logged under that id (worker/request/errors.ts).
 * Subclass it for failures with a meaningful status (a session store that is down: 503).
 */
export class HttpError extends Error {
  override name = "HttpError";
  readonly status: number;
  readonly expose: boolean;

  constructor(message: string, options: { status: number; expose?: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    const { status } = options;
    // It becomes the status of an error response: anything else would fail there, far from here.
    if (!(Number.isInteger(status) && status >= 400 && status < 600)) throw new RangeError(`An error's status must be an integer from 400 to 599 (got ${status})`);
    this.status = status;
    this.expose = options.expose ?? status < 500;
  }
}

export interface ServerErrorOptions {
  /** HTTP status of the response when this error ends the call. Default 400. */
  status?: number;
  /** Extra data for the caller (validation details, …); any seroval-serializable value. */
  data?: unknown;
  cause?: unknown;
}

/**
 * A deliberate error: its message, status and data reach the caller, and the client stub
 * rejects with an instance of this same class. Anything else thrown by a server function
 * is hidden in production (see worker/request/errors.ts) and reaches the client as a ServerError
 * whose `errorId` names the server's log line.
 */
export class ServerError extends HttpError {
  override name = "ServerError";
  readonly data: unknown;
  /** Set on the client when the server hid the real error: the id it was logged under. */
  errorId: string | undefined;

  constructor(message: string, options: ServerErrorOptions = {}) {
    super(message, { status: options.status ?? 400, expose: true, cause: options.cause });
    this.data = options.data;
  }
}
