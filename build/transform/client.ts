import MagicString from "magic-string";
import type { ImportDeclaration, ImportDeclarationSpecifier, Program } from "oxc-parser";
import { sortieImports } from "./options.ts";
import type { ModuleAnalysis } from "./analysis.ts";
import { deadDeclarations, type Item } from "./liveness.ts";
import { nameSource, renameUses, replaceKeepingLines, runtimeImport } from "./rewrite.ts";
import { spanAt, type Span } from "./spans.ts";

/**
 * The browser side of a module. Each server function becomes `createServerReference(id)`;
 * its body and its options (options.ts), and every import and module-level declaration only
 * those used, are gone.
 * A file-level `"use server"` module becomes its stubs alone. Lines keep their numbers.
 */
export function clientModule(analysis: ModuleAnalysis): string {
  return analysis.fileLevel ? stubsOnly(analysis) : withStubs(analysis);
}

function stubsOnly(analysis: ModuleAnalysis): string {
  const freshName = nameSource(new Set(analysis.serverFunctions.flatMap((fn) => (fn.declared ? [fn.declared.name] : []))));
  const create = freshName("createServerReference");
  const locals = new Map<unknown, string>();
  const lines = [runtimeImport("createServerReference", create)];
  let query: string | undefined;
  const sortie = sortieImports(analysis.program);
  for (const fn of analysis.serverFunctions) {
    const entry = analysis.exports.find((candidate) => candidate.fn === fn.node);
    if (!entry) continue;
    // Only an anonymous default export has no name of its own ("default" is reserved).
    const local = fn.declared?.name ?? freshName(fn.name === "default" ? "defaultExport" : fn.name);
    locals.set(fn.node, local);
    let stub = `${create}(${JSON.stringify(fn.id)})`;
    // A query reads with GET: the stub is marked with the same key (checked to be a literal by analysis.ts).
    if (entry.call?.callee.type === "Identifier" && sortie.get(entry.call.callee.name) === "query") {
      query ??= freshName("query");
      stub = `${query}(${stub}, ${analysis.source.slice(entry.call!.arguments[1]!.start, entry.call!.arguments[1]!.end)})`;
    }
    lines.push(`const ${local} = ${stub};`);
  }
  if (query) lines.unshift(`import { query as ${query} } from "sortie";`);
  const specifiers = analysis.exports.map(({ fn, exported }) => (locals.get(fn) === exported ? exported : `${locals.get(fn)} as ${exported}`));
  lines.push(`export { ${specifiers.join(", ")} };`);
  return `${lines.join("\n")}\n`;
}

function withStubs(analysis: ModuleAnalysis): string {
  const { source, scopes, program } = analysis;
  const text = new MagicString(source);
  const freshName = nameSource(scopes.names);
  const create = freshName("createServerReference");
  // Each server function's options, unless they ask for a check in the browser, go with its body.
  const dropped = analysis.serverFunctions.flatMap((fn) => (fn.options && !fn.options.precheck ? [fn.options.span] : []));
  const bodies: Span[] = [...analysis.serverFunctions.map((fn) => fn.node), ...dropped].sort((a, b) => a.start - b.start);
  const dead = deadDeclarations(program, scopes, bodies);
  const deadSpans = [...dead].sort((a, b) => a.start - b.start);
  const gone = [...bodies, ...deadSpans].sort((a, b) => a.start - b.start);
  const stubs: string[] = [];
  let usesCreate = false;

  for (const fn of analysis.serverFunctions) {
    const { node, statement } = fn;
    if (spanAt(deadSpans, node.start)) continue;
    const stub = `${create}(${JSON.stringify(fn.id)})`;
    usesCreate = true;
    if (fn.declared && !fn.hoisted) {
      // The stub is declared at the top: available from the start, like the declaration was.
      const name = fn.declared.name;
      const exported = statement.type === "ExportNamedDeclaration";
      stubs.push(`${exported ? "export " : ""}const ${name} = ${stub};`);
      const replacement = statement.type === "ExportDefaultDeclaration" ? `export default ${name};` : "";
      replaceKeepingLines(text, source, statement.start, statement.end, replacement);
    } else if (fn.declared) {
      const name = freshName(fn.name.replaceAll(".", "$"));
      stubs.push(`const ${name} = ${stub};`);
      replaceKeepingLines(text, source, node.start, node.end, "");
      renameUses(text, scopes, fn.declared, name, gone);
    } else if (!fn.hoisted) {
      // `export default async function () {}` is a statement: the stub that replaces it needs a `;`.
      replaceKeepingLines(text, source, node.start, node.end, node.type === "FunctionDeclaration" ? `${stub};` : stub);
    } else {
      const name = freshName(fn.name.replaceAll(".", "$"));
      stubs.push(`const ${name} = ${stub};`);
      replaceKeepingLines(text, source, node.start, node.end, name);
    }
  }

  for (const span of dropped) if (!spanAt(deadSpans, span.start)) replaceKeepingLines(text, source, span.start, span.end, "");
  dropDeclarations(text, source, dead);
  dropCommentsAndTypes(text, analysis, [...gone, ...deadSpans]);
  if (usesCreate) {
    text.appendLeft(analysis.top.at, `${analysis.top.separator}${runtimeImport("createServerReference", create)}${stubs.join("")}`);
  }
  return text.toString();
}

