import { declareOptions, type FunctionOptions } from "./middleware.ts";
import { referenceInfo, type ServerReference } from "./reference.ts";

/**
 * `action(fn)`: the server function itself (its registered reference on the server, its stub
 * in the browser), typed as a reference so `.with(id)` type-checks. It exists so code written
 * like SolidStart's (`action(async () => { "use server"; … }, "logout")`) reads the same; the
 * name is optional and unused, since the build gives every server function its id.
 * Options declare middleware around it: `action(fn, { use: [requireUser] })` (or after the name).
 */
export function action<F extends (...args: any[]) => Promise<unknown>>(fn: F, nameOrOptions?: string | FunctionOptions, options?: FunctionOptions): ServerReference<F> {
  const name = typeof nameOrOptions === "string" ? nameOrOptions : undefined;
  if (!referenceInfo(fn)) {
    throw new TypeError(
      `action(fn${name ? `, "${name}"` : ""}): fn is not a server function; start its body with "use server" (or define it in a "use server" file)`,
    );
  }
  declareOptions(fn, typeof nameOrOptions === "object" ? nameOrOptions : options, `action(${name ? `"${name}"` : "fn"})`);
  return fn as ServerReference<F>;
}
