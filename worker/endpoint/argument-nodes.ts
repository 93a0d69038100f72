import * as N from "../../common/seroval-nodes.ts";
import { MalformedArgumentsError } from "../request/errors.ts";

// seroval node types that argument values may use: what the browser's encoder
// (common/args.ts) writes. Anything else would hand the function a Promise or stream that
// never settles, an iterator, an Error or a symbol: not data a caller can send.
const ACCEPTED = new Set<number>([
  N.NODE_NUMBER,
  N.NODE_STRING,
  N.NODE_CONSTANT,
  N.NODE_BIGINT,
  N.NODE_INDEXED_VALUE,
  N.NODE_DATE,
  N.NODE_SET,
  N.NODE_MAP,
  N.NODE_ARRAY,
  N.NODE_OBJECT,
  N.NODE_NULL_CONSTRUCTOR,
  N.NODE_TYPED_ARRAY,
  N.NODE_BIGINT_TYPED_ARRAY,
  N.NODE_ARRAY_BUFFER,
  N.NODE_PLUGIN, // Sortie's URL, URLSearchParams, Headers, FormData, Blob and File (common/plugins.ts)
]);

const REFUSED = new Map<number, string>([
  [N.NODE_REGEXP, "a RegExp"],
  [N.NODE_PROMISE, "a Promise"],
  [N.NODE_ERROR, "an Error"],
  [N.NODE_AGGREGATE_ERROR, "an AggregateError"],
  [N.NODE_WELL_KNOWN_SYMBOL, "a symbol"],
  [N.NODE_REFERENCE, "a reference to a server-side value"],
  [N.NODE_DATA_VIEW, "a DataView"],
  [N.NODE_BOXED, "a boxed primitive (new Number, new String…)"],
  [N.NODE_PROMISE_CONSTRUCTOR, "a Promise"],
  [N.NODE_PROMISE_SUCCESS, "a Promise"],
  [N.NODE_PROMISE_FAILURE, "a Promise"],
  [N.NODE_SPECIAL_REFERENCE, "a Promise, iterator or stream"],
  [N.NODE_ITERATOR_FACTORY, "an iterable"],
  [N.NODE_ITERATOR_FACTORY_INSTANCE, "an iterable"],
  [N.NODE_ASYNC_ITERATOR_FACTORY, "an async iterable"],
  [N.NODE_ASYNC_ITERATOR_FACTORY_INSTANCE, "an async iterable"],
  [N.NODE_STREAM_CONSTRUCTOR, "a stream"],
  [N.NODE_STREAM_NEXT, "a stream"],
  [N.NODE_STREAM_THROW, "a stream"],
  [N.NODE_STREAM_RETURN, "a stream"],
  [N.NODE_SEQUENCE, "an iterable"],
  [N.NODE_TEMPORAL, "a Temporal value"],
]);

const INDEXED_VALUE = N.NODE_INDEXED_VALUE;

/**
 * Throws unless every node in `root` (parsed seroval JSON) is of a type arguments may hold,
 * and the value, with every shared reference followed, stays within `budget`.
 *
 * Size is counted as one per node plus the length of each string, once per place the value
 * appears: a reference (`{ t: 4, i }`) to an earlier node weighs what that node weighs, so
 * 22 levels of "an array holding the previous level twice" weigh 2^22, not 22. That is the
 * work any walk of the decoded value as a tree (a query key, JSON.stringify in the function)
 * would do; within the budget, that work is bounded by the budget. A reference back to a node
 * that contains it (a cycle) adds one: a tree walk could not finish it anyway, and query keys
 * refuse it. Runs before seroval builds anything, on explicit stacks, so deep input cannot
 * overflow the call stack; each node is weighed once (memoised per id), so the check itself
 * costs one pass over the payload.
 */
export function checkArgumentNodes(root: unknown, where: string, budget: number): void {
  let size = 0;
  let references = false;
  const stack = [root];
  while (stack.length) {
    const value = stack.pop() as Record<string, unknown>;
    size++;
    // Arrays by index: for…in over an array costs twenty times more, on every call.
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item === "object" && item !== null) stack.push(item);
        else if (typeof item === "string") size += item.length;
      }
      continue;
    }
    const t = value.t;
    if (typeof t === "number" && !ACCEPTED.has(t)) throw refusal(t, where);
    if (t === INDEXED_VALUE) references = true;
    for (const key in value) {
      const item = value[key];
      if (typeof item === "object" && item !== null) stack.push(item);
      else if (typeof item === "string") size += item.length;
    }
  }
  if (size > budget) throw tooLarge(where, budget);
  // Without references the value is the payload itself: the one pass above weighed it.
  if (references) weighExpanded(root, where, budget);
}

