import type { CallExpression, Expression, ModuleExportName, Node, Program } from "oxc-parser";
import { sortieImports } from "./options.ts";
import type { BuildError } from "../errors.ts";
import type { FunctionLike } from "./scope.ts";

/** One export of a `"use server"` file. */
export interface ServerExport {
  /** The exported name as written (`default`, `save`, `"odd name"`). */
  readonly exported: string;
  readonly fn: FunctionLike;
  /** The function's module-level binding: its declaration or `const` name. */
  readonly local: string | undefined;
  /** The module-level statement that declares the function. */
  readonly statement: Node;
  /** `export const save = action(async (…) => {…}, options)`: the call holding it (with `query`, its key too). */
  readonly call: CallExpression | undefined;
}

type Fail = (offset: number, problem: string, hint: string) => BuildError;

/** What a module-level name is bound to, as far as exporting it from a `"use server"` file goes. */
type Declared =
  | { kind: "function"; fn: FunctionLike; statement: Node; call?: CallExpression }
  | { kind: "type" }
  | { kind: "import" }
  | { kind: "other"; why: string; at: number };

const EXPORT_HINT = `a "use server" file may export only async functions (and types), also as action(fn, options) or query(fn, "key", options); move other values to another module`;

/**
 * Every export of a file with a module-level `"use server"`: each must be an async function
 * declared in this file (`export async function`, `export const f = async () => …`,
 * `export default async function`, `export { f as g }`), or such a function held by
 * `export const f = action(fn, options)` / `query(fn, "key", options)` (to declare options);
 * anything else is a build error.
 */
export function serverExports(program: Program, source: string, fail: Fail): ServerExport[] {
  const declared = moduleDeclarations(program, sortieImports(program));
  const found: ServerExport[] = [];
  const text = (node: ModuleExportName) => source.slice(node.start, node.end);

  const exportLocal = (exported: string, localName: string, at: number) => {
    const target = declared.get(localName);
    if (target?.kind === "type") return;
    if (target?.kind === "function") {
      found.push({ exported, fn: target.fn, local: localName, statement: target.statement, call: target.call });
      return;
    }
    if (target?.kind === "import") {
      throw fail(at, `"${localName}" is re-exported from a "use server" file but is imported from another module`, `export it from the module that defines it, or define the server function here`);
    }
    throw fail(target?.at ?? at, `"${exported}" is exported from a "use server" file but ${target?.why ?? "is not declared in it"}`, EXPORT_HINT);
  };

  for (const statement of program.body) {
    switch (statement.type) {
      case "ExportNamedDeclaration": {
        if (statement.exportKind === "type") break;
        if (statement.source) {
          if (statement.specifiers.every((specifier) => specifier.exportKind === "type")) break;
          throw fail(statement.start, `a "use server" file cannot re-export from another module`, `import the server functions from "${statement.source.value}" where you need them, or declare them here`);
        }
        const declaration = statement.declaration;
        if (!declaration) {
          for (const specifier of statement.specifiers) {
            if (specifier.exportKind === "type") continue;
            exportLocal(text(specifier.exported), text(specifier.local), specifier.start);
          }
          break;
        }
        if (declaration.type === "FunctionDeclaration" && declaration.id) {
          if (declaration.body) found.push({ exported: declaration.id.name, fn: declaration, local: declaration.id.name, statement, call: undefined });
          break;
        }
        if (declaration.type === "VariableDeclaration") {
          if (declaration.declare) break;
          for (const declarator of declaration.declarations) {
            if (declarator.id.type !== "Identifier") {
              throw fail(declarator.start, `a destructuring export in a "use server" file is not a function`, EXPORT_HINT);
            }
            const name = declarator.id.name;
            const target = declared.get(name);
            if (target?.kind !== "function") throw fail(declarator.start, `"${name}" is exported from a "use server" file but ${target?.kind === "other" ? target.why : "is not a function"}`, EXPORT_HINT);
            found.push({ exported: name, fn: target.fn, local: name, statement, call: target.call });
          }
          break;
        }
        if (declaration.type === "ClassDeclaration" || ((declaration.type === "TSEnumDeclaration" || declaration.type === "TSModuleDeclaration") && !declaration.declare)) {
          throw fail(declaration.start, `a "use server" file cannot export a ${declaration.type === "ClassDeclaration" ? "class" : "TypeScript enum or namespace"}`, EXPORT_HINT);
        }
        break; // types, interfaces, `declare` forms: nothing at run time
      }
      case "ExportDefaultDeclaration": {
        const declaration = statement.declaration;
        if (declaration.type === "Identifier") {
          exportLocal("default", declaration.name, declaration.start);
          break;
        }
        if (declaration.type === "TSInterfaceDeclaration") break;
        const fn = functionOf(declaration);
        if (!fn) throw fail(declaration.start, `the default export of a "use server" file is not a function`, EXPORT_HINT);
        found.push({ exported: "default", fn, local: fn.type === "FunctionDeclaration" ? fn.id?.name : undefined, statement, call: undefined });
        break;
      }
      case "ExportAllDeclaration":
        if (statement.exportKind === "type") break;
        throw fail(statement.start, `a "use server" file cannot use export * (its exports must be async functions declared in the file)`, `export the server functions one by one, declared in this file`);
      case "TSExportAssignment":
        throw fail(statement.start, `a "use server" file cannot use export =`, `use export async function … or export default async function …`);
    }
  }
  return found;
}

