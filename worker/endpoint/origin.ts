import { ForbiddenOriginError } from "../request/errors.ts";

export interface OriginOptions {
  /**
   * The app's own origins, e.g. `["https://shop.example.com"]`. Set, a request for any other
   * host is refused (under development, localhost and loopback addresses also pass).
   * Unset, the request's own Host is trusted, except under development (see checkHost).
   */
  origins: readonly string[] | undefined;
  /** Other origins whose pages may call these functions, e.g. `["https://admin.example.com"]`. */
  allowedOrigins: readonly string[];
  /** Refuse requests that carry neither Origin nor Sec-Fetch-Site (non-browser clients). */
  rejectMissingOrigin: boolean;
}

/**
 * CSRF protection for every request that is not GET or HEAD, whatever its Content-Type
 * (`hono/csrf` lets application/json through; a server-function endpoint must not).
 * First the host (checkHost); then allowed: `Sec-Fetch-Site: same-origin`, or an Origin equal
 * to the request's own or listed in `allowedOrigins`. A request with neither header cannot
 * come from a browser page (browsers send Origin on every cross-origin POST and
 * Sec-Fetch-Site on every request), so it passes unless `rejectMissingOrigin` is set.
 * Everything else, `Origin: null` included, is refused with ForbiddenOriginError (403).
 *
 * The endpoint's first step rather than a middleware of its own: each Hono middleware layer
 * costs about as much per request as this whole check (bench/endpoint).
 */
export function checkOrigin(request: Request, options: OriginOptions, dev: boolean): void {
  checkHost(request, options, dev);
  if (request.method === "GET" || request.method === "HEAD") return;
  const refusal = refuse(request, options);
  if (refusal) throw new ForbiddenOriginError(refusal);
}

/**
 * DNS rebinding: a page on `rebind.evil.example`, whose name the attacker points at 127.0.0.1,
 * reaches a local dev server as a same-origin page (Host and Origin both say
 * rebind.evil.example), so comparing Origin with Host proves nothing there. With `origins`,
 * the request's own origin must be one of them (loopback too under development). Without
 * it, under development, the host must be `localhost`, a `*.localhost` name or an IP address
 * (an address cannot be rebound; only a name can). In production without `origins`,
 * Cloudflare routes only the app's own hostnames to the Worker, so Host is trusted.
 * Every method: a rebound page could read, too.
 */
export function checkHost(request: Request, { origins }: OriginOptions, dev: boolean): void {
  if (!origins && !dev) return;
  const url = new URL(request.url);
  if (origins?.includes(url.origin)) return;
  if (dev && isLocalHost(url.hostname)) return;
  throw new ForbiddenOriginError(
    origins
      ? `This app answers on ${origins.join(", ")}${dev ? " and localhost" : ""} only (the origins option), not on ${url.origin}: a page on another name pointed at this server (DNS rebinding) may not use it`
      : `Under development this app answers on localhost and IP addresses only, not on ${url.origin}: a page on another name pointed at this server (DNS rebinding) may not use it; list the name in the origins option to allow it`,
  );
}

function isLocalHost(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || hostname.startsWith("[") || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Why the request is refused, or undefined when it may go on. */
function refuse(request: Request, { origins, allowedOrigins, rejectMissingOrigin }: OriginOptions): string | undefined {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite === "same-origin") return undefined;
  const origin = request.headers.get("origin");
  if (origin !== null && (origin === new URL(request.url).origin || allowedOrigins.includes(origin) || origins?.includes(origin))) return undefined;
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
