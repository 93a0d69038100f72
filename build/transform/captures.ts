import type { Binding, FunctionLike, ScopeAnalysis } from "./scope.ts";
import { firstAtOrAfter } from "./spans.ts";

export interface Capture {
  /** Offset of the use inside the function. */
  readonly at: number;
  readonly problem: string;
  readonly hint: string;
}

/** A variable of an enclosing scope holding a server function that cannot move with it (see holders.ts). */
export interface StuckHolder {
  /** The server function it holds. */
  readonly held: string;
  readonly why: string;
  readonly hint: string;
}

/**
 * The first thing a nested server function takes from an enclosing function or block, which
 * it would lose when it moves to module scope: a variable bound there (module-level bindings,
 * imports and globals are fine; so are the bindings in `movesWith`: other hoisted server
 * functions and the constants holding them, which move too), or — for an arrow — the
 * enclosing function's `this`, `arguments`, `super` or `new.target`. `stuck` explains the
 * variables holding a server function that cannot move.
 */
export function findCapture(
  fn: FunctionLike,
  name: string,
  scopes: ScopeAnalysis,
  movesWith: ReadonlySet<Binding>,
  stuck: ReadonlyMap<Binding, StuckHolder>,
): Capture | undefined {
  const { references, contextUses, module } = scopes;
  for (let index = firstAtOrAfter(references, fn.start); index < references.length; index++) {
    const reference = references[index]!;
    if (reference.start >= fn.end) break;
    const binding = reference.binding;
    if (!binding || binding.scope === module || movesWith.has(binding)) continue;
    const home = binding.scope.node;
    if (home.start >= fn.start && home.end <= fn.end) continue;
    const holder = stuck.get(binding);
    if (holder) {
      return {
        at: reference.start,
        problem: `the server function ${name} uses "${binding.name}", which holds the server function ${holder.held} but cannot move to module scope with it: ${holder.why}`,
        hint: holder.hint,
      };
    }
    return {
      at: reference.start,
      problem: `the server function ${name} uses "${binding.name}" from an enclosing scope; server functions move to module scope, where "${binding.name}" does not exist (closures are not supported)`,
      hint: `pass ${binding.name} as an argument (bind it with .with(${binding.name}) where you use the function), or move it to module scope`,
    };
  }
  if (fn.type !== "ArrowFunctionExpression") return undefined;
  for (const use of contextUses) {
    if (use.start < fn.start || use.start >= fn.end || !use.owner || use.owner.start >= fn.start) continue;
    return {
      at: use.start,
      problem: `the server function ${name} uses the enclosing function's ${use.what}; server functions move to module scope, where it does not exist`,
      hint: `pass what you need from ${use.what} as an argument`,
    };
  }
  return undefined;
}
