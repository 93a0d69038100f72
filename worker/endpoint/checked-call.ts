import { action as declareAction } from "../../common/action.ts";
import { declaredInput } from "../../common/function-options.ts";
import { checkArguments, summarize } from "../../common/validation/check.ts";
import type { StandardSchemaV1 } from "../../common/validation/standard-schema.ts";
import { ValidationError } from "../../common/validation/validation-error.ts";
import { capturedCount, checkedReference } from "./registry.ts";
import { REFERENCE, referenceInfo } from "../../common/reference.ts";

type AnyAsyncFunction = (...args: any[]) => Promise<unknown>;

/**
 * Calls a server function with its arguments checked by the schemas it declared (`{ input }`),
 * so it receives their output; without schemas, as they are. The last step of every path
 * (endpoint.ts, a query called on the server), after the middleware.
 */
export function callChecked(fn: AnyAsyncFunction, args: unknown[]): Promise<unknown> {
  const input = declaredInput(fn);
  return input ? checked(input, args, capturedCount(referenceInfo(fn)!.id)).then((valid) => fn(...valid)) : fn(...args);
}

/**
 * The schemas' output for `args`, or a ValidationError. A closure's first `captured` arguments
 * are the values it captured, which the Worker sealed itself: the schemas describe the rest.
 */
async function checked(input: readonly StandardSchemaV1[], args: unknown[], captured: number): Promise<unknown[]> {
  const result = await checkArguments(input, captured ? args.slice(captured) : args);
  if ("issues" in result) throw new ValidationError(result.issues, summarize(result.issues));
  return captured ? [...args.slice(0, captured), ...result.args] : result.args;
}

/**
 * `action()` in the Worker. Declared with `{ input }`, it returns a reference that checks its
 * arguments when server code calls it directly too, so the function never sees unchecked input
 * (the endpoint calls the registered function, which it checks itself).
 */
export const action: typeof declareAction = ((fn: AnyAsyncFunction, ...rest: [never]) => {
  const reference = declareAction(fn, ...rest);
  const input = declaredInput(reference);
  const captured = capturedCount(reference[REFERENCE].id);
  return input ? checkedReference(reference, (...args: unknown[]) => checked(input, args, captured).then((valid) => fn(...valid))) : reference;
}) as typeof declareAction;
