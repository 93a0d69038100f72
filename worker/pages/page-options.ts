import type { Route } from "../../common/routes.ts";
import type { ClientManifest } from "./document.tsx";
import type { Middleware } from "../../common/middleware.ts";
import { middlewareList, positiveInteger, SortieOptionsError } from "../options.ts";
import { resolveSecurityHeaders, type SecurityHeadersOption } from "./security-headers.ts";
import type { Layout, PageOptions } from "./render.ts";
import type { SingleFlightOptions } from "../queries/single-flight.ts";

/** The options of `createSortie` that make it serve pages (and single flight). */
export interface PageSortieOptions {
  /** The route table (`defineRoutes([...])`): pages on GET, re-run after mutations. */
  routes?: readonly Route[];
  /** The app's frame around every page (header, navigation…). */
  layout?: Layout;
  /** The client build's files: `import manifest from "sortie:manifest"`. Required with `routes`. */
  manifest?: ClientManifest;
  /** Most queries one single-flight re-run may start. Default 16. */
  maxQueries?: number;
  /**
   * Security headers on every page: by default a CSP the pages and islands work under
   * (`script-src 'self'`, no inline script), `X-Content-Type-Options: nosniff`,
   * `X-Frame-Options: DENY` with `frame-ancestors 'none'`, and
   * `Referrer-Policy: strict-origin-when-cross-origin`. `false` sends none; an object
   * replaces (a string) or drops (`false`) single headers. A page's own header wins.
   */
  securityHeaders?: SecurityHeadersOption;
}

/** Checks the page options once, at startup; undefined when the app has no routes. */
export function resolvePageOptions(options: PageSortieOptions & { middleware?: readonly Middleware[] }): (PageOptions & SingleFlightOptions) | undefined {
  const { routes, layout, manifest } = options;
  if (routes === undefined) return undefined;
  if (!Array.isArray(routes) || routes.some((route) => typeof route?.match !== "function")) {
    throw new SortieOptionsError("createSortie({ routes }): pass the array defineRoutes([...]) returns");
  }
  if (layout !== undefined && typeof layout !== "function") {
    throw new SortieOptionsError(`createSortie({ layout }): must be a component function (got ${typeof layout})`);
  }
  if (!isManifest(manifest)) {
    throw new SortieOptionsError(
      'createSortie({ manifest }): pages need the client build\'s manifest { entry, imports, css }: import manifest from "sortie:manifest" in the Worker entry',
    );
  }
  return {
    routes,
    layout,
    manifest,
    maxQueries: positiveInteger("maxQueries", options.maxQueries, 16),
    securityHeaders: resolveSecurityHeaders(options.securityHeaders),
    middleware: middlewareList(options.middleware),
  };
}

function isManifest(value: unknown): value is ClientManifest {
  const { entry, imports, css } = (value ?? {}) as Partial<Record<keyof ClientManifest, unknown>>;
  const paths = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === "string");
  return typeof entry === "string" && paths(imports) && paths(css);
}
