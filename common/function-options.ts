/**
 * What a server function declares with itself (`action(fn, options)`, `query(fn, key, options)`):
 * middleware around it and the schemas of its input, as the Worker keeps them. Kept per
 * function id, so every reference of the function (`.with(...)` ones too) finds them. The
 * browser keeps only `precheck` schemas (client/precheck.ts).
 */
import type { InputSchemas } from "./validation/check.ts";
import { schemaList, type StandardSchemaV1 } from "./validation/standard-schema.ts";
import type { Middleware } from "./middleware.ts";
import { referenceInfo } from "./reference.ts";

export interface FunctionOptions {
  /** Middleware around this function, after the app's own. */
  readonly use?: readonly Middleware[];
  /**
   * The schema of its input (any Standard Schema: zod 4, valibot, arktype), or an array of
   * schemas, one per parameter. Every call is checked before the function runs (a 422 with the
   * issues otherwise), and the function receives the schemas' output.
   */
  readonly input?: InputSchemas;
  /**
   * Also check the input in the browser before sending it (a form shows the issues without a
   * round trip). It ships the schemas, and their library, to the browser: off by default.
   * The build keeps the options in the client bundle only when this is written `precheck: true`.
   */
  readonly precheck?: boolean;
}

interface Declared {
  readonly use: readonly Middleware[];
  readonly input: readonly StandardSchemaV1[] | undefined;
}

const declared = new Map<string, Declared>();

/** Keeps a server function's options (`where` names the call in error messages). */
export function declareOptions(fn: unknown, options: FunctionOptions | undefined, where: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) throw new TypeError(`${where}: options must be an object like { use: [requireUser], input: schema }`);
  const use = options.use ?? [];
  if (!Array.isArray(use) || use.some((step) => typeof step !== "function")) {
    throw new TypeError(`${where}: { use } must be an array of middleware functions`);
  }
  const input = options.input === undefined ? undefined : schemaList(options.input, where);
  const info = referenceInfo(fn);
  if (info) declared.set(info.id, { use: Object.freeze([...use]), input });
}

function declaredOf(fn: unknown): Declared | undefined {
  const info = referenceInfo(fn);
  return info && declared.get(info.id);
}

/** The middleware a server function declared (none when it declared no options). */
export function declaredMiddleware(fn: unknown): readonly Middleware[] {
  return declaredOf(fn)?.use ?? [];
}

/** The schemas a server function declared for its parameters, if any. */
export function declaredInput(fn: unknown): readonly StandardSchemaV1[] | undefined {
  return declaredOf(fn)?.input;
}
