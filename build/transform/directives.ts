import type { Directive, Program, Statement } from "oxc-parser";

/**
 * Whether a body's directive prologue (its leading string-literal statements, as the parser
 * marks them) holds `"use server"`. A `"use server"` anywhere else — later in the body, in a
 * comment, inside another string — is not a directive and changes nothing.
 */
export function hasUseServer(body: readonly (Directive | Statement)[]): boolean {
  for (const statement of body) {
    if (!isDirective(statement)) return false;
    if (statement.directive === "use server") return true;
  }
  return false;
}

/** Where code inserted at the top of a module goes: after the hashbang and the prologue. */
export function prologueEnd(program: Program): number {
  let end = program.hashbang?.end ?? 0;
  for (const statement of program.body) {
    if (!isDirective(statement)) break;
    end = statement.end;
  }
  return end;
}

function isDirective(statement: Directive | Statement): statement is Directive {
  return "directive" in statement && typeof statement.directive === "string";
}
