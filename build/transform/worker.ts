import { basename } from "node:path";
import MagicString from "magic-string";
import type { ModuleAnalysis } from "./analysis.ts";
import type { FunctionLike } from "./scope.ts";
import { nameSource, renameUses, runtimeImport } from "./rewrite.ts";

/**
 * The Worker side of a module: all code stays; each server function is registered under its
 * id with `registerServerFunction(id, fn)`, which returns the same callable, so server code
 * keeps calling it directly. Declarations stay declarations (hoisted as before) and are
 * registered at the top of the module; expressions are wrapped where they stand. Nested
 * server functions move to module scope, right before the statement that held them.
 * Returns TypeScript/JSX like the input; when functions moved, with an inline source map.
 */
export function workerModule(analysis: ModuleAnalysis, path: string): string {
  const { source, scopes } = analysis;
  const text = new MagicString(source);
  const freshName = nameSource(scopes.names);
  const register = freshName("registerServerFunction");
  const closureOf = freshName("closureOf");
  const registrations: string[] = [];
  let usesClosures = false;

  for (const fn of analysis.serverFunctions) {
    const { node, captured } = fn;
    // A closure (captures.ts): registered with how many values it captured, which become its first parameters.
    const call = `${register}(${JSON.stringify(fn.id)}, `;
    const close = captured.length ? `, ${captured.length})` : ")";
    if (captured.length) addLeadingParameters(text, analysis.source, node, captured.map((binding) => binding.name));
    // Where a closure stood, its reference binds the captured values, read there and then.
    const bind = (hoisted: string) => {
      if (!captured.length) return hoisted;
      usesClosures = true;
      const where = `${fn.at.file}:${fn.at.line}:${fn.at.column} (${fn.name}, capturing ${captured.map((binding) => binding.name).join(", ")})`;
      return `${closureOf}(${hoisted}, [${captured.map((binding) => binding.name).join(", ")}], ${JSON.stringify(where)})`;
    };
    if (fn.declared && !fn.hoisted) {
      registrations.push(`${call}${fn.declared.name});`);
    } else if (fn.declared && node.id) {
      const hoisted = freshName(fn.name.replaceAll(".", "$"));
      text.overwrite(node.id.start, node.id.end, hoisted);
      renameUses(text, scopes, fn.declared, bind(hoisted));
      text.appendLeft(node.end, "\n");
      text.move(node.start, node.end, fn.statement.start);
      registrations.push(`${call}${hoisted}${close};`);
    } else if (!fn.hoisted) {
      text.prependRight(node.start, call);
      text.appendLeft(node.end, ")");
    } else {
      const hoisted = freshName(fn.name.replaceAll(".", "$"));
      // The function moves, or the `const` initializer holding it (`action(fn)`), which then
      // runs once at module level; the variable points there, from every place that uses it
      // (a closure's variable stays, holding the reference bound to the captured values).
      const moved = fn.heldBy?.init ?? node;
      // Inserts at the edges of the moved range travel with it; the one before it stays here.
      // At a shared edge, the later prependRight goes first and the later appendLeft last.
      text.prependRight(node.start, call);
      text.appendLeft(node.end, close);
      text.prependRight(moved.start, `const ${hoisted} = `);
      text.appendLeft(moved.end, ";\n");
      text.move(moved.start, moved.end, fn.statement.start);
      text.appendLeft(moved.start, bind(hoisted));
      if (fn.heldBy && !captured.length) renameUses(text, scopes, fn.heldBy.binding, hoisted);
    }
  }

  const { at, separator } = analysis.top;
  const imports = runtimeImport("registerServerFunction", register) + (usesClosures ? runtimeImport("closureOf", closureOf) : "");
  text.appendLeft(at, `${separator}${imports}${registrations.join("")}`);
  // Without moves, every line keeps its number: esbuild maps to this text, no map needed.
  if (!analysis.serverFunctions.some((fn) => fn.hoisted)) return text.toString();
  const map = text.generateMap({ source: basename(path), includeContent: true, hires: false });
  // Buffer's base64 is much faster than the map's own toUrl() (btoa over a URI-encoded string).
  return `${text.toString()}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(map.toString()).toString("base64")}\n`;
}

/**
 * Makes `names` the first parameters of `fn`: `async (form) =>` becomes `async (title, form) =>`.
 * An arrow's lone parameter gets its parentheses (`async form =>` → `async (title, form) =>`).
 */
function addLeadingParameters(text: MagicString, source: string, fn: FunctionLike, names: readonly string[]): void {
  const list = names.join(", ");
  // TypeScript's `this` parameter must stay first: the captured ones go after it.
  const typedThis = fn.params[0]?.type === "Identifier" && fn.params[0].name === "this" ? fn.params[0] : undefined;
  if (typedThis) {
    text.appendRight(typedThis.end, `, ${list}`);
    return;
  }
  const first = fn.params[0];
  if (!first) {
    const open = source.indexOf("(", fn.type === "ArrowFunctionExpression" ? fn.start : (fn.id?.end ?? fn.start));
    text.appendLeft(open + 1, list);
    return;
  }
  const parenthesized = source.slice(fn.start, first.start).includes("(");
  text.prependLeft(first.start, parenthesized ? `${list}, ` : `(${list}, `);
  if (!parenthesized) text.appendRight(first.end, ")");
}
