import { protectionOf, type Protection } from "./protection.ts";
import { parseSync, rawTransferSupported, type CallExpression, type Comment, type Node, type ParserOptions, type Program } from "oxc-parser";
import { BuildError, errorAt, formatLocation, locate, type SourceLocation } from "../errors.ts";
import { serverFunctionId } from "../ids.ts";
import { findCaptures, type StuckHolder } from "./captures.ts";
import { hasUseServer, topOfModule } from "./directives.ts";
import { directiveSites, shapeProblem } from "./discover.ts";
import { serverExports, type ServerExport } from "./file-level.ts";
import { holderOf, importedNames } from "./holders.ts";
import { moduleDeclarationStarts, movedArgumentProblem, optionArguments, sortieImports, type OptionArguments } from "./options.ts";
import { enclosingNames, functionName } from "./names.ts";
import { analyzeScopes, type Binding, type FunctionLike, type ScopeAnalysis } from "./scope.ts";

// Raw transfer hands the AST to JS through shared memory: the same AST, about three times
// faster than the default deserialization (measured in bench/build). Not in oxc's typings yet.
const PARSE_OPTIONS = { sourceType: "module", preserveParens: false, experimentalRawTransfer: rawTransferSupported() } as ParserOptions;

export interface ServerFunction {
  readonly node: FunctionLike;
  /** `save`, `default`, `ProductPage.save`, `ProductPage.$1`. */
  readonly name: string;
  readonly id: string;
  readonly at: SourceLocation;
  /** A named function declaration's binding: it keeps declaration semantics (hoisting). */
  readonly declared: Binding | undefined;
  /** Declared inside a function or block: moved to module scope. */
  readonly hoisted: boolean;
  /**
   * A hoisted function's `const` holder that moves with it (`const save = action(fn)`): its
   * binding, and the initializer that moves (the function itself or the call around it).
   */
  readonly heldBy: { readonly binding: Binding; readonly init: Node } | undefined;
  /** The module-level statement that contains it (hoisted code lands right before it). */
  readonly statement: Node;
  /** Who may call it, as strict mode asks (protection.ts). */
  readonly protection: Protection;
  /** The options written in its `action(fn, …)` / `query(fn, key, …)` call (options.ts). */
  readonly options: OptionArguments | undefined;
  /**
   * A hoisted function's captures: variables of the functions around it that it uses, in order
   * (captures.ts). They become its first parameters; where it stood, its reference binds them.
   */
  readonly captured: readonly Binding[];
}

export interface ModuleAnalysis {
  /** Path relative to the project root, `/`-separated: the ids and messages use it. */
  readonly file: string;
  readonly source: string;
  readonly program: Program;
  /** Every comment, in source order (the client side drops them). */
  readonly comments: readonly Comment[];
  readonly scopes: ScopeAnalysis;
  /** The module starts with `"use server"`: all its exports are server functions. */
  readonly fileLevel: boolean;
  /** In source order. */
  readonly serverFunctions: readonly ServerFunction[];
  /** A file-level module's exports. */
  readonly exports: readonly ServerExport[];
  /** Where code inserted at the top goes, and the separator it needs. */
  readonly top: { readonly at: number; readonly separator: string };
}

/**
 * Parses a module once and finds its server functions, with their ids; every misuse of the
 * directive is a `BuildError` here. Undefined when the module has none.
 * `path` is the file on disk (its extension picks JS, JSX, TS or TSX).
 */
