import { Fragment, jsx, type Child } from "hono/jsx";
import { Redirect } from "../../common/redirect.ts";
import { MalformedPathError, matchRoute, type PageArgs, type Route } from "../../common/routes.ts";
import type { Middleware } from "../../common/middleware.ts";
import type { ErrorPayload } from "../../common/wire.ts";
import type { RequestEvent } from "../request/context.ts";
import { Document, type ClientManifest } from "./document.tsx";
import { describeError, errorStatus } from "../request/errors.ts";
import { encodePageData } from "./page-data.ts";
import { settleQueries } from "../queries/query-cache.ts";
import { sealReferencesIn } from "../references/sealing.ts";

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

/** A rendered document with its status, or where to send the browser instead. */
export type RenderedPage = { status: number; html: string } | Redirect;

/** What goes into the document: the page's status, title and content. */
interface PageContent {
  status: number;
  title: string;
  content: Child;
  params: Record<string, string>;
}

/**
 * Renders the page for the current request (call inside its request context): preload, then
 * the page in the layout with hono/jsx (async components allowed), then the document with
 * the settled query results embedded. A path no route matches gets the 404 page; a thrown
 * Redirect is returned; any other error gets an error page (details hidden in production).
 */
export async function renderPage(event: RequestEvent, options: PageOptions, describe: (error: unknown) => ErrorPayload): Promise<RenderedPage> {
  const url = event.url;
  try {
    const match = matchRoute(options.routes, url.pathname);
    if (!match) {
      return await renderDocument(event, options, describe, { status: 404, title: "Page not found", content: notFound(url), params: {} });
    }
    const args: PageArgs = { params: match.params, url };
    // Started before rendering so components find its calls in the cache. A failure is not
    // the page's (a component that needs the failed query meets the error itself); an
    // unexpected one is logged.
    const preloading = (async () => match.route.preload?.(args))().catch((error: unknown) => {
      describeError(error, event.dev, `preload of ${url.pathname}`);
    });
    const page = { status: 200, title: title(match.route, args), content: jsx(match.route.component, args), params: match.params };
    return await renderDocument(event, options, describe, page, preloading);
  } catch (error) {
    if (error instanceof Redirect) return error;
    return renderErrorPage(event, options, describe, error);
  }
}

/** The page for an error: its status and message (hidden in production unless deliberate). */
export function renderErrorPage(
  event: RequestEvent,
  options: PageOptions,
  describe: (error: unknown) => ErrorPayload,
  error: unknown,
): Promise<{ status: number; html: string }> {
  const malformed = error instanceof MalformedPathError;
  const status = malformed ? 400 : errorStatus(error);
  const { message, errorId } = malformed ? { message: error.message, errorId: undefined } : describe(error);
  const details = errorId ? `${message} (error id ${errorId})` : message;
  const page = { status, title: status < 500 ? message : "Server error", content: jsx("p", {}, details), params: {} };
  // Without the layout: it may be what failed.
  return renderDocument(event, { ...options, layout: undefined }, describe, page);
}

async function renderDocument(
  event: RequestEvent,
  options: PageOptions,
  describe: (error: unknown) => ErrorPayload,
  page: PageContent,
  preloading?: Promise<unknown>,
): Promise<{ status: number; html: string }> {
  const { layout, manifest } = options;
  const content = layout ? jsx(layout, { params: page.params, url: event.url, children: page.content }) : page.content;
  const body = String(await jsx(Fragment, {}, content).toString());
  await preloading;
  const calls = await settleQueries(event);
  // A query's value may hold references whose values travel sealed: sealed before encoding.
  await sealReferencesIn(calls.map((call) => (call.outcome?.ok ? call.outcome.value : undefined)), event);
  const data = encodePageData(calls, describe);
  const html = await jsx(Document, { title: page.title, manifest, data, body }).toString();
  return { status: page.status, html: `<!doctype html>${html}` };
}

function title(route: Route, args: PageArgs): string {
  if (typeof route.title === "function") return route.title(args);
  return route.title ?? args.url.pathname;
}

function notFound(url: URL): Child {
  return [jsx("h1", {}, "Page not found"), jsx("p", {}, `Nothing here matches ${url.pathname}.`), jsx("p", {}, jsx("a", { href: "/" }, "Go to the home page"))];
}
