/**
 * Sortie's reader of seroval JSON, for values the Worker wrote (results, records, the page's
 * data, island props, flashes, bound arguments). seroval's own reader covers more than Sortie
 * writes and is the largest part of a page's JavaScript; this one reads what seroval's writer
 * produces under Sortie's options, and refuses the rest by name: RegExp (DISABLED_FEATURES),
 * references to a global registry, Temporal. Nothing is evaluated; every node is checked
 * before it is used, ids may not repeat, and depth, base64 and bigint sizes are bounded.
 */
import type { Plugin } from "seroval";
import * as N from "../seroval-nodes.ts";
import { createDeferred, EventStream, Sequence, sequenceIterator, streamIterator, type Deferred } from "./sequences.ts";

/** A node the reader cannot read: malformed, of a kind Sortie never sends, or too large. */
export class UnreadableValueError extends TypeError {
  override name = "UnreadableValueError";
}

/** The reader was aborted: the response it read is over. */
export class ReaderClosedError extends Error {
  override name = "ReaderClosedError";
}

/** How deeply nested a value the reader reads (the Worker's page data keeps within it too). */
export const MAX_DEPTH = 1000;
const MAX_BASE64_LENGTH = 1_000_000;
const MAX_BIGINT_LENGTH = 10_000;

const CONSTANTS = [null, undefined, true, false, -0, Infinity, -Infinity, NaN];
const ERRORS = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];
const SYMBOLS = [
  Symbol.asyncIterator,
  Symbol.hasInstance,
  Symbol.isConcatSpreadable,
  Symbol.iterator,
  Symbol.match,
  Symbol.matchAll,
  Symbol.replace,
  Symbol.search,
  Symbol.species,
  Symbol.split,
  Symbol.toPrimitive,
  Symbol.toStringTag,
  Symbol.unscopables,
];
// Symbols a read object may be given as keys (the rest would change how the object behaves).
const KEY_SYMBOLS = new Set<symbol>([Symbol.asyncIterator, Symbol.isConcatSpreadable, Symbol.iterator, Symbol.toStringTag]);
const TYPED_ARRAYS: Record<string, new (buffer: ArrayBuffer, offset: number, length?: number) => ArrayBufferView> = {
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Uint8ClampedArray,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
};
// Names that would reach the prototype if assigned: defined as own properties instead.
const SHADOWING_KEYS = new Set(["constructor", "__proto__", "prototype", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__"]);

type Node = Record<string, any>;
type Plugins = readonly Plugin<any, any>[];

/** Reads the nodes of one response, which share their ids: a later record may point at an earlier value. */
export interface ValueReader {
  read(node: unknown): unknown;
  /** Promises and streams still waiting for a later record. */
  readonly pending: number;
  /** Rejects every waiting promise and errors every open stream with `reason`; later reads fail. */
  abort(reason: unknown): void;
}

/** A reader for the records of one response (seroval's cross JSON). */
export function createValueReader(plugins: Plugins): ValueReader {
  return new Reader(plugins);
}

/** One whole value as seroval's `toJSON` writes it: `{ t: node, f: features, m: marked ids }`. */
export function readJSON<T>(json: unknown, plugins: Plugins): T {
  if (json === null || typeof json !== "object" || !("t" in json)) throw new UnreadableValueError("A value must be an object with its node in t");
  return new Reader(plugins).read(json.t) as T;
}

class Reader implements ValueReader {
  readonly #plugins: Plugins;
  readonly #values = new Map<number, unknown>();
  // What waits for a later record, by id: a promise's settling functions or an open stream.
  #waiting: Map<number, Deferred | EventStream> | undefined = new Map();

  constructor(plugins: Plugins) {
    this.#plugins = plugins;
  }

  get pending(): number {
    return this.#waiting?.size ?? 0;
  }

  read(node: unknown): unknown {
    if (!this.#waiting) throw new ReaderClosedError("The response was aborted: no more values can be read from it");
    return this.#node(node, 0);
  }

  abort(reason: unknown): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    for (const open of waiting?.values() ?? []) open instanceof EventStream ? open.throw(reason) : open.reject(reason);
  }

  #node(node: unknown, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new UnreadableValueError(`A value is nested deeper than ${MAX_DEPTH} levels`);
    if (node === null || typeof node !== "object") throw unreadable(node, "not a node");
    const item = node as Node;
    const next = depth + 1;
    switch (item.t) {
      case N.NODE_NUMBER:
        return Number(item.s);
      case N.NODE_STRING:
        return readString(item.s);
      case N.NODE_CONSTANT:
        return known(item, CONSTANTS);
      case N.NODE_BIGINT:
        if (String(item.s).length > MAX_BIGINT_LENGTH) throw unreadable(item, "a bigint too long");
        return BigInt(item.s);
      case N.NODE_INDEXED_VALUE:
        if (!this.#values.has(item.i)) throw unreadable(item, "a reference to no earlier value");
        return this.#values.get(item.i);
      case N.NODE_DATE:
        return this.#keep(item, new Date(item.s));
      case N.NODE_SET: {
        const set = this.#keep(item, new Set());
        for (const member of list(item, item.a)) set.add(this.#node(member, next));
        return set;
      }
      case N.NODE_MAP: {
        const map = this.#keep(item, new Map());
        const keys = list(item, item.e?.k);
        const values = list(item, item.e?.v);
        for (let index = 0; index < keys.length; index++) map.set(this.#node(keys[index], next), this.#node(values[index], next));
        return map;
      }
      case N.NODE_ARRAY: {
        const items = list(item, item.a);
        const array = this.#keep(item, new Array(items.length));
        // A hole is written as null and stays a hole.
        for (let index = 0; index < items.length; index++) if (items[index]) array[index] = this.#node(items[index], next);
        return lock(array, item.o);
      }
      case N.NODE_OBJECT:
      case N.NODE_NULL_CONSTRUCTOR: {
        const object = this.#keep(item, item.t === N.NODE_OBJECT ? {} : Object.create(null));
        this.#properties(item.p, object, next);
        return lock(object, item.o);
      }
      case N.NODE_PROMISE: {
        const deferred = createDeferred();
        this.#keep(item, deferred.promise);
        const value = this.#settled(item.f, next);
        (item.s ? deferred.resolve : deferred.reject)(value);
        return deferred.promise;
      }
      case N.NODE_ERROR:
      case N.NODE_AGGREGATE_ERROR: {
        const message = readString(item.m);
        const error = this.#keep(item, item.t === N.NODE_ERROR ? new (known(item, ERRORS) as ErrorConstructor)(message) : new AggregateError([], message));
        if (item.p) Object.defineProperties(error, Object.getOwnPropertyDescriptors(this.#properties(item.p, {}, next)));
        return error;
      }
      case N.NODE_TYPED_ARRAY:
      case N.NODE_BIGINT_TYPED_ARRAY:
      case N.NODE_DATA_VIEW: {
        const buffer = this.#node(item.f, next);
        const offset = item.b ?? 0;
        if (!(buffer instanceof ArrayBuffer) || !(offset >= 0 && offset <= buffer.byteLength)) throw unreadable(item, "a view outside its buffer");
        if (item.t === N.NODE_DATA_VIEW) return this.#keep(item, new DataView(buffer, offset, item.l));
        const View = Object.hasOwn(TYPED_ARRAYS, item.c) ? TYPED_ARRAYS[item.c]! : undefined;
        if (!View) throw unreadable(item, "an unknown typed array");
        return this.#keep(item, new View(buffer, offset, item.l));
      }
      case N.NODE_WELL_KNOWN_SYMBOL:
        return this.#keep(item, known(item, SYMBOLS));
      case N.NODE_ARRAY_BUFFER:
        if (typeof item.s !== "string" || item.s.length > MAX_BASE64_LENGTH) throw unreadable(item, "binary data that is not base64 or is too large");
        return this.#keep(item, decodeBase64(readString(item.s)));
      case N.NODE_BOXED:
        return this.#keep(item, Object(this.#node(item.f, next)));
      case N.NODE_PLUGIN:
        return this.#plugin(item, next);
      case N.NODE_PROMISE_CONSTRUCTOR: {
        const deferred = createDeferred();
        this.#wait(item.s, deferred);
        return this.#keep(item, deferred.promise);
      }
      case N.NODE_PROMISE_SUCCESS:
      case N.NODE_PROMISE_FAILURE: {
        const deferred = this.#waitingFor(item, false) as Deferred;
        const value = this.#settled(list(item, item.a)[1], next);
        (item.t === N.NODE_PROMISE_SUCCESS ? deferred.resolve : deferred.reject)(value);
        this.#waiting?.delete(item.i);
        return undefined;
      }
      // A factory stands for seroval's iterator code, which a reader has built in: kept as nothing, for later references to it.
      case N.NODE_ITERATOR_FACTORY:
        this.#keep(item, undefined);
        this.#node(item.f, next);
        return undefined;
      case N.NODE_ASYNC_ITERATOR_FACTORY:
        this.#keep(item, undefined);
        this.#node(list(item, item.a)[1], next);
        return undefined;
      // The function under Symbol.iterator (Symbol.asyncIterator) of an iterable read back.
      case N.NODE_ITERATOR_FACTORY_INSTANCE:
      case N.NODE_ASYNC_ITERATOR_FACTORY_INSTANCE: {
        const [factory, source] = list(item, item.a);
        this.#node(factory, next);
        const values = this.#node(source, next);
        if (item.t === N.NODE_ITERATOR_FACTORY_INSTANCE && values instanceof Sequence) return sequenceIterator(values);
        if (item.t === N.NODE_ASYNC_ITERATOR_FACTORY_INSTANCE && values instanceof EventStream) return streamIterator(values);
        throw unreadable(item, "an iterable without its values");
      }
      case N.NODE_STREAM_CONSTRUCTOR: {
        const stream = this.#keep(item, new EventStream(item.l === 1));
        this.#wait(item.i, stream);
        for (const event of list(item, item.a)) this.#node(event, next);
        return stream;
      }
      case N.NODE_STREAM_NEXT:
      case N.NODE_STREAM_THROW:
      case N.NODE_STREAM_RETURN: {
        const stream = this.#waitingFor(item, true) as EventStream;
        const value = this.#node(item.f, next);
        if (item.t === N.NODE_STREAM_NEXT) stream.next(value);
        else {
          item.t === N.NODE_STREAM_THROW ? stream.throw(value) : stream.return(value);
          this.#waiting?.delete(item.i);
        }
        return undefined;
      }
      case N.NODE_SEQUENCE: {
        const values = list(item, item.a);
        const index = (at: unknown) => Number.isInteger(at) && (at as number) >= -1 && (at as number) < values.length;
        if (!index(item.s) || !index(item.l)) throw unreadable(item, "a sequence whose ends are outside it");
        const sequence = this.#keep(item, new Sequence(item.s, item.l));
        for (const value of values) sequence.values.push(this.#node(value, next));
        return sequence;
      }
      case N.NODE_REGEXP:
        throw unreadable(item, "a RegExp (Sortie does not send them: a pattern from outside could take forever to match)");
      default:
        throw unreadable(item, "a kind of value Sortie does not send");
    }
  }

  /** Registers a value under the node's id (ids are the writer's, unique within a response). */
  #keep<T>(node: Node, value: T): T {
    const id = node.i;
    if (!Number.isInteger(id) || id < 0 || this.#values.has(id)) throw unreadable(node, "a missing or repeated id");
    this.#values.set(id, value);
    return value;
  }

  #wait(id: unknown, open: Deferred | EventStream): void {
    if (!Number.isInteger(id) || (id as number) < 0 || this.#waiting?.has(id as number)) throw new UnreadableValueError(`A waiting value has a missing or repeated id (${String(id)})`);
    this.#waiting?.set(id as number, open);
  }

  /** The open stream (or the waiting promise) a later record continues. */
  #waitingFor(node: Node, stream: boolean): Deferred | EventStream {
    const open = this.#waiting?.get(node.i);
    if (open === undefined || open instanceof EventStream !== stream) throw unreadable(node, "a later part of a value that is not waiting");
    return open;
  }

  /** A promise's value: settled values are never themselves thenable. */
  #settled(node: unknown, depth: number): unknown {
    const value = this.#node(node, depth);
    if (value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function") {
      throw unreadable(node, "a promise settled with another promise");
    }
    return value;
  }

  #properties(node: Node | undefined, target: object, depth: number): object {
    const keys = list(node, node?.k);
    const values = list(node, node?.v);
    for (let index = 0; index < keys.length; index++) {
      const rawKey = keys[index];
      const key = typeof rawKey === "string" ? readString(rawKey) : this.#node(rawKey, depth);
      if (typeof key === "symbol") {
        if (KEY_SYMBOLS.has(key)) (target as Record<symbol, unknown>)[key] = this.#node(values[index], depth);
      } else if (typeof key !== "string") throw unreadable(rawKey, "a property name that is not a string");
      else if (SHADOWING_KEYS.has(key)) Object.defineProperty(target, key, { value: this.#node(values[index], depth), configurable: true, enumerable: true, writable: true });
      else (target as Record<string, unknown>)[key] = this.#node(values[index], depth);
    }
    return target;
  }

  #plugin(node: Node, depth: number): unknown {
    const tag = readString(String(node.c));
    const plugin = this.#plugins.find((candidate) => candidate.tag === tag);
    if (!plugin?.deserialize || node.s === null || typeof node.s !== "object") throw unreadable(node, `a value of the unknown kind ${JSON.stringify(tag)}`);
    const context = { deserialize: (inner: unknown) => this.#node(inner, depth) };
    return this.#keep(node, plugin.deserialize(node.s, context as never, { id: node.i } as never));
  }
}

function list(node: unknown, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw unreadable(node, "a list that is not an array");
  return value;
}

function known<T>(node: Node, table: readonly T[]): T {
  const key = node.s;
  if (!Number.isInteger(key) || key < 0 || key >= table.length) throw unreadable(node, "an unknown constant");
  return table[key]!;
}

/** seroval's frozen (3), non-extensible (1) and sealed (2) flags. */
function lock<T extends object>(value: T, flag: unknown): T {
  return flag === 3 ? Object.freeze(value) : flag === 2 ? Object.seal(value) : flag === 1 ? Object.preventExtensions(value) : value;
}

// seroval writes strings escaped for embedding in a script: \" \\ \n \r \b \t \f \x3C \u2028 \u2029.
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", r: "\r", b: "\b", t: "\t", f: "\f" };
const ESCAPE = /\\(["\\nrbtf]|x3C|u2028|u2029)/g;

function readString(value: unknown): string {
  const text = String(value);
  if (!text.includes("\\")) return text;
  return text.replace(ESCAPE, (_, code: string) => ESCAPES[code] ?? (code === "x3C" ? "<" : code === "u2028" ? "\u2028" : "\u2029"));
}

function decodeBase64(text: string): ArrayBuffer {
  const bytes = atob(text);
  const buffer = new Uint8Array(bytes.length);
  for (let index = 0; index < bytes.length; index++) buffer[index] = bytes.charCodeAt(index);
  return buffer.buffer;
}

function unreadable(node: unknown, what: string): UnreadableValueError {
  let shown: string;
  try {
    shown = JSON.stringify(node)?.slice(0, 100) ?? String(node);
  } catch {
    shown = String(node);
  }
  return new UnreadableValueError(`A value could not be read: ${what} (${shown})`);
}
