import type { WithInput } from "../../common/action.ts";
import { declareOptions, type FunctionOptions } from "../../common/function-options.ts";
import type { InputOutputs, InputParameters, InputSchemas } from "../../common/validation/check.ts";
import { checkQueryDefinition, QueryDefinitionError, withQueryKeys, type Query } from "../../common/query-key.ts";
import { callQueryThroughMiddleware } from "../endpoint/middleware.ts";
import { REFERENCE, referenceInfo } from "../../common/reference.ts";
import { callQuery, type QueryCall } from "./query-cache.ts";
import { markAsQuery } from "../endpoint/registry.ts";

type AnyAsyncFunction = (...args: any[]) => Promise<unknown>;

/** What each query returned by `query()` runs, so server components can find its call. */
const definitions = new WeakMap<Function, { key: string; fn: AnyAsyncFunction }>();

/**
 * A read server function, cached per request by `key` and arguments: `getProduct(id)` in the
 * preload and again in the page runs once. When `fn` is a registered server function (a
 * `"use server"` body), it is marked as a query so the client's stub reads it with GET and
 * keeps the result in the client cache. A plain function makes a server-only query.
 * Options declare its middleware and the schemas of its input, as for action().
 */
export function query<const S extends InputSchemas, R>(fn: (...args: InputOutputs<S>) => Promise<R>, key: string, options: WithInput<S>): Query<(...args: InputParameters<S>) => Promise<R>>;
export function query<F extends AnyAsyncFunction>(fn: F, key: string, options?: FunctionOptions): Query<F>;
export function query<F extends AnyAsyncFunction>(fn: F, key: string, options?: FunctionOptions): Query<F> {
  checkQueryDefinition(fn, key);
  const info = referenceInfo(fn);
  if (info) markAsQuery(fn as unknown as Parameters<typeof markAsQuery>[0], key);
  declareOptions(fn, options, `query(fn, "${key}")`);
  // A server function goes through its middleware on the server too (a preload, single flight's re-run).
  const run = info ? (args: unknown[]) => callQueryThroughMiddleware(fn, info.id, args) : (args: unknown[]) => fn(...args);
  const cached = withQueryKeys(((...args: unknown[]) => callQuery(key, args, () => run(args)).promise) as F, key);
  // The endpoint finds the function by id; server code that inspects the query sees the same metadata.
  if (info) Object.defineProperty(cached, REFERENCE, { value: info });
  definitions.set(cached, { key, fn: ((...args: unknown[]) => run(args)) as AnyAsyncFunction });
  return cached;
}

/** This request's call of `query(...args)`, started if it is not cached yet. */
export function queryCall<F extends AnyAsyncFunction>(query: Query<F>, args: Parameters<F>): QueryCall {
  const definition = definitions.get(query);
  if (!definition) {
    throw new QueryDefinitionError(`${describe(query)} is not a query: wrap the function with query(fn, key)`);
  }
  return callQuery(definition.key, args, () => definition.fn(...args));
}

/**
 * Server side of `useQuery` (islands render on both sides): the value if this request's
 * call has resolved, else undefined — the client renders it once the cache has it.
 * Throws the query's error if it failed.
 */
export function useQuery<F extends AnyAsyncFunction>(query: Query<F>, ...args: Parameters<F>): Awaited<ReturnType<F>> | undefined {
  const outcome = queryCall(query, args).outcome;
  if (outcome && !outcome.ok) throw outcome.error;
  return outcome?.value as Awaited<ReturnType<F>> | undefined;
}

function describe(value: unknown): string {
  return typeof value === "function" ? `the function ${value.name || "(anonymous)"}` : `a ${typeof value}`;
}
