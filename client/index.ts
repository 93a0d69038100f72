// `sortie/client`: what the client entry calls to boot a server-rendered page.
import { PAGE_DATA_ID, QUERY_SELECT, QUERY_VALUE } from "../common/markup.ts";
import { selectText } from "../common/select.ts";
import { applyQueryRecords, readQuery, subscribeQuery, writeQuery } from "./cache.ts";
import { enhanceForms } from "./forms.ts";
import { startIslands, type IslandLoader } from "./islands.ts";
import { decodePageData } from "./page-data.ts";
import { followRedirects } from "./router.ts";
import { readEmbeddedSubmission } from "./submissions.ts";

export { useQuery } from "./use-query.ts";
export { peek, subscribe } from "./subscribe.ts";
export type { CacheEntry } from "./cache.ts";
export type { IslandLoader } from "./islands.ts";

export interface StartOptions {
  /** A loader per island name: `{ Counter: () => import("./islands/Counter.tsx") }`. Only islands on the page load. */
  islands?: Record<string, IslandLoader>;
}

/**
 * Boots the page once: fills the client cache from the data the Worker embedded, applies the
 * records server function responses bring (fresh queries, redirects), takes over forms that
 * post to server functions (client/forms.ts), keeps every `<QueryValue>` element's text
 * current, and renders the page's islands. Resolves when the islands are up; rejects naming
 * any island that failed (the others still run).
 */
export function start(options: StartOptions = {}): Promise<void> {
  const data = document.getElementById(PAGE_DATA_ID)?.textContent;
  for (const [cacheKey, value] of data ? decodePageData(data) : []) writeQuery(cacheKey, { ok: true, value });
  applyQueryRecords();
  followRedirects();
  readEmbeddedSubmission();
  enhanceForms();
  for (const element of document.querySelectorAll<HTMLElement>(`[${QUERY_VALUE}]`)) bindQueryValue(element);
  return startIslands(options.islands ?? {});
}

/**
 * Rewrites the element's text when its entry gets a new value; a failed read leaves the last
 * value and marks the element with `data-error` (style it if you like).
 */
function bindQueryValue(element: HTMLElement): void {
  const cacheKey = element.getAttribute(QUERY_VALUE)!;
  const select = element.getAttribute(QUERY_SELECT) ?? undefined;
  subscribeQuery(cacheKey, () => {
    const entry = readQuery(cacheKey)!;
    if (entry.ok) {
      element.textContent = selectText(entry.value, select);
      element.removeAttribute("data-error");
    } else element.setAttribute("data-error", (entry.error as Error).message ?? String(entry.error));
  });
}
