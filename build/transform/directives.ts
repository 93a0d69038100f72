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

/**
 * Where code inserted at the top of a module goes — after the hashbang and the directive
 * prologue, on the same line so later lines keep their numbers — and what must precede it:
 * a `;` after a directive written without one, a line break after a hashbang.
 */
export function topOfModule(program: Program, source: string): { at: number; separator: string } {
  let at = program.hashbang?.end ?? 0;
  let separator = at > 0 ? "\n" : "";
  for (const statement of program.body) {
    if (!isDirective(statement)) break;
    at = statement.end;
    separator = source[at - 1] === ";" ? "" : ";";
  }
  return { at, separator };
}

function isDirective(statement: Directive | Statement): statement is Directive {
  return "directive" in statement && typeof statement.directive === "string";
}
