import type { ValidationIssue } from "./validation-error.ts";

/** Most segments in a field name (`a.b.c` has three): deeper names are refused. */
export const MAX_FIELD_DEPTH = 16;

// Names that would reach an object's prototype rather than a key of its own.
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

type FormObject = { [key: string]: FormValue };
type FormValue = string | File | FormValue[] | FormObject;

/**
 * The value a schema sees for a posted form (docs/validation.md, "From a form to the input"):
 * - every field becomes a key of a plain object; its value stays what the form sent, a string
 *   or a File: nothing is coerced (a schema that wants a number says so: `z.coerce.number()`,
 *   `v.pipe(v.string(), v.toNumber())`);
 * - `a.b` nests: `{ a: { b } }`;
 * - `tags[]` is always an array, even of one value or none sent (then absent); a name sent
 *   more than once becomes an array too;
 * - a file input left empty (a File with no name and no bytes) is left out, like an unchecked box.
 * A name that cannot be placed (an empty segment, `__proto__`, both `a` and `a.b`, deeper than
 * MAX_FIELD_DEPTH) is an issue of that field.
 */
export function formInput(form: FormData, argument: number): { value: FormObject } | { issues: ValidationIssue[] } {
  const value: FormObject = {};
  const issues: ValidationIssue[] = [];
  for (const [name, entry] of form) {
    if (typeof entry !== "string" && entry.name === "" && entry.size === 0) continue;
    const problem = place(value, name, entry);
    // Keyed like the input's field (tags[] is tags), so the message shows by it.
    if (problem) issues.push({ argument, path: [name.endsWith("[]") ? name.slice(0, -2) : name], message: problem });
  }
  return issues.length ? { issues } : { value };
}

function place(root: FormObject, name: string, entry: string | File): string | undefined {
  const listed = name.endsWith("[]");
  const segments = (listed ? name.slice(0, -2) : name).split(".");
  if (segments.length > MAX_FIELD_DEPTH) return `The field name has more than ${MAX_FIELD_DEPTH} parts`;
  if (segments.some((segment) => segment === "" || FORBIDDEN.has(segment))) {
    return `The field name ${JSON.stringify(name)} cannot be read as a path (empty part, or __proto__, prototype or constructor)`;
  }
  let target = root;
  for (const segment of segments.slice(0, -1)) {
    const next = Object.hasOwn(target, segment) ? target[segment] : (target[segment] = {});
    if (!isObject(next)) return `The field ${JSON.stringify(name)} nests under ${JSON.stringify(segment)}, which the form also sends as a value`;
    target = next;
  }
  const key = segments.at(-1)!;
  const present = Object.hasOwn(target, key) ? target[key] : undefined;
  if (present === undefined) target[key] = listed ? [entry] : entry;
  else if (isObject(present)) return `The form sends ${JSON.stringify(key)} both as a value and as the parent of other fields`;
  else if (Array.isArray(present)) present.push(entry);
  else target[key] = [present, entry];
  return undefined;
}

function isObject(value: FormValue): value is FormObject {
  return typeof value === "object" && !Array.isArray(value) && !(value instanceof Blob);
}
