import type { Directive, Node, Program, Statement } from "oxc-parser";
import type { FunctionLike } from "./scope.ts";

/**
 * How a server function says who may call it, as strict mode (`sortie build --strict`) asks:
 * - "guarded": declared with middleware, `action(fn, { use: [requireUser] })` or
 *   `query(fn, key, { use: […] })` (action and query imported from "sortie");
 * - "public": a `"public"` directive after `"use server"` (in the function, or at the top of a
 *   file-level module for all its exports): anyone may call it, on purpose;
 * - undefined: neither.
 */
export type Protection = "guarded" | "public" | undefined;

export function protectionOf(fn: FunctionLike, path: readonly Node[] | undefined, program: Program, fileLevel: boolean): Protection {
  if (fn.body?.type === "BlockStatement" && hasDirective(fn.body.body, "public")) return "public";
  if (fileLevel && hasDirective(program.body, "public")) return "public";
  const parent = path?.at(-2);
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

function propertyName(key: Node): string | undefined {
  if (key.type === "Identifier") return key.name;
  if (key.type === "Literal" && typeof key.value === "string") return key.value;
  return undefined;
}

/** Local name → imported name, for the imports from "sortie". */
function sortieImports(program: Program): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of program.body) {
    if (statement.type !== "ImportDeclaration" || statement.source.value !== "sortie") continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type === "ImportSpecifier") names.set(specifier.local.name, specifier.imported.type === "Identifier" ? specifier.imported.name : String(specifier.imported.value));
    }
  }
  return names;
}
