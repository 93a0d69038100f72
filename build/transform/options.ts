import type { Node, Program } from "oxc-parser";
import { patternNames } from "./liveness.ts";
import type { Capture } from "./captures.ts";
import type { ScopeAnalysis } from "./scope.ts";
import { firstAtOrAfter, type Span } from "./spans.ts";

/**
 * The options of a server function written in its `action(fn, …)` / `query(fn, key, …)` call
 * (action and query imported from "sortie"): the arguments the client bundle drops. The
 * browser never runs middleware, and input schemas would pull their library in; they stay
 * only when the options are an object literal saying `precheck: true`.
 */
export interface OptionArguments {
  /** The arguments after the function (and a query's key), in order. */
  readonly nodes: readonly Node[];
  /** What the client drops: from the end of the argument before them to the end of the last. */
  readonly span: Span;
  /** `precheck: true` is written in them: the client keeps them. */
  readonly precheck: boolean;
}

export function optionArguments(fn: Node, parent: Node | undefined, sortie: ReadonlyMap<string, string>): OptionArguments | undefined {
  if (parent?.type !== "CallExpression" || parent.arguments[0] !== fn || parent.callee.type !== "Identifier") return undefined;
  const imported = sortie.get(parent.callee.name);
  // action's name is unused (common/action.ts): it goes with the options. A query keeps its key.
  const first = imported === "action" ? 1 : imported === "query" ? 2 : undefined;
  if (first === undefined || parent.arguments.length <= first) return undefined;
  const nodes = parent.arguments.slice(first) as Node[];
  return { nodes, span: { start: parent.arguments[first - 1]!.end, end: nodes.at(-1)!.end }, precheck: nodes.some(saysPrecheck) };
}

function saysPrecheck(node: Node): boolean {
  if (node.type !== "ObjectExpression") return false;
  return node.properties.some(
    (property) => property.type === "Property" && propertyName(property.key) === "precheck" && property.value.type === "Literal" && property.value.value === true,
  );
}

export function propertyName(key: Node): string | undefined {
  if (key.type === "Identifier") return key.name;
  if (key.type === "Literal" && typeof key.value === "string") return key.value;
  return undefined;
}

/** Local name → imported name, for the imports from "sortie". */
export function sortieImports(program: Program): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of program.body) {
    if (statement.type !== "ImportDeclaration" || statement.source.value !== "sortie" || statement.importKind === "type") continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type === "ImportSpecifier") names.set(specifier.local.name, specifier.imported.type === "Identifier" ? specifier.imported.name : String(specifier.imported.value));
    }
  }
  return names;
}

/**
 * The first thing the arguments of a call that moves to module level (with a nested server
 * function, holders.ts) need but will not find there, right before `statement`: a variable of
 * an enclosing function, a module-level `const`, `let` or class declared at or after
 * `statement` (still uninitialized then), or an enclosing function's `this` / `arguments`.
 * Imports, function declarations and everything declared before `statement` are fine.
 * `declaredAt`: moduleDeclarationStarts of the module.
 */
export function movedArgumentProblem(
  nodes: readonly Node[],
  statement: Node,
  declaredAt: ReadonlyMap<string, number>,
  scopes: ScopeAnalysis,
  name: string,
): Capture | undefined {
  const { references, contextUses, module } = scopes;
  for (const node of nodes) {
    for (let index = firstAtOrAfter(references, node.start); index < references.length; index++) {
      const reference = references[index]!;
      if (reference.start >= node.end) break;
      const binding = reference.binding;
      if (!binding) continue;
      const home = binding.scope.node;
      if (binding.scope !== module && home.start >= node.start && home.end <= node.end) continue;
      if (binding.scope !== module) {
        return {
          at: reference.start,
          problem: `the call holding the server function ${name} uses "${binding.name}" from an enclosing scope in its other arguments; the call moves to module scope with the function, where "${binding.name}" does not exist`,
          hint: `declare ${binding.name} at module level (schemas and middleware usually are), above the code that holds ${name}; a value per call is an argument (bind it with .with(…))`,
        };
      }
      const start = declaredAt.get(binding.name);
      if (start !== undefined && start >= statement.start) {
        return {
          at: reference.start,
          problem: `the call holding the server function ${name} uses "${binding.name}", declared further down the module; the call moves up, right before the code that holds ${name}, where "${binding.name}" is not initialized yet`,
          hint: `move the declaration of ${binding.name} above that code`,
        };
      }
    }
    for (const use of contextUses) {
      if (use.start < node.start || use.start >= node.end || !use.owner || use.owner.start >= node.start) continue;
      return { at: use.start, problem: `the call holding the server function ${name} uses the enclosing function's ${use.what}; the call moves to module scope with the function`, hint: `give the call module-level values only` };
    }
  }
  return undefined;
}

/** Where each module-level binding that is not hoisted (const, let, var, class) is declared. */
export function moduleDeclarationStarts(program: Program): Map<string, number> {
  const starts = new Map<string, number>();
  for (const item of program.body) {
    const statement = (item.type === "ExportNamedDeclaration" || item.type === "ExportDefaultDeclaration") && item.declaration ? item.declaration : item;
    if (statement.type === "ClassDeclaration" && statement.id) starts.set(statement.id.name, item.start);
    if (statement.type !== "VariableDeclaration") continue;
    for (const declarator of statement.declarations) for (const name of patternNames(declarator.id)) starts.set(name, item.start);
  }
  return starts;
}
