import { REFERENCE, type ReferenceInfo, type ServerReference } from "../../common/reference.ts";
import { definePermalink } from "../pages/permalink.ts";
import { referenceReader } from "../../common/plugins.ts";
import { encodeArguments } from "../../common/wire.ts";

/**
 * Every server function of the Worker bundle, by id. The build's transform wraps each
 * `"use server"` function in `registerServerFunction(id, fn)`; server code keeps calling the
 * returned function directly.
 */
const registry = new Map<string, ServerReference<(...args: any[]) => Promise<unknown>>>();

export class ServerFunctionDefinitionError extends Error {
  override name = "ServerFunctionDefinitionError";
}

/** How many leading arguments each closure captured (build/transform: the hidden leading parameters). */
const captures = new Map<string, number>();

/**
 * `captured`: for a nested server function that uses variables of the functions around it,
 * how many: the build makes them its first parameters, and each place that renders the
 * function binds their values (closureOf), which travel sealed.
 */
export function registerServerFunction<F extends (...args: any[]) => Promise<any>>(
  id: string,
  fn: F,
  captured = 0,
): ServerReference<F> {
  if (typeof fn !== "function") {
    throw new ServerFunctionDefinitionError(`Server function "${id}" is not a function (got ${typeof fn})`);
  }
  const existing = registry.get(id);
  if (existing && existing !== (fn as unknown)) {
    throw new ServerFunctionDefinitionError(`Two server functions share the id "${id}"`);
  }
  const reference = makeReference(fn, { id, bound: [] });
  registry.set(id, reference as ServerReference<(...args: any[]) => Promise<unknown>>);
  if (captured > 0) captures.set(id, captured);
  return reference;
}

/** Whether any closure is registered: without one (and without sealBoundArguments) nothing is ever sealed. */
export function hasClosures(): boolean {
  return captures.size > 0;
}

/** How many captured values a call of `id` must bring sealed (0 for a function that is no closure). */
export function capturedCount(id: string): number {
  return captures.get(id) ?? 0;
}

/**
 * A closure's reference where it is rendered: `reference` with the captured values bound
 * first; they leave the Worker sealed (references/sealing.ts). The build writes the call.
 */
export function closureOf<F extends (...args: any[]) => Promise<any>>(reference: ServerReference<F>, values: readonly unknown[], where = "a closure"): ServerReference<F> {
  const info = reference[REFERENCE];
  // Checked here, where the component renders: sealing happens later, while the page streams.
  try {
    encodeArguments(values);
  } catch (error) {
    throw new ClosureCaptureError(
      `${where}: a captured value cannot travel with the function (${(error as Error).message}). Capture plain data: strings, numbers, plain objects and arrays, Date, Map, Set…; compute the rest inside the function`,
      { cause: error },
    );
  }
  const bound = ((...rest: unknown[]) => reference(...values, ...rest)) as F;
  return makeReference(bound, { ...info, bound: [...values, ...info.bound], captured: values.length + (info.captured ?? 0) });
}

/** References read back in the Worker (a flash it stored itself) are the registered functions. */
export const REGISTERED_REFERENCES = referenceReader(({ id, bound, sealed }) => {
  const fn = registry.get(id);
  if (!fn) throw new StoredReferenceError(id);
  // Its sealed values are not opened here: the reference shows, but does not run.
  if (sealed !== undefined) {
    return makeReference((async () => {
      throw new StoredReferenceError(id, "holds sealed values, which a stored flash does not open on the server; call it from the page that received it");
    }) as (...args: any[]) => Promise<unknown>, { id, bound, sealed });
  }
  return bound.length ? fn.with(...(bound as [])) : fn;
});

/** A closure captured a value that cannot be sealed (a function, a class instance…). */
export class ClosureCaptureError extends Error {
  override name = "ClosureCaptureError";
}

class StoredReferenceError extends Error {
  override name = "StoredReferenceError";
  constructor(id: string, why = "which this deployment does not have") {
    super(`A stored value names the server function ${JSON.stringify(id)}, ${why}`);
  }
}

/** The registered function for an id, or undefined (an unknown id is version skew: 404). */
export function findServerFunction(id: string): ServerReference<(...args: any[]) => Promise<unknown>> | undefined {
  return registry.get(id);
}

/** Marks a registered function as a read (see worker/queries/query.ts). */
export function markAsQuery(fn: ServerReference<(...args: any[]) => Promise<unknown>>, key: string): void {
  (fn[REFERENCE] as { query?: { key: string } }).query = { key };
}

/** `checked`, a function that checks its arguments before calling `reference`, as a reference of the same function. */
export function checkedReference<F extends (...args: any[]) => Promise<any>>(reference: ServerReference<F>, checked: F): ServerReference<F> {
  return makeReference(checked, reference[REFERENCE]);
}

function makeReference<F extends (...args: any[]) => Promise<any>>(fn: F, info: ReferenceInfo): ServerReference<F> {
  const target = fn as F & { [REFERENCE]?: ReferenceInfo; with?: unknown };
  Object.defineProperty(target, REFERENCE, { value: info, configurable: true });
  Object.defineProperty(target, "with", {
    configurable: true,
    value: (...args: unknown[]) => {
      const bound = ((...rest: unknown[]) => fn(...args, ...rest)) as F;
      return makeReference(bound, { ...info, bound: [...info.bound, ...args] });
    },
  });
  definePermalink(target);
  return target as ServerReference<F>;
}
