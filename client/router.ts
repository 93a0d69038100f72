import { onCallRecord } from "./records.ts";

// The browser's location; read through this view because workerd (tests) has none.
const browser = globalThis as {
  location?: { href: string; origin: string; pathname: string; search: string; hash: string; assign(url: string): void };
};

/**
 * Follows a server function's redirect (start() calls it once; returns the unsubscribe).
 *
 * - Another page: `location.assign` at once. The response goes on to carry that page's
 *   fresh queries, but the browser is about to load the page, whose HTML embeds its own
 *   data rendered after the mutation; waiting for the records would only delay the
 *   navigation by the slowest query, so they are not awaited (any that land before unload
 *   merely update the old page's cache).
 * - The page the browser is on (path and query equal): no navigation. The records in the
 *   same response refresh its data in place, as after a call without redirect; only a
 *   different `#hash` is applied.
 */
export function followRedirects(): () => void {
  return onCallRecord((record) => {
    const location = browser.location;
    if (record.type !== "redirect" || !location) return;
    const target = new URL(record.location, location.href);
    // The Worker only sends same-origin locations; refuse anything else all the same.
    if (target.origin !== location.origin) return;
    if (!isCurrentPage(target)) location.assign(target.href);
    else if (target.hash) location.hash = target.hash;
  });
}

/** Whether `target` is the page the browser is on (path and query equal): a redirect there does not navigate. */
export function isCurrentPage(target: URL): boolean {
  const location = browser.location;
  return !!location && target.pathname + target.search === location.pathname + location.search;
}
