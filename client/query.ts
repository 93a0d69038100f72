import type { WithInput } from "../common/action.ts";
import type { FunctionOptions } from "../common/function-options.ts";
import { keepPrecheck } from "./precheck.ts";
import type { InputOutputs, InputParameters, InputSchemas } from "../common/validation/check.ts";
import { checkQueryDefinition, QueryDefinitionError, queryKey, withQueryKeys, type Query } from "../common/query-key.ts";
import { REFERENCE, referenceInfo, type ServerReference } from "../common/reference.ts";
import { loadQuery } from "./cache.ts";
import { markAsQuery } from "./stub.ts";

type AnyAsyncFunction = (...args: any[]) => Promise<unknown>;

/**
 * `query(stub, key)` in the browser: marks the stub as a read (it calls with GET) and routes
 * its calls through the client cache, so every island showing the query sees the result.
 * Its options reach the browser only with `precheck: true` (the build drops them otherwise).
 */
export function query<const S extends InputSchemas, R>(fn: (...args: InputOutputs<S>) => Promise<R>, key: string, options: WithInput<S>): Query<(...args: InputParameters<S>) => Promise<R>>;
export function query<F extends AnyAsyncFunction>(stub: F, key: string, options?: FunctionOptions): Query<F>;
export function query<F extends AnyAsyncFunction>(stub: F, key: string, options?: FunctionOptions): Query<F> {
  checkQueryDefinition(stub, key);
  if (!referenceInfo(stub)) {
    throw new QueryDefinitionError(
      `query(fn, "${key}"): fn is not a server function; a query used in the browser must be one (its body starting with the server directive), so only its stub reaches the browser`,
    );
  }
  markAsQuery(stub as unknown as ServerReference<AnyAsyncFunction>, key);
  keepPrecheck(stub, options);
  const cached = withQueryKeys(((...args: unknown[]) => loadQuery(queryKey(key, args), () => stub(...args))) as F, key);
  // What it stands for, as on the Worker (worker/queries/query.ts): a form or a prop can name it.
  Object.defineProperty(cached, REFERENCE, { value: referenceInfo(stub) });
  return cached;
}
