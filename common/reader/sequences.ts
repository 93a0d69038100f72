/**
 * The deferred values a reader builds, with the behaviour seroval's writer expects of them:
 * a promise settled by a later record, a stream of events replayed to each listener, and the
 * iterators that a sequence (sync) or a stream (async) become again.
 */

/** A promise and the functions that settle it (a later record does). */
export interface Deferred {
  promise: Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export function createDeferred(): Deferred {
  const deferred = {} as Deferred;
  deferred.promise = new Promise((resolve, reject) => Object.assign(deferred, { resolve, reject }));
  // Nobody may ever await it (a value dropped by the caller): its failure is not unhandled.
  deferred.promise.catch(() => {});
  return deferred;
}

export interface StreamListener {
  next(value: unknown): void;
  throw(error: unknown): void;
  return(value: unknown): void;
}

/**
 * A stream of events (next…, then throw or return): each event is kept, so a listener that
 * comes later hears all of them in order. A live stream (one reader, seroval's `l: 1`) keeps
 * none once its one listener has subscribed.
 */
export class EventStream {
  #events: Array<[keyof StreamListener, unknown]> = [];
  #listeners = new Set<StreamListener>();
  #open = true;
  #live: number;

  constructor(live: boolean) {
    this.#live = live ? 1 : 0;
  }

  on(listener: StreamListener): () => void {
    if (this.#live > 1) throw new Error("This stream was already read");
    if (this.#open) this.#listeners.add(listener);
    for (const [kind, value] of this.#events) listener[kind](value);
    if (this.#live) {
      this.#live = 2;
      this.#events.length = 0;
    }
    return () => void this.#listeners.delete(listener);
  }

  next(value: unknown): void {
    this.#emit("next", value);
  }

  throw(error: unknown): void {
    this.#emit("throw", error);
  }

  return(value: unknown): void {
    this.#emit("return", value);
  }

  #emit(kind: keyof StreamListener, value: unknown): void {
    if (!this.#open) return;
    if (this.#live < 2) this.#events.push([kind, value]);
    for (const listener of this.#listeners) listener[kind](value);
    if (kind !== "next") {
      this.#open = false;
      this.#listeners.clear();
    }
  }
}

/** What a sync iterator yielded: its values, the index it threw at and the index it ended at (-1: neither). */
export class Sequence {
  readonly values: unknown[] = [];
  readonly throwAt: number;
  readonly doneAt: number;

  constructor(throwAt: number, doneAt: number) {
    this.throwAt = throwAt;
    this.doneAt = doneAt;
  }
}

/** `[Symbol.iterator]` of a read iterable: each call replays the sequence. */
export function sequenceIterator(sequence: Sequence): () => Iterator<unknown> {
  return () => {
    let index = 0;
    const iterator: IterableIterator<unknown> = {
      [Symbol.iterator]: () => iterator,
      next() {
        if (index > sequence.doneAt) return { done: true, value: undefined };
        const at = index++;
        const value = sequence.values[at];
        if (at === sequence.throwAt) throw value;
        return { done: at === sequence.doneAt, value } as IteratorResult<unknown>;
      },
    };
    return iterator;
  };
}

/** `[Symbol.asyncIterator]` of a read async iterable: each call listens to the stream from its start. */
export function streamIterator(stream: EventStream): () => AsyncIterator<unknown> {
  return () => {
    const values: unknown[] = [];
    const waiting: Deferred[] = [];
    let read = 0;
    let endAt = -1;
    let threw = false;
    const end = (value: unknown, failed: boolean) => {
      const first = waiting.shift();
      if (first) failed ? first.reject(value) : first.resolve({ done: true, value });
      for (const rest of waiting.splice(0)) rest.resolve({ done: true, value: undefined });
      endAt = values.length;
      threw = failed;
      values.push(value);
    };
    stream.on({
      next(value) {
        const first = waiting.shift();
        if (first) first.resolve({ done: false, value });
        values.push(value);
      },
      throw: (error) => end(error, true),
      return: (value) => end(value, false),
    });
    const iterator: AsyncIterableIterator<unknown> = {
      [Symbol.asyncIterator]: () => iterator,
      async next() {
        if (endAt === -1) {
          const at = read++;
          if (at < values.length) return { done: false, value: values[at] };
          const later = createDeferred();
          waiting.push(later);
          return later.promise as Promise<IteratorResult<unknown>>;
        }
        if (read > endAt) return { done: true, value: undefined };
        const at = read++;
        if (at !== endAt) return { done: false, value: values[at] };
        if (threw) throw values[at];
        return { done: true, value: values[at] };
      },
    };
    return iterator;
  };
}
