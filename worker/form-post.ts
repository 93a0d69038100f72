import type { ErrorPayload } from "../common/wire.ts";
import type { RequestEvent } from "./context.ts";
import { errorStatus } from "./errors.ts";
import type { CallOutcome } from "./outcome.ts";

/**
 * The answer to a plain HTML form post (no JavaScript): 303 See Other to the function's
 * redirect() target, else back to the page the form was on (a same-origin Referer), else `/`.
 * A failed call answers with its status and the error as JSON for now; the progressive-
 * enhancement work replaces that with the page and a flash message.
 */
export function answerFormPost(event: RequestEvent, outcome: CallOutcome, describe: (error: unknown) => ErrorPayload): Response {
  const headers = event.response.headers;
  if (outcome.type === "error") {
    headers.set("Content-Type", "application/json");
    headers.set("Cache-Control", "no-store");
    return new Response(JSON.stringify({ error: describe(outcome.error) }), { status: errorStatus(outcome.error), headers });
  }
  headers.set("Location", outcome.type === "redirect" ? outcome.redirect.location : sameOriginReferer(event) ?? "/");
  return new Response(null, { status: 303, headers });
}

/** The Referer's path and query when it is a page of this origin (never an off-site URL). */
function sameOriginReferer(event: RequestEvent): string | undefined {
  const referer = event.request.headers.get("referer");
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    return url.origin === event.url.origin ? url.pathname + url.search : undefined;
  } catch {
    return undefined;
  }
}
