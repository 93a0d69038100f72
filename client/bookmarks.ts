import { D1_HEADER, formatBookmarks, newer, parseBookmarks } from "../common/d1-bookmarks.ts";

/** Per D1 binding, the newest bookmark a call's answer brought (worker/d1.ts): sent with every later call. */
const bookmarks = new Map<string, string>();

/** Keeps the bookmarks of an answer, never moving one back (answers of parallel calls arrive in any order). */
export function rememberBookmarks(response: Response): void {
  for (const [binding, bookmark] of parseBookmarks(response.headers.get(D1_HEADER))) bookmarks.set(binding, newer(bookmarks.get(binding), bookmark)!);
}

/** Adds the X-Sortie-D1 header to a call's headers, when there is anything to send. */
export function addBookmarkHeader(headers: Record<string, string>): void {
  if (bookmarks.size) headers[D1_HEADER] = formatBookmarks(bookmarks);
}