/** Module-level names and what they are bound to. */
function moduleDeclarations(program: Program, sortie: ReadonlyMap<string, string>): Map<string, Declared> {
  const declared = new Map<string, Declared>();
  for (const entry of program.body) {
    const statement = entry.type === "ExportNamedDeclaration" || entry.type === "ExportDefaultDeclaration" ? entry.declaration : entry;
    if (!statement) continue;
    switch (statement.type) {
      case "FunctionDeclaration":
        if (statement.id && statement.body) declared.set(statement.id.name, { kind: "function", fn: statement, statement: entry });
        break;
      case "VariableDeclaration":
        for (const declarator of statement.declarations) {
          if (declarator.id.type !== "Identifier") continue;
          const call = declarator.init ? wrapperCall(declarator.init, sortie) : undefined;
          const fn = call ? functionOf(call.arguments[0]!) : declarator.init ? functionOf(declarator.init) : undefined;
          const why =
            statement.kind !== "const" ? `is declared with ${statement.kind}, so it could be reassigned (declare it with const)` : "is not a function";
          declared.set(
            declarator.id.name,
            fn && statement.kind === "const" ? { kind: "function", fn, statement: entry, call } : { kind: "other", why, at: declarator.start },
          );
        }
        break;
      case "ClassDeclaration":
        if (statement.id) declared.set(statement.id.name, { kind: "other", why: "is a class", at: statement.start });
        break;
      case "ImportDeclaration":
        for (const specifier of statement.specifiers) {
          const typeOnly = statement.importKind === "type" || (specifier.type === "ImportSpecifier" && specifier.importKind === "type");
          declared.set(specifier.local.name, typeOnly ? { kind: "type" } : { kind: "import" });
        }
        break;
      case "TSInterfaceDeclaration":
      case "TSTypeAliasDeclaration":
        declared.set(statement.id.name, { kind: "type" });
        break;
      case "TSEnumDeclaration":
        declared.set(statement.id.name, { kind: "other", why: "is an enum", at: statement.start });
        break;
    }
  }
  return declared;
}

/** `action(fn, …)` or `query(fn, …)` (imported from "sortie") taking a function first. */
function wrapperCall(node: Node, sortie: ReadonlyMap<string, string>): CallExpression | undefined {
  if (node.type !== "CallExpression" || node.callee.type !== "Identifier") return undefined;
  const callee = sortie.get(node.callee.name);
  if (callee !== "action" && callee !== "query") return undefined;
  const first = node.arguments[0];
  return first && first.type !== "SpreadElement" && functionOf(first) ? node : undefined;
}

/** The function an export or initializer holds directly (through parentheses and type assertions). */
function functionOf(node: Node | Expression): FunctionLike | undefined {
  switch (node.type) {
    case "FunctionDeclaration":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
      return node;
    case "ParenthesizedExpression":
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
    case "TSTypeAssertion":
      return functionOf(node.expression);
    default:
      return undefined;
  }
}