/** What a node weighs on its own (itself and its strings) and the nodes directly inside it. */
function split(value: Record<string, unknown>): { own: number; inside: unknown[] } {
  let own = 1;
  const inside: unknown[] = [];
  const items = Array.isArray(value) ? value : Object.values(value);
  for (const item of items) {
    if (typeof item === "object" && item !== null) inside.push(item);
    else if (typeof item === "string") own += item.length;
  }
  return { own, inside };
}

interface Frame {
  node: Record<string, unknown>;
  /** The node's id when references may point at it. */
  id: number | undefined;
  inside: unknown[];
  next: number;
  total: number;
}

function weighExpanded(root: unknown, where: string, budget: number): void {
  // Every node with an id, so a reference can be weighed wherever it appears.
  const byId = new Map<number, Record<string, unknown>>();
  const pending = [root];
  while (pending.length) {
    const value = pending.pop() as Record<string, unknown>;
    if (!Array.isArray(value) && typeof value.t === "number" && value.t !== INDEXED_VALUE && typeof value.i === "number") byId.set(value.i, value);
    for (const item of Array.isArray(value) ? value : Object.values(value)) if (typeof item === "object" && item !== null) pending.push(item);
  }

  const weight = new Map<number, number>(); // id → weight, once known
  const open = new Set<number>(); // ids being weighed (a reference to one of them is a cycle)
  const frame = (node: Record<string, unknown>): Frame => {
    const id = !Array.isArray(node) && typeof node.t === "number" && typeof node.i === "number" ? node.i : undefined;
    if (id !== undefined) open.add(id);
    const { own, inside } = split(node);
    return { node, id, inside, next: 0, total: own };
  };
  const stack: Frame[] = [frame(root as Record<string, unknown>)];
  let result = 0;
  while (stack.length) {
    const top = stack.at(-1)!;
    if (top.next === top.inside.length) {
      stack.pop();
      if (top.id !== undefined) {
        open.delete(top.id);
        weight.set(top.id, top.total);
      }
      if (stack.length) stack.at(-1)!.total += top.total;
      else result = top.total;
      if (result > budget || (stack.length && stack.at(-1)!.total > budget)) throw tooLarge(where, budget);
      continue;
    }
    const child = top.inside[top.next++] as Record<string, unknown>;
    const referenced = !Array.isArray(child) && child.t === INDEXED_VALUE && typeof child.i === "number" ? child.i : undefined;
    const id = referenced ?? (!Array.isArray(child) && typeof child.t === "number" && typeof child.i === "number" ? child.i : undefined);
    if (id !== undefined && weight.has(id)) {
      top.total += weight.get(id)!;
    } else if (referenced !== undefined && open.has(referenced)) {
      top.total += 1; // a cycle
    } else if (referenced !== undefined) {
      const target = byId.get(referenced);
      if (!target) throw new MalformedArgumentsError(`${where} is not valid seroval JSON: it holds a reference to a value the payload does not contain`);
      stack.push(frame(target));
    } else {
      stack.push(frame(child));
    }
    if (top.total > budget) throw tooLarge(where, budget);
  }
}

function tooLarge(where: string, budget: number): MalformedArgumentsError {
  return new MalformedArgumentsError(
    `${where} is too large once its shared references are followed: over ${budget} (one per value plus the length of each string, a referenced value counted wherever it appears; the maxExpandedSize option)`,
    "too-large",
  );
}

function refusal(t: number, where: string): MalformedArgumentsError {
  const what = REFUSED.get(t);
  if (!what) return new MalformedArgumentsError(`${where} is not valid seroval JSON: it holds a node of a type seroval does not know (t: ${t})`);
  return new MalformedArgumentsError(
    `${where} holds ${what}, which arguments do not accept: send plain data (JSON values, undefined, BigInt, Date, Map, Set, ArrayBuffer, typed arrays, URL, URLSearchParams, Headers, FormData, Blob, File)`,
  );
}
