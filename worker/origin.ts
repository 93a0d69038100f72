import { ForbiddenOriginError } from "./errors.ts";

export interface OriginOptions {
  /** Other origins whose pages may call these functions, e.g. `["https://admin.example.com"]`. */
  allowedOrigins: readonly string[];
  /** Refuse requests that carry neither Origin nor Sec-Fetch-Site (non-browser clients). */
  rejectMissingOrigin: boolean;
}

/**
 * CSRF protection for every request that is not GET or HEAD, whatever its Content-Type
 * (`hono/csrf` lets application/json through; a server-function endpoint must not).
 * Allowed: `Sec-Fetch-Site: same-origin`, or an Origin equal to the request's own or listed in
 * `allowedOrigins`. A request with neither header cannot come from a browser page (browsers
 * send Origin on every cross-origin POST and Sec-Fetch-Site on every request), so it passes
 * unless `rejectMissingOrigin` is set. Everything else, `Origin: null` included, is refused
 * with ForbiddenOriginError (403).
 *
 * The endpoint's first step rather than a middleware of its own: each Hono middleware layer
 * costs about as much per request as this whole check (bench/endpoint).
 */
export function checkOrigin(request: Request, options: OriginOptions): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const refusal = refuse(request, options);
  if (refusal) throw new ForbiddenOriginError(refusal);
}

/** Why the request is refused, or undefined when it may go on. */
function refuse(request: Request, { allowedOrigins, rejectMissingOrigin }: OriginOptions): string | undefined {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite === "same-origin") return undefined;
  const origin = request.headers.get("origin");
  if (origin !== null && (origin === new URL(request.url).origin || allowedOrigins.includes(origin))) return undefined;
  if (origin === null && fetchSite === null) {
    return rejectMissingOrigin
      ? "The request carries neither an Origin nor a Sec-Fetch-Site header, and this app rejects such requests (rejectMissingOrigin)"
      : undefined;
  }
  const self = new URL(request.url).origin;
  if (origin === "null") {
    return `Cross-origin request refused: Origin "null" (a sandboxed frame, a file: or data: page, or a redirect across origins) may not call server functions of ${self}`;
  }
  const from = origin ?? `a ${fetchSite} page`;
  return `Cross-origin request refused: a page on ${from} may not call server functions of ${self}; add its origin to the allowedOrigins option if it should`;
}
