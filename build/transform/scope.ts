import { visitorKeys } from "oxc-parser";
import type {
  ArrowFunctionExpression,
  Class,
  Function as FunctionNode,
  JSXElementName,
  JSXMemberExpressionObject,
  Node,
  Program,
} from "oxc-parser";

/**
 * Scope analysis over oxc's ESTree AST, just enough for the transform: which binding each
 * identifier refers to (value positions only: type annotations are skipped, so type-only
 * references never count), and where `this`, `arguments`, `super` and `new.target` are used.
 */

export type FunctionLike = FunctionNode | ArrowFunctionExpression;

export interface Scope {
  readonly parent: Scope | undefined;
  /** The node that opens the scope: Program, a function, a block, a loop, a class, … */
  readonly node: Node;
  /** Where `var` lands: the module or a function (or a class static block). */
  readonly hoistsVar: boolean;
  readonly bindings: Map<string, Binding>;
}

export interface Binding {
  readonly name: string;
  readonly scope: Scope;
}

export interface Reference {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** The value of a shorthand property (`{ name }`): renaming it needs `name: newName`. */
  readonly shorthand: boolean;
  readonly scope: Scope;
  /** Filled in after the walk; undefined for globals. */
  binding: Binding | undefined;
}

/** A use of the enclosing function's `this`, `arguments`, `super` or `new.target`. */
export interface ContextUse {
  readonly what: string;
  readonly start: number;
  /** The function (or class member) that supplies it; undefined at module level. */
  readonly owner: Node | undefined;
}

export interface ScopeAnalysis {
  readonly module: Scope;
  /** In source order. */
  readonly references: readonly Reference[];
  readonly contextUses: readonly ContextUse[];
  /** Every identifier name in the file, to pick new names that cannot clash. */
  readonly names: ReadonlySet<string>;
}

/** Called for every function; `ancestors` is live (copy it to keep it), Program first. */
export type FunctionVisitor = (fn: FunctionLike, ancestors: readonly Node[], scope: Scope) => void;

// Fields that only ever hold types.
const typeFields = new Set(["typeAnnotation", "typeParameters", "typeArguments", "returnType", "superTypeArguments", "implements"]);
const valueKeysByType = new Map<string, readonly string[]>();

/** The child fields of a node type that can hold values. */
function valueKeys(type: string): readonly string[] {
  let keys = valueKeysByType.get(type);
  if (!keys) {
    keys = (visitorKeys[type] ?? []).filter((key) => !typeFields.has(key));
    valueKeysByType.set(type, keys);
  }
  return keys;
}

