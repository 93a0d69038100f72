import { sameOriginPath } from "./same-origin-path.ts";

/** Where a server function sends the browser next; works returned or thrown. */
export class Redirect {
  /** A same-origin path with query and hash, e.g. `/todos?done=1`. */
  readonly location: string;
  /** Used where the answer is a real HTTP redirect of a GET (pages); form posts always get 303. */
  readonly status: RedirectStatus;

  constructor(location: string, status: RedirectStatus) {
    this.location = location;
    this.status = status;
  }
}

export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/** `redirect()` was asked to leave the site, or given a status that is not a redirect. */
export class RedirectTargetError extends Error {
  override name = "RedirectTargetError";
}

const STATUSES: readonly number[] = [301, 302, 303, 307, 308];

/**
 * A Redirect to `target` resolved against `base` (the current request or page URL). Only
 * same-origin targets are accepted: an open redirect would let any link borrow this site's name.
 */
export function createRedirect(target: string, base: URL, status: RedirectStatus): Redirect {
  if (typeof target !== "string") throw new RedirectTargetError(`redirect(url): url must be a string (got ${typeof target})`);
  if (!STATUSES.includes(status)) {
    throw new RedirectTargetError(`redirect("${target}", ${status}): status must be one of ${STATUSES.join(", ")}`);
  }
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    throw new RedirectTargetError(`redirect("${target}"): not a valid URL`);
  }
  // The resolved path is checked again: "/.//evil.example" resolves on this origin to a path
  // a browser reads as "//evil.example".
  const location = url.origin === base.origin ? sameOriginPath(url.pathname + url.search + url.hash, base) : undefined;
  if (location === undefined) {
    throw new RedirectTargetError(
      `redirect("${target}") leaves ${base.origin}: only same-origin targets are allowed (use a path such as "/todos")`,
    );
  }
  return new Redirect(location, status);
}
