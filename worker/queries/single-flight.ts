import { MalformedPathError, matchRoute, type Route, type RouteMatch } from "../../common/routes.ts";
import { PAGE_HEADER, type QueryRecord } from "../../common/wire.ts";
import { runWithRequestEvent, type RequestEvent } from "../request/context.ts";
import { describeError } from "../request/errors.ts";
import type { CallOutcome, FollowUp } from "../endpoint/outcome.ts";
import { QueryLimitError, restartQueryCache, type QueryCall } from "./query-cache.ts";
import { revalidation, type Revalidation } from "./revalidate.ts";

export interface SingleFlightOptions {
  routes: readonly Route[];
  /** Most queries one re-run may start; nothing the client sends changes it. */
  maxQueries: number;
}

/**
 * Single flight, as the endpoint's follow-up: after a stub's call, re-run the preload of
 * the page the browser will show — the redirect target, else the page the call came from
 * (`X-Sortie-Page`) — in the same request context, so the queries see the cookies and
 * session the action left, and stream each revalidated query's fresh value as it resolves.
 * No re-run after a failed call, after `revalidate(false)`, or without a same-origin page
 * that a route matches.
 */
export function singleFlight(options: SingleFlightOptions): FollowUp {
  return (event, outcome) => {
    const choice = revalidation(event);
    if (outcome.type === "error" || choice === "none") return undefined;
    const target = targetUrl(event, outcome);
    const match = target && findRoute(options.routes, target);
    if (!match) return undefined;
    return rerun(event, match, target, choice, options.maxQueries);
  };
}

/** The redirect location, else the page header; same-origin only (nothing is ever fetched). */
function targetUrl(event: RequestEvent, outcome: CallOutcome): URL | undefined {
  const location = outcome.type === "redirect" ? outcome.redirect.location : event.request.headers.get(PAGE_HEADER);
  if (!location) return undefined;
  try {
    const url = new URL(location, event.url);
    return url.origin === event.url.origin ? url : undefined;
  } catch {
    return undefined;
  }
}

function findRoute(routes: readonly Route[], url: URL): RouteMatch | undefined {
  try {
    return matchRoute(routes, url.pathname);
  } catch (error) {
    if (error instanceof MalformedPathError) return undefined; // no page to refresh
    throw error;
  }
}

/**
 * Empties the request's query cache (what runs now must be fresh), runs the preload and
 * yields a record per wanted query as each settles, until the preload and every query it
 * started are done.
 */
async function* rerun(event: RequestEvent, match: RouteMatch, url: URL, choice: Revalidation, limit: number): AsyncGenerator<QueryRecord> {
  const wanted = (call: QueryCall) => choice === "all" || choice.includes(call.key) || choice.includes(call.cacheKey);
  const ready: QueryRecord[] = [];
  const failures = new Set<unknown>();
  let running = 1; // the preload, then each query
  let wake: (() => void) | undefined;
  const finish = () => {
    running--;
    wake?.();
  };
  const log = (error: unknown) => describeError(error, event.dev, `single-flight preload of ${url.pathname}`);

  const watch = (call: QueryCall) => {
    running++;
    const base = { type: "query" as const, key: call.key, args: [...call.args] };
    call.promise
      .then(
        (value) => wanted(call) && ready.push({ ...base, value }),
        (error: unknown) => {
          failures.add(error);
          if (wanted(call)) ready.push({ ...base, error });
        },
      )
      .finally(finish);
  };
  // The cap is logged once, as it is hit, whether or not the preload awaits the refused calls.
  restartQueryCache(event, limit, watch, log);
  runWithRequestEvent(event, async () => match.route.preload?.({ params: match.params, url }))
    .catch((error: unknown) => {
      // A query's failure already has its record and the cap its log line; anything else is the preload's own bug.
      if (!failures.has(error) && !(error instanceof QueryLimitError)) log(error);
    })
    .finally(finish);
  event.signal.addEventListener("abort", () => wake?.(), { once: true });

  try {
    while (!event.signal.aborted) {
      while (ready.length) yield ready.shift()!;
      if (running === 0) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // Stop watching: calls after the response (or after the client left) are not ours.
    restartQueryCache(event, limit, () => {});
  }
}
