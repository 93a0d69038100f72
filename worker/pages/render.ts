import { jsx, type Child } from "hono/jsx";
import { Redirect } from "../../common/redirect.ts";
import { matchRoute, type PageArgs, type Route } from "../../common/routes.ts";
import type { Middleware } from "../../common/middleware.ts";
import type { ErrorPayload } from "../../common/wire.ts";
import type { RequestEvent } from "../request/context.ts";
import { documentShell, type ClientManifest } from "./document.tsx";
import { describeError } from "../request/errors.ts";
import { pageData } from "./page-data.ts";
import { errorDetails } from "./error-details.ts";
import { renderedHtml, renderParts } from "./render-parts.ts";
import { StreamedDocument } from "./stream.ts";
import { started } from "../request/started.ts";

/** The app's frame around every page (header, navigation…); may be async. */
export type Layout = (props: PageArgs & { children: Child }) => Child | Promise<Child>;

export interface PageOptions {
  routes: readonly Route[];
  layout: Layout | undefined;
  manifest: ClientManifest;
  /** Resolved `securityHeaders` (security-headers.ts). */
  securityHeaders: readonly [string, string][];
  /** The app's middleware: queries the page calls go through it (endpoint/middleware.ts). */
  middleware: readonly Middleware[];
}

/**
 * A rendered document with its status (the whole HTML, or a stream whose status and headers
 * were settled before its first byte), or where to send the browser instead.
 */
export type RenderedPage = { status: number; html: string | StreamedDocument } | Redirect;

/** What goes into the document: the page's status, title and content. */
interface PageContent {
  status: number;
  title: string;
  content: Child;
  params: Record<string, string>;
}

/** What a page's request needs besides its content. */
export interface PageRender {
  event: RequestEvent;
  options: PageOptions;
  describe: (error: unknown) => ErrorPayload;
}

/**
 * Renders the page for the current request (call inside its request context): preload, then
 * the page in the layout with hono/jsx (async components allowed), then the document with
 * the settled query results embedded. A route streams unless it says `stream: false`: its
 * synchronous part runs now, then the document's head and everything ready leave at once and
 * each async component's HTML follows in document order (stream.ts). A path no route matches
 * gets the 404 page; a Redirect thrown before the first byte is returned; any other such error
 * gets an error page (details hidden in production).
 */
export async function renderPage(render: PageRender): Promise<RenderedPage> {
  const { event, options } = render;
  const url = event.url;
  try {
    const match = matchRoute(options.routes, url.pathname);
    if (!match) return await renderDocument(render, { status: 404, title: "Page not found", content: notFound(url), params: {} });
    const args: PageArgs = { params: match.params, url };
    // Started before rendering so components find its calls in the cache. A failure is not
    // the page's (a component that needs the failed query meets the error itself); an
    // unexpected one is logged.
    const preloading = started(() => match.route.preload?.(args)).catch((error: unknown) => {
      describeError(error, event.dev, `preload of ${url.pathname}`);
    });
    const page = { status: 200, title: title(match.route, args), content: jsx(match.route.component, args), params: match.params };
    if (match.route.stream === false) return await renderDocument(render, page, preloading);
    const parts = renderParts(frame(render, page));
    return { status: page.status, html: new StreamedDocument(render, documentShell({ title: page.title, manifest: options.manifest }), parts, preloading) };
  } catch (error) {
    if (error instanceof Redirect) return error;
    return renderErrorPage(render, error);
  }
}

/** The page for an error: its status and message (hidden in production unless deliberate). */
export function renderErrorPage(render: PageRender, error: unknown): Promise<{ status: number; html: string }> {
  const { status, message, details } = errorDetails(render.describe, error);
  const page = { status, title: status < 500 ? message : "Server error", content: jsx("p", {}, details), params: {} };
  // Without the layout: it may be what failed.
  return renderDocument({ ...render, options: { ...render.options, layout: undefined } }, page);
}

/** The whole document before its first byte: what a page with `stream: false` and error pages get. */
async function renderDocument(render: PageRender, page: PageContent, preloading?: Promise<unknown>): Promise<{ status: number; html: string }> {
  const body = await renderedHtml(renderParts(frame(render, page)));
  const [start, end] = documentShell({ title: page.title, manifest: render.options.manifest });
  return { status: page.status, html: start + body + (await pageData(render.event, render.describe, preloading)) + end };
}

function frame({ event, options }: PageRender, page: PageContent): Child {
  return options.layout ? jsx(options.layout, { params: page.params, url: event.url, children: page.content }) : page.content;
}

function title(route: Route, args: PageArgs): string {
  if (typeof route.title === "function") return route.title(args);
  return route.title ?? args.url.pathname;
}

function notFound(url: URL): Child {
  return [jsx("h1", {}, "Page not found"), jsx("p", {}, `Nothing here matches ${url.pathname}.`), jsx("p", {}, jsx("a", { href: "/" }, "Go to the home page"))];
}
