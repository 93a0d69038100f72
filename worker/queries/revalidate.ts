import { getRequestEvent, type RequestEvent } from "../request/context.ts";

/**
 * Which queries the client should get fresh after this request's mutation:
 * `"all"` (the default), `"none"`, or a list of keys — a query's declared key
 * (`getProduct.key`) or one call's key (`getProduct.keyFor(id)`).
 */
export type Revalidation = "all" | "none" | readonly string[];

const REVALIDATION = Symbol("sortie.revalidate");

/**
 * Chooses what single flight refreshes after this mutation. `revalidate()`: every query the
 * page preloaded; `revalidate("key")` or `revalidate(["a", "b"])`: only those; `revalidate(false)`:
 * nothing. Each call replaces the earlier choice, except that key lists add up.
 */
export function revalidate(keys?: string | readonly string[] | false): void {
  const event = getRequestEvent();
  if (keys === undefined) return choose(event, "all");
  if (keys === false) return choose(event, "none");
  const list = typeof keys === "string" ? [keys] : keys;
  if (!Array.isArray(list) || list.some((key) => typeof key !== "string" || key === "")) {
    throw new TypeError(`revalidate(keys): keys must be a non-empty string, an array of them, or false (got ${JSON.stringify(keys)})`);
  }
  const earlier = revalidation(event);
  choose(event, typeof earlier === "string" ? [...list] : [...new Set([...earlier, ...list])]);
}

/** This request's choice (read by single flight after the function has run). */
export function revalidation(event: RequestEvent = getRequestEvent()): Revalidation {
  return (event.locals.get(REVALIDATION) as Revalidation | undefined) ?? "all";
}

function choose(event: RequestEvent, choice: Revalidation): void {
  event.locals.set(REVALIDATION, choice);
}
