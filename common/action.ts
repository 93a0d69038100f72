/**
 * `action(fn)`: the server function itself (its registered reference on the server, its stub
 * in the browser). It exists so code written like SolidStart's
 * (`action(async () => { "use server"; … }, "logout")`) reads the same; the name is
 * optional and unused, since the build gives every server function its id.
 */
export function action<F extends (...args: any[]) => Promise<unknown>>(fn: F, _name?: string): F {
  if (typeof fn !== "function") throw new TypeError(`action(fn): fn must be a function (got ${typeof fn})`);
  return fn;
}
