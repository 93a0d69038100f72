import { REFERENCE, type ReferenceInfo, type ServerReference } from "../../common/reference.ts";
import { definePermalink } from "../pages/permalink.ts";
import { setReferenceFactory } from "../../common/plugins.ts";

/**
 * Every server function of the Worker bundle, by id. The build's transform wraps each
 * `"use server"` function in `registerServerFunction(id, fn)`; server code keeps calling the
 * returned function directly.
 */
const registry = new Map<string, ServerReference<(...args: any[]) => Promise<unknown>>>();

export class ServerFunctionDefinitionError extends Error {
  override name = "ServerFunctionDefinitionError";
}

export function registerServerFunction<F extends (...args: any[]) => Promise<any>>(
  id: string,
  fn: F,
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
  return reference;
}

// A reference read back in the Worker (a flash it stored itself) is the registered function.
setReferenceFactory(({ id, bound }) => {
  const fn = registry.get(id);
  if (!fn) throw new UnknownFunctionReferenceError(id);
  return bound.length ? fn.with(...(bound as [])) : fn;
});

class UnknownFunctionReferenceError extends Error {
  override name = "UnknownFunctionReferenceError";
  constructor(id: string) {
    super(`A stored value names the server function ${JSON.stringify(id)}, which this deployment does not have`);
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