export function analyzeModule(source: string, path: string, file: string): ModuleAnalysis | undefined {
  const fail = (offset: number, problem: string, hint?: string) => errorAt(file, source, offset, problem, hint);
  const { program, errors, comments } = parseSync(path, source, PARSE_OPTIONS);
  const syntaxError = errors[0];
  if (syntaxError) {
    // The parser is the authority on directives: never let a file it cannot read through untransformed.
    throw fail(syntaxError.labels[0]?.start ?? 0, syntaxError.message, syntaxError.helpMessage ?? "fix the syntax error: modules that mention \"use server\" are parsed to find server functions");
  }
  const { sites, onFunction } = directiveSites();
  const scopes = analyzeScopes(program, onFunction);
  const fileLevel = hasUseServer(program.body);
  if (!fileLevel && sites.length === 0) return undefined;

  const exports = fileLevel ? serverExports(program, source, fail) : [];
  const exported = new Map(exports.map((entry) => [entry.fn, entry]));
  const sitesByFunction = new Map(sites.map((site) => [site.fn, site]));
  const candidates = [...new Set([...exports.map((entry) => entry.fn), ...sites.map((site) => site.fn)])].sort((a, b) => a.start - b.start);

  let anonymous = 0;
  const named = candidates.map((fn) => {
    const site = sitesByFunction.get(fn);
    const entry = exported.get(fn);
    const own = entry ? (entry.local ?? "default") : functionName(site!.path);
    const chain = site && site.scope !== scopes.module ? enclosingNames(site.path) : [];
    const name = [...chain, own ?? `$${++anonymous}`].join(".");
    const problem = shapeProblem(fn, name, site?.path[site.path.length - 2]);
    if (problem) throw fail(problem.at, problem.problem, problem.hint);
    return { fn, name, site, entry };
  });

  checkNotNested(named, fail);
  // Bindings that move to module scope with their hoisted function, and holders that cannot.
  const movesWith = new Set<Binding>();
  const stuck = new Map<Binding, StuckHolder>();
  const imports = importedNames(program);
  const sortie = sortieImports(program);
  const serverFunctions = named.map(({ fn, name, site, entry }): ServerFunction => {
    const hoisted = site !== undefined && site.scope !== scopes.module;
    const declared = fn.type === "FunctionDeclaration" && fn.id ? (site ?? { scope: scopes.module }).scope.bindings.get(fn.id.name) : undefined;
    const holder = hoisted && !declared ? holderOf(site, scopes.module, imports) : undefined;
    if (hoisted && declared) movesWith.add(declared);
    if (holder?.moves) movesWith.add(holder.binding);
    else if (holder) stuck.set(holder.binding, { held: name, why: holder.why, hint: holder.hint });
    return {
      node: fn,
      name,
      id: serverFunctionId(file, name),
      at: locate(file, source, fn.start),
      declared,
      hoisted,
      heldBy: holder?.moves ? { binding: holder.binding, init: holder.init } : undefined,
      statement: entry?.statement ?? (site!.path[1] ?? fn),
      protection: protectionOf(fn, site ? site.path.at(-2) : entry?.call, program, fileLevel),
      options: optionArguments(fn, site ? site.path.at(-2) : entry?.call, sortie),
      captured: [],
    };
  });

  // Captures, then the closures among them: a function that uses a closure is refused (its
  // reference would have to be captured in turn).
  const closures = new Map<Binding, string>();
  for (const [index, fn] of serverFunctions.entries()) {
    if (!fn.hoisted) continue;
    const found = findCaptures(fn.node, fn.name, scopes, movesWith, stuck);
    if ("problem" in found) throw fail(found.problem.at, found.problem.problem, found.problem.hint);
    // A query's cache key is built from its arguments, captured values included: they would show in the page's data.
    const parent = named[index]!.site?.path.at(-2);
    if (found.captured.length && parent?.type === "CallExpression" && parent.arguments[0] === fn.node && parent.callee.type === "Identifier" && sortie.get(parent.callee.name) === "query") {
      throw fail(
        fn.node.start,
        `the query ${fn.name} uses ${found.captured.map((binding) => `"${binding.name}"`).join(", ")} from the code around it: a query cannot be a closure, since its cache key (sent to the browser with the page's data) is built from its arguments`,
        `pass ${found.captured.map((binding) => binding.name).join(", ")} as arguments: ${fn.name.split(".").at(-1)}(${found.captured.map((binding) => binding.name).join(", ")})`,
      );
    }
    (fn as { captured: readonly Binding[] }).captured = found.captured;
    const own = fn.declared ?? fn.heldBy?.binding;
    if (found.captured.length && own) closures.set(own, fn.name);
  }
  for (const fn of serverFunctions) {
    if (!fn.hoisted || closures.size === 0) continue;
    const found = findCaptures(fn.node, fn.name, scopes, movesWith, stuck, closures);
    if ("problem" in found) throw fail(found.problem.at, found.problem.problem, found.problem.hint);
  }

  let declaredAt: Map<string, number> | undefined;
  for (const fn of serverFunctions) {
    if (!fn.hoisted) continue;
    // The call holding it moves too: its other arguments must make sense at module level.
    const moved = fn.heldBy?.init;
    if (moved?.type === "CallExpression") {
      declaredAt ??= moduleDeclarationStarts(program);
      const problem = movedArgumentProblem(moved.arguments.slice(1) as Node[], fn.statement, declaredAt, scopes, fn.name);
      if (problem) throw fail(problem.at, problem.problem, problem.hint);
    }
  }
  for (const fn of serverFunctions) checkFileLevelCall(fn, exported.get(fn.node)?.call, sortie, fail);
  claimIds(new Map(), serverFunctions);
  return { file, source, program, comments, scopes, fileLevel, serverFunctions, exports, top: topOfModule(program, source) };
}

