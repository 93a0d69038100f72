import type { CallExpression, Node, Program, VariableDeclaration } from "oxc-parser";
import type { DirectiveSite } from "./discover.ts";
import { resolve, type Binding, type Scope } from "./scope.ts";

/**
 * The variable a nested server function is stored in, as far as moving it to module scope
 * goes. A `const` holding the function itself, `action(fn, …)` or `query(fn, "key", …)` moves
 * with it: its initializer runs once at module level, and references to the variable, in
 * other moved server functions too, point there (what the call's other arguments may use
 * there is checked by options.ts). Any other holder stays: `why` says what keeps it, `hint`
 * how to write it so it can move.
 */
export type Holder =
  | { readonly binding: Binding; readonly moves: true; readonly init: Node }
  | { readonly binding: Binding; readonly moves: false; readonly why: string; readonly hint: string };

/** Wrappers that change nothing at run time. */
const TRANSPARENT = new Set(["ParenthesizedExpression", "TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "TSTypeAssertion"]);
/** The calls that may move with the function: they return it, or a wrapper that needs nothing of the scope. */
const MOVABLE_CALLS = new Set(["action", "query"]);

/**
 * The holder of the server function at `site` (`const save = action(async () => { … })`),
 * through type assertions and calls that take it as an argument; undefined when it is not
 * assigned to a variable (inline JSX, an object property, …).
 */
export function holderOf(site: DirectiveSite, module: Scope, imports: ReadonlySet<string>): Holder | undefined {
  const { path } = site;
  let child = path[path.length - 1]!;
  const calls: { call: CallExpression; argument: Node }[] = [];
  for (let index = path.length - 2; index > 0; index--) {
    const parent = path[index]!;
    if (TRANSPARENT.has(parent.type)) {
      child = parent;
      continue;
    }
    if (parent.type === "CallExpression" && parent.callee !== child) {
      calls.push({ call: parent, argument: child });
      child = parent;
      continue;
    }
    if (parent.type !== "VariableDeclarator" || parent.init !== child || parent.id.type !== "Identifier") return undefined;
    const name = parent.id.name;
    const binding = resolve(site.scope, name)!;
    const { kind } = path[index - 1] as VariableDeclaration;
    if (kind !== "const") {
      return { binding, moves: false, why: `${name} is declared with ${kind}, and only a const (which keeps its value) can move with it`, hint: `declare ${name} with const` };
    }
    const stuck = calls.length === 0 ? undefined : callProblem(calls, name, (callee) => imports.has(callee) && resolve(site.scope, callee)?.scope === module);
    return stuck ? { binding, moves: false, ...stuck } : { binding, moves: true, init: child };
  }
  return undefined;
}

/**
 * Why the calls around the function cannot move to module level with it, or undefined when
 * they can. `imported` tells whether a callee name means the module's import of that name:
 * a call moved up runs before the module's own later declarations, but after its imports.
 */
function callProblem(calls: readonly { call: CallExpression; argument: Node }[], name: string, imported: (callee: string) => boolean): { why: string; hint: string } | undefined {
  const { call, argument } = calls[0]!;
  const callee = call.callee.type === "Identifier" ? call.callee.name : undefined;
  const hint = `hold it in const ${name} = action(fn, options) or const ${name} = query(fn, "key", options), or declare ${name} at module level`;
  if (calls.length > 1 || callee === undefined || !MOVABLE_CALLS.has(callee) || !imported(callee)) {
    return { why: `${name} wraps it in a call other than action(fn) or query(fn, "key") (imported under those names)`, hint };
  }
  if (call.arguments[0] !== argument) {
    return { why: `${callee}(…) must take the function as its first argument, since the call moves too and runs once at module level`, hint };
  }
  return undefined;
}

/** The local names of a module's value imports. */
export function importedNames(program: Program): Set<string> {
  const names = new Set<string>();
  for (const statement of program.body) {
    if (statement.type !== "ImportDeclaration" || statement.importKind === "type") continue;
    for (const specifier of statement.specifiers) if (specifier.type !== "ImportSpecifier" || specifier.importKind !== "type") names.add(specifier.local.name);
  }
  return names;
}
