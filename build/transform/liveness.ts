import type {
  BindingPattern,
  Class,
  Function as FunctionNode,
  ImportDeclaration,
  ImportDeclarationSpecifier,
  Program,
  VariableDeclaration,
  VariableDeclarator,
} from "oxc-parser";
import type { ScopeAnalysis } from "./scope.ts";
import { spanAt, type Span } from "./spans.ts";

/** A module-level declaration the client transform may drop: one import, declaration or declarator. */
export type Item =
  | { kind: "import"; start: number; end: number; declaration: ImportDeclaration; specifier: ImportDeclarationSpecifier }
  | { kind: "statement"; start: number; end: number; statement: FunctionNode | Class }
  | { kind: "declarator"; start: number; end: number; declaration: VariableDeclaration; declarator: VariableDeclarator };

/**
 * The module-level declarations that only removed code (server-function bodies) uses, directly
 * or through other such declarations: once the bodies are gone, nothing else needs them, and
 * keeping them would pull server-only modules (database clients, secrets) into the browser.
 * A declaration that code outside the removed ranges still uses, or that removed code never
 * used, stays. Exports always stay. `removed` is sorted and does not overlap.
 */
export function deadDeclarations(program: Program, scopes: ScopeAnalysis, removed: readonly Span[]): Set<Item> {
  const items = declarationItems(program);
  const byName = new Map<string, Item>();
  for (const item of items) for (const name of itemNames(item)) byName.set(name, item);

  const uses = new Map<Item, Set<Item>>();
  const usedByRemoved = new Set<Item>();
  const usedByRoot = new Set<Item>();
  for (const reference of scopes.references) {
    if (reference.binding?.scope !== scopes.module) continue;
    const target = byName.get(reference.name);
    if (!target) continue;
    if (spanAt(removed, reference.start)) {
      usedByRemoved.add(target);
      continue;
    }
    const owner = spanAt(items, reference.start);
    if (owner === target) continue;
    if (!owner) usedByRoot.add(target);
    else if (uses.has(owner)) uses.get(owner)!.add(target);
    else uses.set(owner, new Set([target]));
  }

  const candidates = reachable(usedByRemoved, uses);
  const live = reachable([...usedByRoot, ...items.filter((item) => !candidates.has(item))], uses);
  return new Set([...candidates].filter((item) => !live.has(item)));
}

function reachable(start: Iterable<Item>, uses: ReadonlyMap<Item, ReadonlySet<Item>>): Set<Item> {
  const seen = new Set<Item>();
  const pending = [...start];
  for (let item = pending.pop(); item; item = pending.pop()) {
    if (seen.has(item)) continue;
    seen.add(item);
    for (const next of uses.get(item) ?? []) pending.push(next);
  }
  return seen;
}

/** The module's own (not exported) value declarations, in source order. */
function declarationItems(program: Program): Item[] {
  const items: Item[] = [];
  for (const statement of program.body) {
    switch (statement.type) {
      case "ImportDeclaration":
        if (statement.importKind === "type" || statement.phase) break;
        for (const specifier of statement.specifiers) {
          if (specifier.type === "ImportSpecifier" && specifier.importKind === "type") continue;
          items.push({ kind: "import", start: specifier.start, end: specifier.end, declaration: statement, specifier });
        }
        break;
      case "FunctionDeclaration":
      case "ClassDeclaration":
        if (statement.id && !statement.declare) items.push({ kind: "statement", start: statement.start, end: statement.end, statement });
        break;
      case "VariableDeclaration":
        if (statement.declare) break;
        for (const declarator of statement.declarations) {
          items.push({ kind: "declarator", start: declarator.start, end: declarator.end, declaration: statement, declarator });
        }
        break;
    }
  }
  return items;
}

function itemNames(item: Item): string[] {
  switch (item.kind) {
    case "import":
      return [item.specifier.local.name];
    case "statement":
      return item.statement.id ? [item.statement.id.name] : [];
    case "declarator":
      return patternNames(item.declarator.id);
  }
}

/** The names a binding pattern declares (`const { a, b: [c] } = …` declares a and c). */
export function patternNames(pattern: BindingPattern | { type: "RestElement"; argument: BindingPattern }): string[] {
  switch (pattern.type) {
    case "Identifier":
      return [pattern.name];
    case "ObjectPattern":
      return pattern.properties.flatMap((property) => patternNames(property.type === "RestElement" ? property : property.value));
    case "ArrayPattern":
      return pattern.elements.flatMap((element) => (element ? patternNames(element) : []));
    case "AssignmentPattern":
      return patternNames(pattern.left);
    case "RestElement":
      return patternNames(pattern.argument);
  }
}
