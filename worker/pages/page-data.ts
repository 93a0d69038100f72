import { toJSON } from "seroval";
import { DISABLED_FEATURES, type ErrorPayload } from "../../common/wire.ts";
import { ArgumentTypeError, argumentsJSON, hasFlagsOrSymbolKeys } from "../../common/args.ts";
import { travellingReference } from "../../common/plugins.ts";
import { writtenResults } from "../endpoint/result-plugins.ts";
import { settleQueries, type QueryCall } from "../queries/query-cache.ts";
import { maySeal, sealReferencesIn } from "../references/sealing.ts";
import type { RequestEvent } from "../request/context.ts";
import { documentData } from "./document.tsx";
import { MAX_DEPTH } from "../../common/reader/read.ts";

/**
 * The page's query results as the document's data element, once the preload and every query
 * the render started settled. A query's value may hold references whose values travel
 * sealed: sealed before encoding.
 */
export async function pageData(event: RequestEvent, describe: (error: unknown) => ErrorPayload, preloading: Promise<unknown> | undefined): Promise<string> {
  await preloading;
  const calls = await settleQueries(event);
  // Not awaited where nothing can be sealed: each await is a microtask turn of the page's writer.
  if (maySeal(event)) await sealReferencesIn(calls.map((call) => (call.outcome?.ok ? call.outcome.value : undefined)), event);
  return documentData(encodePageData(calls, describe));
}

/**
 * The page's query results for `<script type="application/json" id="sortie-data">`, the
 * `[cacheKey, value][]` the client cache starts warm with. Failed calls are left out (the
 * client reads them again if it needs them). Three writers, the cheapest that keeps the
 * values exactly:
 * - `{"j": entries}`, plain JSON, when JSON reads every value back the same (isPlainJSON:
 *   most query results, rows of D1);
 * - else seroval JSON by the small writer the browser's stubs use (Dates, Maps, shared
 *   objects, undefined…);
 * - else seroval's own writer (errors, promises, class instances, frozen objects).
 * Not every field a plugin writes is escaped, so every `<` of the text becomes `\u003c`
 * (which JSON reads back unchanged): no value can close the script element.
 */
export function encodePageData(calls: readonly QueryCall[], describe: (error: unknown) => ErrorPayload): string {
  const entries: [string, unknown][] = [];
  const seen = new Set<object>();
  let plain = true;
  for (const call of calls) {
    if (!call.outcome?.ok) continue;
    entries.push([call.cacheKey, call.outcome.value]);
    // The entries and their pairs are this function's own arrays: only the values need the
    // check, at their depth in the entries (2), which the browser's reader counts.
    plain &&= isPlainJSON(call.outcome.value, seen, 2);
  }
  let json: string;
  try {
    json = plain ? JSON.stringify({ j: entries }) : argumentsJSON(entries, undefined, travellingReference, true);
  } catch (error) {
    if (!(error instanceof ArgumentTypeError)) throw error;
    json = JSON.stringify(toJSON(entries, { plugins: writtenResults(describe), disabledFeatures: DISABLED_FEATURES }));
  }
  return json.includes("<") ? json.replaceAll("<", "\\u003c") : json;
}

/**
 * Whether JSON reads `value` back the same: strings, booleans, null, finite numbers but -0,
 * arrays without holes and plain objects (Object's prototype, extensible, no symbol keys, no
 * `toJSON` of their own or inherited), each object once (JSON would copy a shared one and fail
 * on a cycle), no deeper than the browser's reader reads (a deeper one takes the writer and
 * meets the reader's limit, as before). It reads the values as JSON.stringify will read them
 * again: a getter in a query's value runs twice, and one that answers differently the second
 * time reaches the page as JSON writes its answer.
 */
function isPlainJSON(value: unknown, seen: Set<object>, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > MAX_DEPTH || seen.has(value)) return false;
  seen.add(value);
  if (hasFlagsOrSymbolKeys(value) || "toJSON" in value) return false;
  if (Array.isArray(value)) {
    // A hole reads as undefined, which is not plain.
    for (let index = 0; index < value.length; index++) if (!isPlainJSON(value[index], seen, depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key of Object.keys(value)) if (!isPlainJSON((value as Record<string, unknown>)[key], seen, depth + 1)) return false;
  return true;
}
