import type { Directive, Node, Program, Statement } from "oxc-parser";
import type { FunctionLike } from "./scope.ts";
import { propertyName, sortieImports } from "./options.ts";

/**
 * How a server function says who may call it, as strict mode (`sortie build --strict`) asks:
 * - "guarded": declared with middleware, `action(fn, { use: [requireUser] })` or
 *   `query(fn, key, { use: […] })` (action and query imported from "sortie");
 * - "public": a `"public"` directive after `"use server"` (in the function, or at the top of a
 *   file-level module for all its exports): anyone may call it, on purpose;
 * - undefined: neither.
 */
export type Protection = "guarded" | "public" | undefined;

export function protectionOf(fn: FunctionLike, parent: Node | undefined, program: Program, fileLevel: boolean): Protection {
  if (fn.body?.type === "BlockStatement" && hasDirective(fn.body.body, "public")) return "public";
  if (fileLevel && hasDirective(program.body, "public")) return "public";
  if (parent?.type !== "CallExpression" || parent.arguments[0] !== fn || parent.callee.type !== "Identifier") return undefined;
  const imported = sortieImports(program).get(parent.callee.name);
  if (imported !== "action" && imported !== "query") return undefined;
  for (const argument of parent.arguments.slice(1)) {
    if (argument.type !== "ObjectExpression") continue;
    for (const property of argument.properties) {
      if (property.type !== "Property" || propertyName(property.key) !== "use") continue;
      // A literal list must hold something; any other expression is taken as declared.
      if (property.value.type !== "ArrayExpression" || property.value.elements.length > 0) return "guarded";
    }
  }
  return undefined;
}

function hasDirective(body: readonly (Directive | Statement)[], name: string): boolean {
  for (const statement of body) {
    if (!("directive" in statement) || typeof statement.directive !== "string") return false;
    if (statement.directive === name) return true;
  }
  return false;
}
