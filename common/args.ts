/**
 * Writes argument lists as seroval JSON text (`{ t, f, m }`, what seroval's `fromJSON` reads on the
 * server) without seroval's serializer: that is the largest part of seroval, and every page
 * that calls a server function would carry it. Arguments are plain data, so a small walk does.
 * The web types use Sortie's plugin nodes (common/plugins.ts).
 */
import { TAGS, type TravellingReference } from "./plugins.ts";
import { referenceInfo } from "./reference.ts";
import {
  CONSTANT_FALSE,
  CONSTANT_INFINITY,
  CONSTANT_NAN,
  CONSTANT_NEGATIVE_INFINITY,
  CONSTANT_NEGATIVE_ZERO,
  CONSTANT_NULL,
  CONSTANT_TRUE,
  CONSTANT_UNDEFINED,
  NODE_ARRAY,
  NODE_ARRAY_BUFFER,
  NODE_BIGINT,
  NODE_BIGINT_TYPED_ARRAY,
  NODE_CONSTANT,
  NODE_DATE,
  NODE_INDEXED_VALUE,
  NODE_MAP,
  NODE_NULL_CONSTRUCTOR,
  NODE_NUMBER,
  NODE_OBJECT,
  NODE_PLUGIN,
  NODE_SET,
  NODE_STRING,
  NODE_TYPED_ARRAY,
} from "./seroval-nodes.ts";

/** An argument Sortie cannot send. */
export class ArgumentTypeError extends TypeError {
  override name = "ArgumentTypeError";
}

const constant = (s: number): string => `{"t":${NODE_CONSTANT},"s":${s}}`;

/**
 * The seroval JSON text of a primitive's node (string, number, boolean, null, undefined,
 * BigInt), or undefined for anything else. Primitives read the same in seroval's plain and
 * cross JSON.
 */
export function primitiveJSON(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      // seroval reads a string with no backslash as is; escaping backslashes is all it needs.
      return `{"t":${NODE_STRING},"s":${JSON.stringify(value.replaceAll("\\", "\\\\"))}}`;
    case "number":
      if (Object.is(value, -0)) return constant(CONSTANT_NEGATIVE_ZERO);
      if (Number.isNaN(value)) return constant(CONSTANT_NAN);
      // A finite number's text is what JSON.stringify writes for it.
      return Number.isFinite(value) ? `{"t":${NODE_NUMBER},"s":${value}}` : constant(value > 0 ? CONSTANT_INFINITY : CONSTANT_NEGATIVE_INFINITY);
    case "boolean":
      return constant(value ? CONSTANT_TRUE : CONSTANT_FALSE);
    case "undefined":
      return constant(CONSTANT_UNDEFINED);
    case "bigint":
      return `{"t":${NODE_BIGINT},"s":"${value}"}`;
    case "object":
      return value === null ? constant(CONSTANT_NULL) : undefined;
  }
  return undefined;
}

/**
 * The seroval JSON text of `args`, written as text (no node objects to build and stringify:
 * page data and every call pay for this). Blobs and Files are collected into `blobs` (their
 * own multipart parts); without `blobs` (URL parameters) they are refused. `exact` refuses
 * what this writer would not keep (a frozen, sealed or non-extensible object's flag, symbol
 * keys), for a caller that falls back to seroval's writer then.
 */
