/**
 * D1 bookmarks as they travel between the browser and the Worker (worker/d1.ts): per D1
 * binding, the newest bookmark the browser has seen, so its next request reads no older than
 * its own last write. A header on stub calls (`X-Sortie-D1: DB=<bookmark>, …`, kept by the
 * client runtime) and a cookie per binding (pages and forms without JavaScript).
 */
export const D1_HEADER = "X-Sortie-D1";

// D1's bookmark: four hex fields of fixed width, so newer is greater as a string.
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
const BINDING = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isBookmark(value: unknown): value is string {
  return typeof value === "string" && BOOKMARK.test(value);
}

/** The newer of two bookmarks (either may be missing). */
export function newer(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

/** `DB=<bookmark>, OTHER=<bookmark>`; malformed entries are skipped, never an error. */
export function parseBookmarks(header: string | null | undefined): Map<string, string> {
  const bookmarks = new Map<string, string>();
  for (const entry of header?.split(",") ?? []) {
    const [binding, bookmark] = entry.trim().split("=");
    if (binding && BINDING.test(binding) && isBookmark(bookmark)) bookmarks.set(binding, newer(bookmarks.get(binding), bookmark)!);
  }
  return bookmarks;
}

export function formatBookmarks(bookmarks: ReadonlyMap<string, string>): string {
  return [...bookmarks].map(([binding, bookmark]) => `${binding}=${bookmark}`).join(", ");
}
