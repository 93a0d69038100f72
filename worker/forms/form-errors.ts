import { jsx } from "hono/jsx";
import { CALL_HEADER, ERROR_HEADER, type ErrorPayload } from "../../common/wire.ts";
import type { RequestError } from "../request/errors.ts";
import { returnPath } from "./return-path.ts";
import { applySecurityHeaders, DEFAULT_SECURITY_HEADERS } from "../pages/security-headers.ts";

/**
 * A readable HTML page for a plain form post that cannot go back to its page: the endpoint
 * refused it, or its outcome could not be saved. It has the error's status, its message (with
 * the error id when the message is hidden) and a link back to `back`.
 */
export function formErrorPage(status: number, error: Pick<ErrorPayload, "message" | "errorId">, back: string): Response {
  const title = status < 500 ? "This form could not be sent" : "Something went wrong";
  const message = error.errorId ? `${error.message} (error id ${error.errorId})` : error.message;
  const page = jsx("html", { lang: "en" }, [
    jsx("head", {}, [
      jsx("meta", { charset: "utf-8" }),
      jsx("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
      jsx("title", {}, title),
    ]),
    jsx("body", {}, [
      jsx("h1", {}, title),
      jsx("p", {}, `${message} (HTTP ${status})`),
      jsx("p", {}, jsx("a", { href: back }, "Back to the page")),
    ]),
  ]);
  // Sortie's own page, with no script and no style: the default security headers always fit it.
  const headers = new Headers({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  applySecurityHeaders(headers, Object.entries(DEFAULT_SECURITY_HEADERS));
  return new Response(`<!doctype html>${page}`, { status, headers });
}

/** POST without the stub's marker: a browser submitting an HTML form. */
export function isPlainFormPost(request: Request): boolean {
  return request.method === "POST" && request.headers.get(CALL_HEADER) !== "1";
}

/**
 * The endpoint's refusal of a plain form post (bad origin, unknown function, body too large,
 * malformed form, …) as a readable HTML page, with the same status, headers and
 * `X-Sortie-Error` code as the JSON refusal a stub call gets.
 */
export function formRefusalPage(error: RequestError, request: Request): Response {
  const page = formErrorPage(error.status, error, returnPath(undefined, request));
  page.headers.set(ERROR_HEADER, error.code);
  for (const [name, value] of Object.entries(error.headers)) page.headers.set(name, value);
  return page;
}
