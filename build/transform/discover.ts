import type { Node } from "oxc-parser";
import { hasUseServer } from "./directives.ts";
import type { FunctionLike, FunctionVisitor, Scope } from "./scope.ts";

/** A function whose body starts with `"use server"`, as the scope walk met it. */
export interface DirectiveSite {
  readonly fn: FunctionLike;
  /** Program first, the function last. */
  readonly path: readonly Node[];
  /** The scope the function stands in (where a declaration's name is bound). */
  readonly scope: Scope;
}

/** A scope-walk visitor that collects the functions carrying the directive. */
export function directiveSites(): { sites: DirectiveSite[]; onFunction: FunctionVisitor } {
  const sites: DirectiveSite[] = [];
  const onFunction: FunctionVisitor = (fn, ancestors, scope) => {
    if (fn.body?.type === "BlockStatement" && hasUseServer(fn.body.body)) sites.push({ fn, path: ancestors.slice(), scope });
  };
  return { sites, onFunction };
}

/**
 * Why `fn` cannot be a server function, with the fix, or undefined when it can: it must be an
 * async, non-generator function that is not a method (a method's `this` and `super` cannot
 * follow it to module scope). `parent` is the node holding it.
 */
export function shapeProblem(fn: FunctionLike, name: string, parent: Node | undefined): { at: number; problem: string; hint: string } | undefined {
  const isMethod =
    parent?.type === "MethodDefinition" ||
    parent?.type === "TSAbstractMethodDefinition" ||
    (parent?.type === "Property" && (parent.method || parent.kind !== "init"));
  if (isMethod) {
    const own = name.slice(name.lastIndexOf(".") + 1);
    return {
      at: parent.start,
      problem: `the method ${name} cannot be a server function`,
      hint: `declare it as a function at module level (async function ${own}(…) { "use server"; … }) and call that from the method`,
    };
  }
  if (!fn.async) {
    return {
      at: fn.start,
      problem: `the server function ${name} is not async`,
      hint:
        fn.type === "ArrowFunctionExpression"
          ? `make it async: async (…) => { … }; server functions are called over the network and always return a promise`
          : `make it async: async function ${fn.id?.name ?? ""}(…) { … }; server functions are called over the network and always return a promise`,
    };
  }
  if (fn.generator) {
    return {
      at: fn.start,
      problem: `the server function ${name} is an async generator`,
      hint: `return a value (or a ReadableStream) from a plain async function instead`,
    };
  }
  return undefined;
}
