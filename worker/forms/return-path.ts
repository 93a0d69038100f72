import { sameOriginPath } from "../../common/same-origin-path.ts";

/**
 * Where a plain form post goes back to when its function did not redirect: the page named by
 * the form's hidden `$return` field, else the Referer, else `/`. Only a path on the app's own
 * origin is ever used; anything that could lead elsewhere counts as absent (see sameOriginPath).
 */
export function returnPath(claimed: string | undefined, request: Request): string {
  const base = new URL(request.url);
  return (claimed === undefined ? undefined : sameOriginPath(claimed, base)) ?? refererPath(request, base) ?? "/";
}

function refererPath(request: Request, base: URL): string | undefined {
  const referer = request.headers.get("referer");
  if (!referer || !URL.canParse(referer)) return undefined;
  const url = new URL(referer);
  return url.origin === base.origin ? sameOriginPath(url.pathname + url.search, base) : undefined;
}
