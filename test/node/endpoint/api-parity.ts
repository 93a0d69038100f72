// Type-level check, run by `tsc --noEmit`: the `sortie` specifier has the same names and
// types in both bundles (worker/index.ts on the server, client/api.ts in the browser).
import type * as Client from "../../../client/api.ts";
import type * as Worker from "../../../worker/index.ts";

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type WorkerOnly = Exclude<keyof typeof Worker, keyof typeof Client>;
type ClientOnly = Exclude<keyof typeof Client, keyof typeof Worker>;
type Mismatched = {
  [K in keyof typeof Client & keyof typeof Worker]: Same<(typeof Client)[K], (typeof Worker)[K]> extends true ? never : K;
}[keyof typeof Client & keyof typeof Worker];

// Each line fails to compile while it is violated, and the error names the offending export.
export const everyWorkerExportIsInClientApi: [WorkerOnly] extends [never] ? true : WorkerOnly = true;
export const everyClientApiExportIsInWorker: [ClientOnly] extends [never] ? true : ClientOnly = true;
export const sharedExportsHaveTheSameTypes: [Mismatched] extends [never] ? true : Mismatched = true;
