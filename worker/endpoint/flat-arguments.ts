import type { SerovalJSON } from "seroval";
import * as N from "../../common/seroval-nodes.ts";

// What seroval's constant nodes stand for (its own table is not exported).
const CONSTANTS = new Map<unknown, unknown>([
  [N.CONSTANT_NULL, null],
  [N.CONSTANT_UNDEFINED, undefined],
  [N.CONSTANT_TRUE, true],
  [N.CONSTANT_FALSE, false],
  [N.CONSTANT_NEGATIVE_ZERO, -0],
  [N.CONSTANT_INFINITY, Infinity],
  [N.CONSTANT_NEGATIVE_INFINITY, -Infinity],
  [N.CONSTANT_NAN, NaN],
]);

interface Node {
  t?: unknown;
  i?: unknown;
  s?: unknown;
  a?: unknown;
  o?: unknown;
}

/**
 * The argument list when it is flat: numbers, strings without a backslash and constants (most
 * calls: ids, counts, names). Read without seroval's deserializer, whose context costs more
 * than the values; the same values `fromJSON` gives. Undefined for anything else, or anything
 * seroval would read differently or refuse, which then goes to seroval.
 */
export function flatArguments(json: SerovalJSON): unknown[] | undefined {
  const root = json.t as Node;
  const items = root.a;
  if (root.t !== N.NODE_ARRAY || json.m.length !== 0 || !Array.isArray(items)) return undefined;
  if (!Number.isInteger(root.i) || (root.i as number) < 0 || (root.o !== 0 && root.o !== undefined)) return undefined;
  const args: unknown[] = new Array(items.length);
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as Node | null;
    if (typeof item !== "object" || item === null) return undefined; // a hole, or malformed
    const { t, s } = item;
    if (t === N.NODE_NUMBER && typeof s === "number") args[index] = s;
    else if (t === N.NODE_STRING && typeof s === "string" && !s.includes("\\")) args[index] = s;
    else if (t === N.NODE_CONSTANT && CONSTANTS.has(s)) args[index] = CONSTANTS.get(s);
    else return undefined;
  }
  return args;
}