/**
 * In a "use server" file the client module is the stubs alone (client.ts): a query's key is
 * copied into it, so it must be a literal, and a browser check (`precheck: true`) cannot keep
 * its schemas there.
 */
function checkFileLevelCall(fn: ServerFunction, call: CallExpression | undefined, sortie: ReadonlyMap<string, string>, fail: (offset: number, problem: string, hint: string) => BuildError): void {
  if (!call || call.callee.type !== "Identifier") return;
  const key = call.arguments[1];
  const isLiteralKey = key?.type === "Literal" ? typeof key.value === "string" : key?.type === "TemplateLiteral" && key.expressions.length === 0;
  if (sortie.get(call.callee.name) === "query" && !isLiteralKey) {
    throw fail(key?.start ?? call.start, `the query ${fn.name} in a "use server" file needs its key as a string literal`, `write query(fn, "${fn.name}") with the key in quotes: the browser's stub is marked with the same key`);
  }
  if (fn.options?.precheck) {
    throw fail(call.start, `the server function ${fn.name} asks for precheck: true in a "use server" file, whose client module holds only stubs`, `declare it with "use server" inside the function, in a module the browser may load, to check its input in the browser`);
  }
}

/** A server function inside another is pointless (the outer body never reaches the client) and unsupported. */
function checkNotNested(named: readonly { fn: FunctionLike; name: string }[], fail: (offset: number, problem: string, hint: string) => BuildError): void {
  let outer: { fn: FunctionLike; name: string } | undefined;
  for (const entry of named) {
    if (outer && entry.fn.start < outer.fn.end) {
      throw fail(entry.fn.start, `the server function ${entry.name} is declared inside the server function ${outer.name}`, `move it to module level; inside ${outer.name} a plain function does the same job`);
    }
    outer = entry;
  }
}

/**
 * Records each function's id in `seen` (id → where it was first met), throwing on the first
 * id that is already there from another place.
 */
export function claimIds(seen: Map<string, SourceLocation>, serverFunctions: readonly { id: string; at: SourceLocation }[]): void {
  for (const fn of serverFunctions) {
    const first = seen.get(fn.id);
    if (first) throw duplicateIdError(fn.id, first, fn.at);
    seen.set(fn.id, fn.at);
  }
}

/** Two server functions with one id: `at` is the later one, `first` the earlier. */
function duplicateIdError(id: string, first: SourceLocation, at: SourceLocation): BuildError {
  return new BuildError(
    `two server functions have the id "${id}": this one and the one at ${formatLocation(first)}`,
    at,
    "rename one of them (ids come from the file path and the function's name)",
  );
}
