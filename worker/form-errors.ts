import type { MiddlewareHandler } from "hono";
import { jsx } from "hono/jsx";
import { CALL_HEADER, ERROR_HEADER, type ErrorBody, type ErrorPayload } from "../common/wire.ts";
import { returnPath } from "./return-path.ts";

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
  return new Response(`<!doctype html>${page}`, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** POST without the stub's marker: a browser submitting an HTML form. */
export function isPlainFormPost(request: Request): boolean {
  return request.method === "POST" && request.headers.get(CALL_HEADER) !== "1";
}

/**
 * Middleware in front of the endpoint: a refusal of a plain form post (bad origin, unknown
 * function, body too large, malformed form, …: the JSON of worker/errors.ts) becomes the same
 * refusal as an HTML page, with the same status and `X-Sortie-Error` code. Stub calls keep JSON.
 */
export function formRefusalPages(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const code = c.res.headers.get(ERROR_HEADER);
    if (code === null || !isPlainFormPost(c.req.raw)) return;
    const body = (await c.res.json()) as ErrorBody;
    const page = formErrorPage(c.res.status, body.error, returnPath(undefined, c.req.raw));
    page.headers.set(ERROR_HEADER, code);
    // Unset first: Hono would otherwise copy the JSON response's headers onto the page.
    c.res = undefined;
    c.res = page;
  };
}
