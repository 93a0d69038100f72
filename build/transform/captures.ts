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
 * The variables of enclosing functions and blocks a nested server function uses, in the order
 * of their first use: it moves to module scope, so they become its first parameters and each
 * place that renders it binds their values (a closure, sealed on its way to the browser).
 * Module-level bindings, imports and globals are not captured; nor are the bindings in
 * `movesWith` (other hoisted server functions and the constants holding them, which move too).
 * What cannot be captured is a Capture problem: a variable holding a server function that
 * cannot move (`stuck` explains why) or one that is itself a closure (`closures`), and — for
 * an arrow — the enclosing function's `this`, `arguments`, `super` or `new.target`.
 */
export function findCaptures(
  fn: FunctionLike,
  name: string,
  scopes: ScopeAnalysis,
  movesWith: ReadonlySet<Binding>,
  stuck: ReadonlyMap<Binding, StuckHolder>,
  closures: ReadonlyMap<Binding, string> = new Map(),
): { captured: Binding[] } | { problem: Capture } {
  const { references, contextUses, module } = scopes;
  const captured: Binding[] = [];
  for (let index = firstAtOrAfter(references, fn.start); index < references.length; index++) {
    const reference = references[index]!;
    if (reference.start >= fn.end) break;
    const binding = reference.binding;
    const closure = binding && closures.get(binding);
    if (closure) {
      return {
        problem: {
          at: reference.start,
          problem: `the server function ${name} uses "${binding.name}", the server function ${closure}, which uses variables of the code around it (a closure): server functions cannot use closures`,
          hint: `give ${closure} what it needs as arguments, or call a module-level function from both`,
        },
      };
    }
    if (!binding || binding.scope === module || movesWith.has(binding)) continue;
    const home = binding.scope.node;
    if (home.start >= fn.start && home.end <= fn.end) continue;
    const holder = stuck.get(binding);
    if (holder) {
      return {
        problem: {
          at: reference.start,
          problem: `the server function ${name} uses "${binding.name}", which holds the server function ${holder.held} but cannot move to module scope with it: ${holder.why}`,
          hint: holder.hint,
        },
      };
    }
    if (!captured.includes(binding)) captured.push(binding);
  }
  if (fn.type !== "ArrowFunctionExpression") return { captured };
  for (const use of contextUses) {
    if (use.start < fn.start || use.start >= fn.end || !use.owner || use.owner.start >= fn.start) continue;
    return {
      problem: {
        at: use.start,
        problem: `the server function ${name} uses the enclosing function's ${use.what}, which cannot travel with it (server functions move to module scope, and capture only variables)`,
        hint: `copy what you need from ${use.what} into a const first (const { id } = ${use.what}…), and use that`,
      },
    };
  }
  return { captured };
}
