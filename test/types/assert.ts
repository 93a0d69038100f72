// Type-level assertions: these files are checked by `tsc --noEmit`, never run.

/** True when A and B are the same type (not merely assignable either way). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when its type argument is `true`. */
export function assertType<T extends true>(): T | void {}