export function argumentsJSON(args: readonly unknown[], blobs?: Blob[], references?: (value: unknown) => TravellingReference | undefined, exact = false): string {
  const ids = new Map<object, number>();
  const shared = new Set<number>();

  const encode = (value: unknown): string => {
    const primitive = primitiveJSON(value);
    if (primitive !== undefined) return primitive;
    if (typeof value === "object") return reference(value!);
    const travelling = references?.(value);
    if (travelling) return reference(value as Function, travelling);
    throw new ArgumentTypeError(
      referenceInfo(value) ? "A server function reference cannot be an argument: call it, or pass what it needs" : `A ${typeof value} cannot be a server function argument`,
    );
  };

  const list = (values: Iterable<unknown>): string => {
    let text = "";
    for (const value of values) text += (text && ",") + encode(value);
    return text;
  };

  // Objects get ids; a second sighting (shared or cyclic) becomes a reference to the first.
  const reference = (value: object, travelling?: TravellingReference): string => {
    const seen = ids.get(value);
    if (seen !== undefined) {
      shared.add(seen);
      return `{"t":${NODE_INDEXED_VALUE},"i":${seen}}`;
    }
    const i = ids.size;
    ids.set(value, i);
    return travelling ? plugin(TAGS.reference, i, travelling) : object(value, i);
  };

  const plugin = (c: string, i: number, v: unknown): string => `{"t":${NODE_PLUGIN},"i":${i},"c":"${c}","s":{"v":${encode(v)}}}`;

  const object = (value: object, i: number): string => {
    if (exact && hasFlagsOrSymbolKeys(value)) throw new ArgumentTypeError("Not plain data");
    if (Array.isArray(value)) {
      let items = "";
      // A hole is written as 0, which seroval reads as a hole.
      for (let k = 0; k < value.length; k++) items += (k ? "," : "") + (k in value ? encode(value[k]) : "0");
      return `{"t":${NODE_ARRAY},"i":${i},"a":[${items}],"o":0}`;
    }
    // Plain objects, the most common, before the class checks.
    const prototype = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) {
      let names = "";
      let values = "";
      // Each value read (a getter runs) as it is written.
      for (const key of Object.keys(value)) {
        names += (names && ",") + JSON.stringify(key.replaceAll("\\", "\\\\"));
        values += (values && ",") + encode((value as Record<string, unknown>)[key]);
      }
      return `{"t":${prototype ? NODE_OBJECT : NODE_NULL_CONSTRUCTOR},"i":${i},"p":{"k":[${names}],"v":[${values}]},"o":0}`;
    }
    // Escaped like any text: a subclass may write anything as its ISO string.
    if (value instanceof Date) return `{"t":${NODE_DATE},"i":${i},"s":${JSON.stringify(Number.isNaN(value.getTime()) ? "" : String(value.toISOString()))}}`;
    // A Map's keys are all written before its values, as seroval numbers them.
    if (value instanceof Map) return `{"t":${NODE_MAP},"i":${i},"e":{"k":[${list(value.keys())}],"v":[${list(value.values())}]}}`;
    if (value instanceof Set) return `{"t":${NODE_SET},"i":${i},"a":[${list(value)}]}`;
    if (value instanceof ArrayBuffer) return `{"t":${NODE_ARRAY_BUFFER},"i":${i},"s":"${base64(new Uint8Array(value))}"}`;
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const view = value as unknown as { constructor: { name: string }; buffer: ArrayBuffer; byteOffset: number; length: number };
      const bigint = value instanceof BigInt64Array || value instanceof BigUint64Array;
      return `{"t":${bigint ? NODE_BIGINT_TYPED_ARRAY : NODE_TYPED_ARRAY},"i":${i},"c":${JSON.stringify(String(view.constructor.name))},"f":${encode(view.buffer)},"b":${view.byteOffset},"l":${view.length}}`;
    }
    if (value instanceof Blob) {
      if (!blobs) throw new ArgumentTypeError("A Blob or File cannot be a bound argument (bound arguments travel in the URL)");
      return `{"t":${NODE_PLUGIN},"i":${i},"c":"${TAGS.blob}","s":{"i":${encode(blobs.push(value) - 1)},"f":${encode(value instanceof File)}}}`;
    }
    if (value instanceof URL) return plugin(TAGS.url, i, value.href);
    if (value instanceof URLSearchParams) return plugin(TAGS.search, i, String(value));
    if (value instanceof Headers) return plugin(TAGS.headers, i, [...value]);
    if (value instanceof FormData) return plugin(TAGS.form, i, [...value]);
    throw new ArgumentTypeError(
      `A ${prototype?.constructor?.name ?? "class instance"} cannot be a server function argument: send plain objects, arrays, strings, numbers, booleans, null, undefined, BigInt, Date, Map, Set, typed arrays, URL, URLSearchParams, Headers, FormData, Blob or File`,
    );
  };

  const t = encode(args);
  return `{"t":${t},"f":0,"m":[${[...shared]}]}`;
}

/** Frozen, sealed or not extensible, or keyed by symbols: what neither this writer nor JSON keeps. */
export function hasFlagsOrSymbolKeys(value: object): boolean {
  return !Object.isExtensible(value) || Object.getOwnPropertySymbols(value).length > 0;
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
