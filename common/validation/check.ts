import { formInput } from "./form-input.ts";
import type { SchemaInput, SchemaOutput, StandardIssue, StandardSchemaV1 } from "./standard-schema.ts";
import type { ValidationIssue } from "./validation-error.ts";

/** `{ input }` of a server function: one schema for a function of one parameter, or one schema per parameter. */
export type InputSchemas = StandardSchemaV1 | readonly StandardSchemaV1[];

/** The parameters the function receives: each schema's output. */
export type InputOutputs<S extends InputSchemas> = S extends readonly StandardSchemaV1[]
  ? { -readonly [K in keyof S]: SchemaOutput<S[K]> }
  : [SchemaOutput<S>];

/** A ValidationError's message: the first three issues. */
export function summarize(issues: readonly ValidationIssue[]): string {
  const shown = issues.slice(0, 3).map(({ path, message }) => (path.length ? `${path.join(".")}: ${message}` : message));
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : "";
  return `Invalid input: ${shown.join("; ")}${more}`;
}

/** The parameters callers pass: each schema's input; a FormData where it is an object (read by the form rule). */
export type InputParameters<S extends InputSchemas> = S extends readonly StandardSchemaV1[]
  ? { -readonly [K in keyof S]: Accepted<SchemaInput<S[K]>> }
  : [Accepted<SchemaInput<S>>];

type Accepted<T> = T | (T extends readonly unknown[] | Function | Date | Blob ? never : T extends object ? FormData : never);

/**
 * The arguments as the function receives them: each one checked by its schema and replaced
 * with the schema's output; a FormData first becomes an object by the form rule
 * (form-input.ts). More arguments than schemas is an issue too (but for a form's FormData).
 * Resolves with the outputs, or with every issue (the caller throws the ValidationError: this
 * module, loaded on its own in the browser, imports no class).
 */
export async function checkArguments(schemas: readonly StandardSchemaV1[], given: readonly unknown[]): Promise<{ args: unknown[] } | { issues: ValidationIssue[] }> {
  // A form posts its FormData after the bound arguments whether the function reads one or not
  // (a sign-out button's form): one FormData beyond the declared parameters is left out.
  const args = given.length === schemas.length + 1 && given.at(-1) instanceof FormData ? given.slice(0, -1) : given;
  const issues: ValidationIssue[] = [];
  if (args.length > schemas.length) {
    issues.push({ argument: schemas.length, path: [], message: `Expected at most ${schemas.length} argument${schemas.length === 1 ? "" : "s"}, got ${args.length}` });
  }
  const outputs = await Promise.all(
    schemas.map(async (schema, argument) => {
      let value = args[argument];
      if (value instanceof FormData) {
        const read = formInput(value, argument);
        if ("issues" in read) return void issues.push(...read.issues);
        value = read.value;
      }
      const result = await schema["~standard"].validate(value);
      if (result.issues) issues.push(...result.issues.map((issue) => fromStandard(issue, argument)));
      else return result.value;
    }),
  );
  if (issues.length) return { issues: issues.sort((a, b) => a.argument - b.argument) };
  // A call may leave trailing optional parameters out: the function sees as many as were passed, or the schemas filled in.
  let length = outputs.length;
  while (length > args.length && outputs[length - 1] === undefined) length--;
  return { args: outputs.slice(0, length) };
}

function fromStandard(issue: StandardIssue, argument: number): ValidationIssue {
  const path = (issue.path ?? []).map((segment) => {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    return typeof key === "number" ? key : String(key);
  });
  return { argument, path, message: String(issue.message) };
}
