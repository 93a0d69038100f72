import type { Context, MiddlewareHandler, NotFoundHandler } from "hono";
import { matchRoute, MalformedPathError } from "../../common/routes.ts";
import { runWithRequestEvent, type RequestEvent } from "../request/context.ts";
import { describeError } from "../request/errors.ts";
import { commitOrFail, createRequestEvent, headersIfAny, lockResponse } from "../request/event.ts";
import { prepareForms } from "../forms/form-markup.ts";
import { renderingForms } from "../forms/form-render.ts";
import { renderErrorPage, renderPage, type PageOptions } from "./render.ts";
import { applySecurityHeaders } from "./security-headers.ts";
import { useAppMiddleware } from "../endpoint/middleware.ts";
import { receivedFlashes, receiveSubmission } from "../forms/submission.ts";

/**
 * Serves GET and HEAD for the paths the route table knows; other requests go on to the next
 * handler (so an app mounting `sortieRoutes()` keeps its own routes).
 */
export function pages(options: PageOptions): MiddlewareHandler {
  const htmlHeaders = htmlHeaderList(options);
  return async (c, next) => {
    if ((c.req.method !== "GET" && c.req.method !== "HEAD") || !knows(options, c.req.path)) return next();
    return respond(c, options, htmlHeaders);
  };
}

/** The HTML 404 page, rendered in the layout like any other page (createSortie's notFound). */
export function notFoundPage(options: PageOptions): NotFoundHandler {
  const htmlHeaders = htmlHeaderList(options);
  return (c) => respond(c, options, htmlHeaders);
}

const HTML_TYPE: [string, string] = ["Content-Type", "text/html; charset=utf-8"];

/**
 * A document's headers when the page set none of its own (most pages): checked once, then
 * copied by each Response (cheaper than building them from strings per request).
 */
function htmlHeaderList(options: PageOptions): Headers {
  return new Headers([...options.securityHeaders, HTML_TYPE]);
}

// A malformed path counts as known: renderPage answers it with a 400 page.
function knows(options: PageOptions, path: string): boolean {
  try {
    return matchRoute(options.routes, path) !== undefined;
  } catch (error) {
    if (error instanceof MalformedPathError) return true;
    throw error;
  }
}

function respond(c: Context, options: PageOptions, htmlHeaders: Headers): Promise<Response> {
  const event = createRequestEvent(c);
  // The whole answer runs in the request's context (one run: the steps inside need none of their own).
  return runWithRequestEvent(event, () => answer(event, options, htmlHeaders));
}

async function answer(event: RequestEvent, options: PageOptions, htmlHeaders: Headers): Promise<Response> {
  useAppMiddleware(event, options.middleware);
  const render = { event, options, describe: (error: unknown) => describeError(error, event.dev, `page ${event.url.pathname}`) };
  await receiveSubmission(event);
  // Forms are readied as they render; after a plain form post the pass over the HTML does it,
  // since it also marks the issues (forms/form-markup.ts).
  const afterPost = receivedFlashes(event).length > 0;
  if (!afterPost) renderingForms(event);
  // A streamed page comes back after its synchronous part, a page with `stream: false` whole.
  let page = await renderPage(render);
  // Session writes and Set-Cookie happen now, before anything is sent; a failed commit is the answer.
  const failed = await commitOrFail(event);
  // Nothing of a streamed page was written yet: it is dropped.
  if (failed) page = await renderErrorPage(render, failed.error);
  // Status and headers are settled: a component still rendering may not change them.
  lockResponse(event);
  // Headers the page set get the security headers it did not set; most pages set none.
  const own = headersIfAny(event);
  if (own) applySecurityHeaders(own, options.securityHeaders);
  if ("location" in page) {
    const headers = own ?? new Headers([...options.securityHeaders]);
    headers.set("Location", page.location);
    return new Response(null, { status: page.status, headers });
  }
  own?.set(...HTML_TYPE);
  const headers = own ?? htmlHeaders;
  // A HEAD answer carries no body: a streamed page's parts are not written.
  const body = typeof page.html === "string" ? page.html : event.request.method === "HEAD" ? null : await page.html.body();
  // A page may set its own status (getRequestEvent().response.status = 404); an error page's wins.
  const response = new Response(body, { status: page.status !== 200 ? page.status : event.response.status, headers });
  return afterPost ? prepareForms(response, event) : response;
}
