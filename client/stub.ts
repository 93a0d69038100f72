import { REFERENCE, type ReferenceInfo, type ServerReference } from "../common/reference.ts";

// First cut: the reference shape only. The call path (encode, fetch, decode) lands with the
// Worker runtime.
export function createServerReference<F extends (...args: any[]) => Promise<any>>(id: string): ServerReference<F> {
  return makeStub<F>({ id, bound: [] });
}

function makeStub<F extends (...args: any[]) => Promise<any>>(info: ReferenceInfo): ServerReference<F> {
  const call = (async (..._args: unknown[]) => {
    throw new Error(`server function ${info.id}: the client runtime is not built yet`);
  }) as unknown as F;
  Object.defineProperty(call, REFERENCE, { value: info });
  Object.defineProperty(call, "with", {
    value: (...args: unknown[]) => makeStub<F>({ ...info, bound: [...info.bound, ...args] }),
  });
  return call as ServerReference<F>;
}
