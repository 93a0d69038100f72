/**
 * The text a `<QueryValue select="owner.name">` shows for a query's value: the value at a
 * dotted path of own properties (never inherited ones such as `constructor`), "" when absent.
 * The Worker renders it and the client re-renders it from the cache with this same function.
 */
export function selectText(value: unknown, path: string | undefined): string {
  let current = value;
  for (const name of path ? path.split(".") : []) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, name)) return "";
    current = (current as Record<string, unknown>)[name];
  }
  return current === null || current === undefined ? "" : String(current);
}
