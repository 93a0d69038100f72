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
  /** In the Worker: how many leading bound arguments a closure captured (they always travel sealed). */
  readonly captured?: number;
  /** In the browser: the leading bound arguments the Worker sealed, opaque; `bound` follows them. */
  readonly sealed?: string;
}

/** The sealed part and the clear part of a reference's bound arguments, as they leave the Worker. */
export interface OutboundBinding {
  readonly sealed: string | undefined;
  readonly bound: readonly unknown[];
}

let outbound: ((info: ReferenceInfo, where: "url" | "value") => OutboundBinding | undefined) | undefined;

/**
 * The Worker's sealing (worker/references/sealing.ts): which bound arguments of a reference
 * leave sealed, for a URL (a form's action: a placeholder the page fills in) or a value (an
 * island's prop, a result: sealed beforehand). Unset in the browser, where nothing is sealed.
 */
export function setOutboundBinding(hook: typeof outbound): void {
  outbound = hook;
}

/** How `info`'s bound arguments leave this runtime. */
export function outboundBinding(info: ReferenceInfo, where: "url" | "value"): OutboundBinding {
  if (info.sealed !== undefined) return { sealed: info.sealed, bound: info.bound };
  return outbound?.(info, where) ?? { sealed: undefined, bound: info.bound };
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
