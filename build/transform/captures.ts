import type { Binding, ScopeAnalysis } from "./scope.ts";
import type { FunctionLike } from "./scope.ts";
import { firstAtOrAfter } from "./spans.ts";

export interface Capture {
  /** Offset of the use inside the function. */
  readonly at: number;
  readonly what: string;
  readonly problem: string;
  readonly hint: string;
}

/**
 * The first thing a nested server function takes from an enclosing function or block, which
 * it would lose when it moves to module scope: a variable bound there (module-level bindings,
 * imports and globals are fine; so are names of other hoisted server functions, which move
 * with it), or — for an arrow — the enclosing function's `this`, `arguments`, `super` or
 * `new.target`.
 */
export function findCapture(
  fn: FunctionLike,
  name: string,
  scopes: ScopeAnalysis,
  movesWith: ReadonlySet<Binding>,
): Capture | undefined {
  const { references, contextUses, module } = scopes;
  for (let index = firstAtOrAfter(references, fn.start); index < references.length; index++) {
    const reference = references[index]!;
    if (reference.start >= fn.end) break;
    const binding = reference.binding;
    if (!binding || binding.scope === module || movesWith.has(binding)) continue;
    const home = binding.scope.node;
    if (home.start >= fn.start && home.end <= fn.end) continue;
    return {
      at: reference.start,
      what: binding.name,
      problem: `the server function ${name} uses "${binding.name}" from an enclosing scope; server functions move to module scope, where "${binding.name}" does not exist (closures are not supported)`,
      hint: `pass ${binding.name} as an argument (bind it with .with(${binding.name}) where you use the function), or move it to module scope`,
    };
  }
  if (fn.type !== "ArrowFunctionExpression") return undefined;
  for (const use of contextUses) {
    if (use.start < fn.start || use.start >= fn.end || !use.owner || use.owner.start >= fn.start) continue;
    return {
      at: use.start,
      what: use.what,
      problem: `the server function ${name} uses the enclosing function's ${use.what}; server functions move to module scope, where it does not exist`,
      hint: `pass what you need from ${use.what} as an argument`,
    };
  }
  return undefined;
}
