import type { action as declareAction } from "../common/action.ts";
import type { FunctionOptions } from "../common/function-options.ts";
import { referenceInfo } from "../common/reference.ts";
import type { StandardSchemaV1 } from "../common/validation/standard-schema.ts";

/**
 * The schemas of the functions declared with `precheck: true`, by id: the only options the
 * build leaves in the browser (build/transform/options.ts). The stub checks them before it
 * sends (client/stub.ts); the Worker checks every call again.
 */
const prechecked = new Map<string, readonly StandardSchemaV1[]>();

/** The Worker checks the same options at start-up (common/function-options.ts): here they are only kept. */
export function keepPrecheck(fn: unknown, options: FunctionOptions | undefined): void {
  const info = referenceInfo(fn);
  const input = options?.precheck ? options.input : undefined;
  if (info && input) prechecked.set(info.id, Array.isArray(input) ? input : [input as StandardSchemaV1]);
}

export function precheckInput(id: string): readonly StandardSchemaV1[] | undefined {
  return prechecked.get(id);
}

/**
 * `action()` in the browser: the stub itself, typed like the server's. The Worker validates
 * the options and refuses a function that is not a server function, at start-up.
 */
export const action: typeof declareAction = ((fn: Function, nameOrOptions?: string | FunctionOptions, options?: FunctionOptions) => {
  keepPrecheck(fn, typeof nameOrOptions === "object" ? nameOrOptions : options);
  return fn;
}) as typeof declareAction;
