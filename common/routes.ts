import type { Child } from "hono/jsx";

/**
 * The route table: path patterns → page component + preload. The Worker renders pages
 * from it and re-runs a page's preload after a mutation (single flight); the matching
 * runs unchanged in the browser.
 *
 * Patterns: static segments, `:name` for one segment, and a last `*name` for the rest of
 * the path (`/docs/*path`). The first route that matches wins, in declaration order.
 */

type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : Path extends `${string}*${infer Name}`
      ? Name
      : never;

/** `{ id: string }` for `/products/:id`. */
export type RouteParams<Path extends string> = { [Name in ParamNames<Path>]: string };

export interface PageArgs<Path extends string = string> {
  params: RouteParams<Path>;
  /** The page's URL (for a single-flight re-run: the page the mutation came from). */
  url: URL;
}

export interface RouteDefinition<Path extends string = string> {
  path: Path;
  /** The page; may be async. Rendered on the server with hono/jsx. */
  component: (props: PageArgs<Path>) => Child | Promise<Child>;
  /**
   * Starts the page's queries. They run before the page renders (their results are
   * embedded in the HTML) and again after a mutation on this page (single flight).
   */
  preload?: (args: PageArgs<Path>) => unknown;
  /** The document title. Default: the URL's path. */
  title?: string | ((args: PageArgs<Path>) => string);
  /**
   * Whether the document streams (default true): its head and whatever is ready leave at
   * once, async components follow in order. Status, headers and cookies are settled before the
   * first byte, so a page that sets them after an await, or must answer a late error or
   * redirect with a real status, says `stream: false` and is sent whole (docs/pages.md).
   */
  stream?: boolean;
}

export interface Route extends RouteDefinition<string> {
  /** The params of a path, given as its decoded segments (pathSegments), if this route matches it. */
  match(segments: readonly string[]): Record<string, string> | undefined;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class RouteDefinitionError extends Error {
  override name = "RouteDefinitionError";
}

/** A path whose percent-encoding cannot be decoded (`/products/%E0`). */
export class MalformedPathError extends Error {
  override name = "MalformedPathError";
}

/** Checks every definition once, at startup, and compiles its pattern. */
export function defineRoutes<const Paths extends string[]>(
  definitions: { [Index in keyof Paths]: RouteDefinition<Paths[Index]> },
): Route[] {
  if (!Array.isArray(definitions)) throw new RouteDefinitionError("defineRoutes(routes): routes must be an array");
  const seen = new Set<string>();
  return (definitions as RouteDefinition<string>[]).map((definition, index) => {
    const path = definition?.path;
    if (typeof path !== "string" || !path.startsWith("/")) {
      throw new RouteDefinitionError(`defineRoutes: route #${index} needs a path starting with "/" (got ${JSON.stringify(path)})`);
    }
    if (seen.has(path)) throw new RouteDefinitionError(`defineRoutes: the path "${path}" is defined twice`);
    seen.add(path);
    if (typeof definition.component !== "function") {
      throw new RouteDefinitionError(`defineRoutes: route "${path}" needs a component function`);
    }
    if (definition.stream !== undefined && typeof definition.stream !== "boolean") {
      throw new RouteDefinitionError(`defineRoutes: the stream option of route "${path}" must be true or false (got ${JSON.stringify(definition.stream)})`);
    }
    if (definition.preload !== undefined && typeof definition.preload !== "function") {
      throw new RouteDefinitionError(`defineRoutes: the preload of route "${path}" must be a function`);
    }
    return { ...definition, match: compilePattern(path) };
  });
}

/** The first route matching `pathname`, with its decoded params. */
export function matchRoute(routes: readonly Route[], pathname: string): RouteMatch | undefined {
  const parts = pathSegments(pathname);
  for (const route of routes) {
    const params = route.match(parts);
    if (params) return { route, params };
  }
  return undefined;
}

function compilePattern(path: string): Route["match"] {
  const segments = splitPath(path);
  const names = new Set<string>();
  segments.forEach((segment, index) => {
    if (!segment.startsWith(":") && !segment.startsWith("*")) return;
    const name = segment.slice(1);
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new RouteDefinitionError(`defineRoutes: "${segment}" in "${path}" needs a name like :id or *rest`);
    }
    if (names.has(name)) throw new RouteDefinitionError(`defineRoutes: the param "${name}" appears twice in "${path}"`);
    if (segment.startsWith("*") && index !== segments.length - 1) {
      throw new RouteDefinitionError(`defineRoutes: "${segment}" in "${path}" must be the last segment`);
    }
    names.add(name);
  });
  const rest = segments.at(-1)?.startsWith("*") ? segments.pop()!.slice(1) : undefined;

  return (parts) => {
    if (rest === undefined ? parts.length !== segments.length : parts.length < segments.length) return undefined;
    const params: Record<string, string> = {};
    for (const [index, segment] of segments.entries()) {
      if (segment.startsWith(":")) params[segment.slice(1)] = parts[index]!;
      else if (segment !== parts[index]) return undefined;
    }
    if (rest !== undefined) params[rest] = parts.slice(segments.length).join("/");
    return params;
  };
}

// A trailing slash is ignored: `/products/42/` is `/products/42`.
function splitPath(path: string): string[] {
  return path.split("/").filter((segment, index, all) => index > 0 && (segment !== "" || index < all.length - 1));
}

/** A path's segments, percent-decoded (a segment without `%` is as it is). */
function pathSegments(pathname: string): string[] {
  return splitPath(pathname).map((segment) => (segment.includes("%") ? decode(segment) : segment));
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new MalformedPathError(`The path segment "${segment}" is not valid percent-encoding`);
  }
}