/**
 * What the browser's JavaScript will not hold either: comments and type-only declarations
 * (interfaces, type aliases, `declare`, `import type`, `export type`). The client source map
 * embeds this module's text, and in a module with server functions those often describe the
 * server side. Annotations the bundler reads (`#__PURE__` and the like) stay; lines keep
 * their numbers. `removed`: spans already gone (server bodies, dead declarations).
 */
function dropCommentsAndTypes(text: MagicString, analysis: ModuleAnalysis, removed: readonly Span[]): void {
  const { source, program, comments } = analysis;
  const inside = (spans: readonly Span[], at: number) => spans.some((span) => span.start <= at && at < span.end);
  const types: Span[] = program.body.filter((statement) => isTypeOnly(statement) && !inside(removed, statement.start));
  for (const statement of types) replaceKeepingLines(text, source, statement.start, statement.end, "");
  for (const comment of comments) {
    if (/^[#@]__[A-Z_]+__$/.test(comment.value.trim()) || inside(removed, comment.start) || inside(types, comment.start)) continue;
    replaceKeepingLines(text, source, comment.start, comment.end, "");
  }
}

function isTypeOnly(statement: Program["body"][number]): boolean {
  switch (statement.type) {
    case "TSInterfaceDeclaration":
    case "TSTypeAliasDeclaration":
    case "TSDeclareFunction":
      return true;
    case "TSModuleDeclaration":
    case "TSEnumDeclaration":
      return statement.declare;
    case "VariableDeclaration":
    case "ClassDeclaration":
      return statement.declare === true;
    case "ImportDeclaration":
      return statement.importKind === "type";
    case "ExportNamedDeclaration":
      return statement.exportKind === "type" || (statement.declaration !== null && isTypeOnly(statement.declaration));
    default:
      return false;
  }
}

/** Removes dead imports and declarations; a statement with live parts keeps them. */
function dropDeclarations(text: MagicString, source: string, dead: ReadonlySet<Item>): void {
  const deadNodes = new Set<object>([...dead].map((item) => (item.kind === "import" ? item.specifier : item.kind === "declarator" ? item.declarator : item.statement)));
  const done = new Set<object>();
  for (const item of dead) {
    if (item.kind === "statement") {
      replaceKeepingLines(text, source, item.start, item.end, "");
      continue;
    }
    const statement = item.declaration;
    if (done.has(statement)) continue;
    done.add(statement);
    if (statement.type === "ImportDeclaration") {
      const live = statement.specifiers.filter(
        (specifier) => !deadNodes.has(specifier) && !(specifier.type === "ImportSpecifier" && specifier.importKind === "type"),
      );
      const replacement = live.length === 0 ? "" : importStatement(source, statement, live);
      replaceKeepingLines(text, source, statement.start, statement.end, replacement);
      continue;
    }
    const declarators = statement.declarations;
    const isDead = declarators.map((declarator) => deadNodes.has(declarator));
    if (isDead.every(Boolean)) {
      replaceKeepingLines(text, source, statement.start, statement.end, "");
      continue;
    }
    // Cut each run of dead declarators with the comma that joins it to a live neighbour.
    for (let first = 0; first < declarators.length; first++) {
      if (!isDead[first]) continue;
      let last = first;
      while (isDead[last + 1]) last++;
      const next = declarators[last + 1];
      const start = next ? declarators[first]!.start : declarators[first - 1]!.end;
      const end = next ? next.start : declarators[last]!.end;
      replaceKeepingLines(text, source, start, end, "");
      first = last;
    }
  }
}

/** The import statement with only `specifiers` left. */
function importStatement(source: string, statement: ImportDeclaration, specifiers: readonly ImportDeclarationSpecifier[]): string {
  const slice = (specifier: ImportDeclarationSpecifier) => source.slice(specifier.start, specifier.end);
  const named = specifiers.filter((specifier) => specifier.type === "ImportSpecifier").map(slice);
  const clauses = specifiers.filter((specifier) => specifier.type !== "ImportSpecifier").map(slice);
  if (named.length > 0) clauses.push(`{ ${named.join(", ")} }`);
  return `import ${clauses.join(", ")} from ${source.slice(statement.source.start, statement.end)}`;
}
