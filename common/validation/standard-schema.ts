/**
 * The Standard Schema v1 interface (https://standardschema.dev), which zod 4, valibot and
 * arktype schemas implement: Sortie validates through it and depends on no schema library.
 * Declared here from the specification, with only the members Sortie reads.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardIssue[] };

export interface StandardIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

/** What a schema accepts. */
export type SchemaInput<S> = S extends StandardSchemaV1<infer Input, unknown> ? Input : never;
/** What a schema gives back (after its transforms and coercions). */
export type SchemaOutput<S> = S extends StandardSchemaV1<unknown, infer Output> ? Output : never;

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const standard = (value as { "~standard"?: { version?: unknown; validate?: unknown } } | null | undefined)?.["~standard"];
  return typeof standard === "object" && standard !== null && standard.version === 1 && typeof standard.validate === "function";
}

/** The schemas of `{ input }` as a list, one per parameter; a TypeError naming `where` when they are not schemas. */
export function schemaList(input: unknown, where: string): readonly StandardSchemaV1[] {
  const list = Array.isArray(input) ? (input as unknown[]) : [input];
  if (!list.every(isStandardSchema)) {
    throw new TypeError(`${where}: { input } must be a Standard Schema (zod 4, valibot, arktype…) or an array of them, one per parameter`);
  }
  return list;
}
