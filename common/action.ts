import { declareOptions, type FunctionOptions } from "./function-options.ts";
import { referenceInfo, type ServerReference } from "./reference.ts";
import type { InputOutputs, InputParameters, InputSchemas } from "./validation/check.ts";

type AnyAsyncFunction = (...args: any[]) => Promise<unknown>;

/** Options that declare the input: the function is typed from the schemas. */
export type WithInput<S extends InputSchemas> = FunctionOptions & { readonly input: S };

/** The reference of a function declared with `{ input }`: callers pass the schemas' input, the function gets their output. */
export type ValidatedReference<S extends InputSchemas, R> = ServerReference<(...args: InputParameters<S>) => Promise<R>>;

/**
 * `action(fn)`: the server function itself (its registered reference on the server, its stub
 * in the browser), typed as a reference so `.with(id)` type-checks. It exists so code written
 * like SolidStart's (`action(async () => { "use server"; … }, "logout")`) reads the same; the
 * name is optional and unused, since the build gives every server function its id.
 * Options declare middleware around it (`{ use: [requireUser] }`) and the schemas of its input
 * (`{ input: schema }`, or one schema per parameter), after the name or instead of it.
 */
export function action<const S extends InputSchemas, R>(fn: (...args: InputOutputs<S>) => Promise<R>, options: WithInput<S>): ValidatedReference<S, R>;
export function action<const S extends InputSchemas, R>(fn: (...args: InputOutputs<S>) => Promise<R>, name: string, options: WithInput<S>): ValidatedReference<S, R>;
export function action<F extends AnyAsyncFunction>(fn: F, nameOrOptions?: string | FunctionOptions, options?: FunctionOptions): ServerReference<F>;
export function action(fn: AnyAsyncFunction, nameOrOptions?: string | FunctionOptions, options?: FunctionOptions): ServerReference<AnyAsyncFunction> {
  const name = typeof nameOrOptions === "string" ? nameOrOptions : undefined;
  if (!referenceInfo(fn)) {
    throw new TypeError(
      `action(fn${name ? `, "${name}"` : ""}): fn is not a server function; start its body with "use server" (or define it in a "use server" file)`,
    );
  }
  declareOptions(fn, typeof nameOrOptions === "object" ? nameOrOptions : options, `action(${name ? `"${name}"` : "fn"})`);
  return fn as ServerReference<AnyAsyncFunction>;
}
