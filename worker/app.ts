/// <reference path="../build/sortie-manifest.ts" preserve="true" />
// ↑ The types of `sortie:manifest` (the build's virtual module) for every app that imports sortie/worker.
import { Hono } from "hono";
import { ENDPOINT_PREFIX } from "../common/reference.ts";
import { serverFunctionEndpoint } from "./endpoint/endpoint.ts";
import { resolveOptions, type SortieOptions } from "./options.ts";
import { resolvePageOptions } from "./pages/page-options.ts";
import { notFoundPage, pages } from "./pages/pages.ts";
import { sessionDefaults } from "./session/defaults.ts";
import { sealBoundArguments } from "./references/sealing.ts";
import { singleFlight } from "./queries/single-flight.ts";

export type { SortieOptions } from "./options.ts";
// The Durable Object of the "durable-object" session store: export it from the Worker entry.
export { SortieSessionObject } from "./session/durable-object.ts";

/** The Worker: a Hono app whose `fetch` is the Worker's fetch handler (`export default createSortie({...})`). */
export function createSortie(options: SortieOptions = {}): Hono {
  const app = new Hono();
  app.route("/", sortieRoutes(options));
  const pageOptions = resolvePageOptions(options);
  if (pageOptions) app.notFound(notFoundPage(pageOptions));
  return app;
}

/**
 * Sortie's server-function routes (`/_server/*`) as a Hono sub-app, for an existing Hono
 * app: `app.route("/", sortieRoutes(options))`. Mount it at the root: stubs call `/_server/<id>`.
 */
export function sortieRoutes(options: SortieOptions = {}): Hono {
  const resolved = resolveOptions(options);
  const pageOptions = resolvePageOptions(options);
  const followUp = resolved.followUp ?? (pageOptions && singleFlight(pageOptions));
  const routes = new Hono();
  routes.use(sessionDefaults(options.session));
  // Only an app that seals bound arguments pays for the flag on each request.
  if (options.sealBoundArguments === true) routes.use(sealBoundArguments());
  routes.all(`${ENDPOINT_PREFIX}*`, serverFunctionEndpoint({ ...resolved, followUp }));
  if (pageOptions) routes.use(pages(pageOptions));
  return routes;
}
