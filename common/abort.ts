/** Where a client stub keeps its abortable form: `stub[ABORTABLE](signal)` is the stub bound to a signal. */
export const ABORTABLE = Symbol.for("sortie.abortable");

/**
 * `withSignal(fn, signal)(...args)` calls a server function so that aborting `signal` cancels
 * the request: the promise rejects with the signal's reason and the Worker sees
 * `event.signal` fire. It keeps the function's own arguments free of transport options. On
 * the server, where a call is a plain function call, it returns `fn` itself.
 */
export function withSignal<F extends (...args: any[]) => Promise<any>>(fn: F, signal: AbortSignal): F {
  const abortable = (fn as { [ABORTABLE]?: (signal: AbortSignal) => F })[ABORTABLE];
  return abortable ? abortable(signal) : fn;
}