export function analyzeScopes(program: Program, onFunction: FunctionVisitor): ScopeAnalysis {
  const module = newScope(undefined, program, true);
  const references: Reference[] = [];
  const contextUses: ContextUse[] = [];
  const names = new Set<string>();
  const ancestors: Node[] = [];
  let scope = module;
  // The nearest non-arrow function or class member: what `this` means here.
  let contextOwner: Node | undefined;

  function declare(name: string, target: Scope): void {
    names.add(name);
    if (!target.bindings.has(name)) target.bindings.set(name, { name, scope: target });
  }

  function refer(name: string, start: number, end: number, shorthand = false): void {
    names.add(name);
    references.push({ name, start, end, shorthand, scope, binding: undefined });
    if (name === "arguments") contextUses.push({ what: "arguments", start, owner: contextOwner });
  }

  function varScope(): Scope {
    let target = scope;
    while (!target.hoistsVar) target = target.parent!;
    return target;
  }

  function inScope(node: Node, hoistsVar: boolean, body: () => void): void {
    const outer = scope;
    scope = newScope(outer, node, hoistsVar);
    body();
    scope = outer;
  }

  function withContext(owner: Node, body: () => void): void {
    const outer = contextOwner;
    contextOwner = owner;
    body();
    contextOwner = outer;
  }

  function visitAll(nodes: readonly (Node | null)[]): void {
    for (const node of nodes) if (node) visit(node);
  }

  function visit(node: Node): void {
    ancestors.push(node);
    visitNode(node);
    ancestors.pop();
  }

  function visitNode(node: Node): void {
    switch (node.type) {
      case "Identifier":
        refer(node.name, node.start, node.end);
        return;
      case "ThisExpression":
      case "Super":
        contextUses.push({ what: node.type === "Super" ? "super" : "this", start: node.start, owner: contextOwner });
        return;
      case "MetaProperty":
        if (node.meta.name === "new") contextUses.push({ what: "new.target", start: node.start, owner: contextOwner });
        return;
      case "FunctionDeclaration":
        if (!node.body) return; // an overload signature
        if (node.id) declare(node.id.name, scope);
        visitFunction(node);
        return;
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        visitFunction(node);
        return;
      case "ClassDeclaration":
      case "ClassExpression":
        visitClass(node);
        return;
      case "VariableDeclaration": {
        if (node.declare) return;
        const target = node.kind === "var" ? varScope() : scope;
        for (const declarator of node.declarations) {
          ancestors.push(declarator);
          visitPattern(declarator.id, target);
          if (declarator.init) visit(declarator.init);
          ancestors.pop();
        }
        return;
      }
      case "BlockStatement":
        inScope(node, false, () => visitAll(node.body));
        return;
      case "StaticBlock":
        withContext(node, () => inScope(node, true, () => visitAll(node.body)));
        return;
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
        inScope(node, false, () => {
          if (node.type === "ForStatement") {
            visitAll([node.init, node.test, node.update]);
          } else {
            if (node.left.type === "VariableDeclaration") visit(node.left);
            else visitTarget(node.left);
            visit(node.right);
          }
          visit(node.body);
        });
        return;
      case "SwitchStatement":
        visit(node.discriminant);
        inScope(node, false, () => {
          for (const switchCase of node.cases) {
            if (switchCase.test) visit(switchCase.test);
            visitAll(switchCase.consequent);
          }
        });
        return;
      case "CatchClause":
        inScope(node, false, () => {
          if (node.param) visitPattern(node.param, scope);
          visitAll(node.body.body);
        });
        return;
      case "AssignmentExpression":
        visitTarget(node.left);
        visit(node.right);
        return;
      case "MemberExpression":
        visit(node.object);
        if (node.computed) visit(node.property);
        return;
      case "Property":
        if (node.computed) visit(node.key);
        if (node.shorthand && node.value.type === "Identifier") refer(node.value.name, node.value.start, node.value.end, true);
        else visit(node.value);
        return;
      case "MethodDefinition":
      case "PropertyDefinition":
      case "AccessorProperty":
      case "TSAbstractMethodDefinition":
      case "TSAbstractPropertyDefinition":
      case "TSAbstractAccessorProperty":
        visitAll(node.decorators);
        if (node.computed) visit(node.key);
        if (node.value && node.value.type !== "TSEmptyBodyFunctionExpression") {
          const value = node.value;
          // A field initializer runs per instance: its `this` is the instance.
          if (node.type === "MethodDefinition" || node.type === "TSAbstractMethodDefinition") visit(value);
          else withContext(node, () => visit(value));
        }
        return;
      case "LabeledStatement":
        visit(node.body);
        return;
      case "BreakStatement":
      case "ContinueStatement":
        return;
      case "ImportDeclaration":
        if (node.importKind === "type") return;
        for (const specifier of node.specifiers) {
          if (specifier.type === "ImportSpecifier" && specifier.importKind === "type") continue;
          declare(specifier.local.name, module);
        }
        return;
      case "ExportNamedDeclaration":
        if (node.exportKind === "type") return;
        if (node.declaration) visit(node.declaration);
        if (node.source) return;
        for (const specifier of node.specifiers) {
          if (specifier.exportKind !== "type" && specifier.local.type === "Identifier") {
            refer(specifier.local.name, specifier.local.start, specifier.local.end);
          }
        }
        return;
      case "ExportAllDeclaration":
        return;
      case "JSXOpeningElement":
      case "JSXClosingElement":
        visitJsxName(node.name);
        if (node.type === "JSXOpeningElement") visitAll(node.attributes);
        return;
      case "JSXAttribute":
        if (node.value) visit(node.value);
        return;
      case "TSEnumDeclaration":
        if (node.declare) return;
        declare(node.id.name, scope);
        for (const member of node.body.members) if (member.initializer) visit(member.initializer);
        return;
      case "TSModuleDeclaration":
        if (!node.declare && node.id.type === "Identifier") declare(node.id.name, scope);
        return;
      case "TSImportEqualsDeclaration":
        if (node.importKind !== "type") declare(node.id.name, scope);
        return;
      case "TSAsExpression":
      case "TSSatisfiesExpression":
      case "TSNonNullExpression":
      case "TSTypeAssertion":
      case "TSInstantiationExpression":
      case "TSExportAssignment":
        visit(node.expression);
        return;
      default:
        if (node.type.startsWith("TS")) return; // types, interfaces, declarations: no values
        visitChildren(node);
    }
  }

  function visitChildren(node: Node): void {
    const fields = node as unknown as Record<string, Node | (Node | null)[] | null | undefined>;
    for (const key of valueKeys(node.type)) {
      const child = fields[key];
      if (Array.isArray(child)) visitAll(child);
      else if (child) visit(child);
    }
  }

  function visitFunction(fn: FunctionLike): void {
    onFunction(fn, ancestors, scope);
    const body = () =>
      inScope(fn, true, () => {
        if (fn.type === "FunctionExpression" && fn.id) declare(fn.id.name, scope);
        for (const param of fn.params) visitPattern(param, scope);
        if (!fn.body) return;
        if (fn.body.type === "BlockStatement") visitAll(fn.body.body);
        else visit(fn.body);
      });
    if (fn.type === "ArrowFunctionExpression") body();
    else withContext(fn, body);
  }

  function visitClass(node: Class): void {
    visitAll(node.decorators);
    if (node.type === "ClassDeclaration" && node.id && !node.declare) declare(node.id.name, scope);
    if (node.superClass) visit(node.superClass);
    inScope(node, false, () => {
      if (node.type === "ClassExpression" && node.id) declare(node.id.name, scope);
      visitAll(node.body.body);
    });
  }

  /** A binding pattern: declares its names in `target`, visits defaults and computed keys. */
  function visitPattern(node: Node, target: Scope): void {
    switch (node.type) {
      case "Identifier":
        declare(node.name, target);
        return;
      case "ObjectPattern":
        for (const property of node.properties) {
          if (property.type === "RestElement") {
            visitPattern(property.argument, target);
            continue;
          }
          if (property.computed) visit(property.key);
          visitPattern(property.value, target);
        }
        return;
      case "ArrayPattern":
        for (const element of node.elements) if (element) visitPattern(element, target);
        return;
      case "RestElement":
        visitPattern(node.argument, target);
        return;
      case "AssignmentPattern":
        visitPattern(node.left, target);
        visit(node.right);
        return;
      case "TSParameterProperty":
        visitAll(node.decorators);
        visitPattern(node.parameter, target);
        return;
      default:
        visit(node);
    }
  }

  /** An assignment target (`[a, b] = …`, `({ a } = …)`): its identifiers are references. */
  function visitTarget(node: Node): void {
    switch (node.type) {
      case "ObjectPattern":
        for (const property of node.properties) {
          if (property.type === "RestElement") {
            visitTarget(property.argument);
            continue;
          }
          if (property.computed) visit(property.key);
          if (property.shorthand && property.value.type === "Identifier") {
            refer(property.value.name, property.value.start, property.value.end, true);
          } else {
            visitTarget(property.value);
          }
        }
        return;
      case "ArrayPattern":
        for (const element of node.elements) if (element) visitTarget(element);
        return;
      case "RestElement":
        visitTarget(node.argument);
        return;
      case "AssignmentPattern":
        visitTarget(node.left);
        visit(node.right);
        return;
      default:
        visit(node);
    }
  }

  function visitJsxName(name: JSXElementName | JSXMemberExpressionObject): void {
    if (name.type === "JSXMemberExpression") visitJsxName(name.object);
    // Lower-case names are intrinsic elements (`<div>`), not variables.
    else if (name.type === "JSXIdentifier" && name.name !== "this" && !/^[a-z]|-/.test(name.name)) {
      refer(name.name, name.start, name.end);
    }
  }

  ancestors.push(program);
  visitAll(program.body);
  references.sort((a, b) => a.start - b.start);
  for (const reference of references) reference.binding = resolve(reference.scope, reference.name);
  return { module, references, contextUses, names };
}

function newScope(parent: Scope | undefined, node: Node, hoistsVar: boolean): Scope {
  return { parent, node, hoistsVar, bindings: new Map() };
}

/** The binding `name` means in `scope`; undefined for a global. */
export function resolve(scope: Scope | undefined, name: string): Binding | undefined {
  for (; scope; scope = scope.parent) {
    const binding = scope.bindings.get(name);
    if (binding) return binding;
  }
  return undefined;
}
