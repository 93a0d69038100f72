/**
 * The shape every server-function reference has, on both sides: the registered function in
 * the Worker (worker/endpoint/registry.ts) and its stub in the browser (client/stub.ts).
 */

/** The URL prefix of the server-function endpoint. */
export const ENDPOINT_PREFIX = "/_server/";

/** Where a reference keeps its metadata (a registered symbol: one value across bundles). */
export const REFERENCE = Symbol.for("sortie.reference");

export interface ReferenceInfo {
  /** Stable id from the file path and function name (see build/ids.ts). */
  readonly id: string;
  /** Leading arguments bound with `.with(...)`. */
  readonly bound: readonly unknown[];
  /** Declared a read (`query(fn, key)`): answers GET and is cached per request by key. */
  readonly query?: { readonly key: string };
}

// Types: a reference is the function itself plus `.with`, so a stub is typed exactly like
// the server function it stands for.
type AnyAsyncFunction = (...args: any[]) => Promise<unknown>;

/** The argument lists that are a prefix of `Args`. */
export type ArgsPrefix<Args extends unknown[]> = Args extends [infer Head, ...infer Tail]
  ? [] | [Head, ...ArgsPrefix<Tail>]
  : Args extends [] ? [] : Args | [];

export type DropPrefix<Args extends unknown[], Prefix extends unknown[]> = Args extends [...Prefix, ...infer Rest]
  ? Rest
  : Prefix extends [unknown, ...infer PrefixTail]
    ? Args extends [unknown, ...infer ArgsTail] ? DropPrefix<ArgsTail, PrefixTail> : never
    : Args;

export type ServerReference<F extends AnyAsyncFunction> = F & {
  readonly [REFERENCE]: ReferenceInfo;
  /** Binds leading arguments: `updateProduct.with(id)` for a form that supplies the rest. */
  with<P extends ArgsPrefix<Parameters<F>>>(
    ...args: P
  ): ServerReference<(...args: DropPrefix<Parameters<F>, P>) => ReturnType<F>>;
};

export function referenceInfo(value: unknown): ReferenceInfo | undefined {
  if (typeof value !== "function") return undefined;
  return (value as Partial<Record<typeof REFERENCE, ReferenceInfo>>)[REFERENCE];
}
