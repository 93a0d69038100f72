import { createRedirect, type Redirect, type RedirectStatus } from "../../common/redirect.ts";
import { getRequestEvent } from "./context.ts";

/**
 * Sends the browser to `url` (same-origin; a relative path resolves against the request URL).
 * Return it or throw it: `throw redirect("/")`. A stub call gets a redirect record, a plain
 * form post a 303 See Other.
 */
export function redirect(url: string, status: RedirectStatus = 302): Redirect {
  return createRedirect(url, getRequestEvent().url, status);
}
