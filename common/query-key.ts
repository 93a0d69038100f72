/**
 * The cache key of one query call: the query's declared key followed by its arguments as
 * canonical JSON, e.g. `product["42"]`. The Worker's per-request cache, the records it
 * streams and the client cache all key entries with this one function, so a value computed
 * on one side lands on the same entry on the other.
 */
export function queryKey(key: string, args: readonly unknown[]): string {
  // Most calls pass ids and flags: nothing to canonicalize, so no replacer (the same JSON).
  if (args.every(isPlainScalar)) return key + JSON.stringify(args);
  try {
    return key + JSON.stringify(args, (_name, value: unknown) => canonical(key, value));
  } catch (error) {
    // canonical() copies every object, so JSON.stringify never sees a cycle twice: it recurses
    // until the stack runs out. That (or a TypeError) is the only failure not already a
    // QueryArgumentError.
    if ((error instanceof TypeError || error instanceof RangeError) && !(error instanceof QueryArgumentError)) {
      throw new QueryArgumentError(`query "${key}": an argument refers to itself (a cycle) or nests too deeply for a query key`);
    }
    throw error;
  }
}

function isPlainScalar(value: unknown): boolean {
  return value === null || value === undefined || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

export class QueryArgumentError extends TypeError {
  override name = "QueryArgumentError";
}

// Object keys are sorted so `{a, b}` and `{b, a}` share an entry. Values JSON cannot tell
// apart (a Map and `{}` both become `{}`) are refused rather than silently sharing an entry.
// A Date is keyed as its ISO string: the same instant either way.
function canonical(key: string, value: unknown): unknown {
  if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") {
    throw new QueryArgumentError(`query "${key}": a ${typeof value} cannot be a query argument`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const kind = (value as object).constructor?.name ?? "object";
    throw new QueryArgumentError(
      `query "${key}": a ${kind} cannot be a query argument; use strings, numbers, booleans, null, arrays, plain objects or Dates`,
    );
  }
  // fromEntries defines each key as an own property: an own "__proto__" stays a key.
  return Object.fromEntries(Object.keys(value).sort().map((name) => [name, (value as Record<string, unknown>)[name]]));
}

/**
 * What `query(fn, key)` returns on both sides: the function itself (cached per request on
 * the server, through the client cache in the browser) plus its keys, for `revalidate`.
 */
export type Query<F extends (...args: any[]) => Promise<unknown>> = F & {
  /** The declared key: `revalidate(getProduct.key)` refreshes every call of this query. */
  readonly key: string;
  /** The key of one call: `revalidate(getProduct.keyFor(id))` refreshes just that one. */
  keyFor(...args: Parameters<F>): string;
};

export class QueryDefinitionError extends TypeError {
  override name = "QueryDefinitionError";
}

/** Checks `query(fn, key)`'s arguments; both sides call it so both fail the same way. */
export function checkQueryDefinition(fn: unknown, key: unknown): asserts key is string {
  if (typeof key !== "string" || key === "") {
    throw new QueryDefinitionError(`query(fn, key): key must be a non-empty string (got ${JSON.stringify(key)})`);
  }
  if (typeof fn !== "function") {
    throw new QueryDefinitionError(`query(fn, "${key}"): fn must be a function (got ${typeof fn})`);
  }
}

/** Adds `key` and `keyFor` to a query's callable. */
export function withQueryKeys<F extends (...args: any[]) => Promise<unknown>>(call: F, key: string): Query<F> {
  return Object.assign(call, { key, keyFor: (...args: unknown[]) => queryKey(key, args) }) as Query<F>;
}
