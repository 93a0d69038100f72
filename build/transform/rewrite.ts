import type MagicString from "magic-string";
import type { Binding, ScopeAnalysis } from "./scope.ts";
import { newlinesIn, spanAt, type Span } from "./spans.ts";

/** Hands out identifiers that clash with no name in the module, nor with each other. */
export function nameSource(taken: ReadonlySet<string>): (base: string) => string {
  const used = new Set(taken);
  return (base) => {
    const clean = base.replace(/[^\w$]/g, "_").replace(/^(?=\d)/, "_");
    let name = clean;
    for (let suffix = 2; used.has(name); suffix++) name = `${clean}${suffix}`;
    used.add(name);
    return name;
  };
}

/** `import { name as local } from "sortie/runtime";` (without `as` when they match). */
export function runtimeImport(name: string, local: string): string {
  return `import { ${name === local ? name : `${name} as ${local}`} } from "sortie/runtime";`;
}

/**
 * Points every use of `binding` at `name` (`{ save }` becomes `{ save: name }`), except uses
 * inside `skip` (sorted, not overlapping): those are gone from the output.
 */
export function renameUses(text: MagicString, scopes: ScopeAnalysis, binding: Binding, name: string, skip: readonly Span[] = []): void {
  for (const reference of scopes.references) {
    if (reference.binding !== binding || spanAt(skip, reference.start)) continue;
    text.overwrite(reference.start, reference.end, reference.shorthand ? `${reference.name}: ${name}` : name);
  }
}

/**
 * Replaces `start..end` with `replacement` followed by the newlines the old text had, so every
 * later line keeps its number (the client bundle's source maps point into the transformed
 * module, which must not embed server code, yet should line up with the file on disk).
 */
export function replaceKeepingLines(text: MagicString, source: string, start: number, end: number, replacement: string): void {
  const content = replacement + "\n".repeat(newlinesIn(source, start, end));
  if (content) text.overwrite(start, end, content);
  else text.remove(start, end);
}
