/**
 * The promise of `run()`, a synchronous throw as its rejection: what `(async () => run())()`
 * gives, without the async wrapper's own promise and the turns of the microtask queue it
 * takes to adopt the promise `run` returned (a page waits on these: bench/in-worker.ts).
 */
export function started<T>(run: () => T | PromiseLike<T>): Promise<Awaited<T>> {
  try {
    return Promise.resolve(run()) as Promise<Awaited<T>>;
  } catch (error) {
    return Promise.reject(error);
  }
}
