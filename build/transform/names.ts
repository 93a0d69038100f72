import type { Node, PropertyKey } from "oxc-parser";

/**
 * The name a function goes by in its source, from where it stands: its own name, the variable
 * or property it is assigned to (through calls like `action(fn)` / `query(fn, key)` and type
 * assertions), or `default` for a default export. Undefined for an anonymous function.
 * `path` holds the function's ancestors, Program first, and the function itself last.
 */
export function functionName(path: readonly Node[]): string | undefined {
  let child = path[path.length - 1]!;
  if ((child.type === "FunctionDeclaration" || child.type === "ClassDeclaration") && child.id) return child.id.name;
  for (let index = path.length - 2; index >= 0; index--) {
    const parent = path[index]!;
    switch (parent.type) {
      case "ParenthesizedExpression":
      case "TSAsExpression":
      case "TSSatisfiesExpression":
      case "TSNonNullExpression":
      case "TSTypeAssertion":
        child = parent;
        continue;
      case "CallExpression":
        if (parent.callee === child) return ownName(path[path.length - 1]!);
        child = parent;
        continue;
      case "VariableDeclarator":
        return parent.id.type === "Identifier" ? parent.id.name : ownName(path[path.length - 1]!);
      case "AssignmentExpression":
        if (parent.left.type === "Identifier") return parent.left.name;
        if (parent.left.type === "MemberExpression" && !parent.left.computed) return keyName(parent.left.property);
        return ownName(path[path.length - 1]!);
      case "Property":
      case "PropertyDefinition":
      case "MethodDefinition":
        return (!parent.computed && keyName(parent.key)) || ownName(path[path.length - 1]!);
      case "ExportDefaultDeclaration":
        return "default";
      default:
        return ownName(path[path.length - 1]!);
    }
  }
  return ownName(child);
}

/**
 * The names of the named functions and classes enclosing the last node of `path`, outermost
 * first: `ProductPage` for a function inside `function ProductPage() { … }`.
 */
export function enclosingNames(path: readonly Node[]): string[] {
  const names: string[] = [];
  for (let index = 1; index < path.length - 1; index++) {
    const node = path[index]!;
    if (!isFunctionOrClass(node)) continue;
    const name = functionName(path.slice(0, index + 1));
    if (name) names.push(name);
  }
  return names;
}

function isFunctionOrClass(node: Node): boolean {
  switch (node.type) {
    case "FunctionDeclaration":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
    case "ClassDeclaration":
    case "ClassExpression":
      return true;
    default:
      return false;
  }
}

function ownName(node: Node): string | undefined {
  return (node.type === "FunctionExpression" || node.type === "ClassExpression") && node.id ? node.id.name : undefined;
}

function keyName(key: PropertyKey): string | undefined {
  if (key.type === "Identifier") return key.name;
  if (key.type === "Literal" && typeof key.value === "string") return key.value;
  return undefined;
}
