import { toJSON } from "seroval";
import { DISABLED_FEATURES, type ErrorPayload } from "../../common/wire.ts";
import { ArgumentTypeError, argumentsJSON } from "../../common/args.ts";
import { travellingReference } from "../../common/plugins.ts";
import { writtenResults } from "../endpoint/result-plugins.ts";
import { settleQueries, type QueryCall } from "../queries/query-cache.ts";
import { sealReferencesIn } from "../references/sealing.ts";
import type { RequestEvent } from "../request/context.ts";
import { documentData } from "./document.tsx";

/**
 * The page's query results as the document's data element, once the preload and every query
 * the render started settled. A query's value may hold references whose values travel
 * sealed: sealed before encoding.
 */
export async function pageData(event: RequestEvent, describe: (error: unknown) => ErrorPayload, preloading: Promise<unknown> | undefined): Promise<string> {
  await preloading;
  const calls = await settleQueries(event);
  await sealReferencesIn(calls.map((call) => (call.outcome?.ok ? call.outcome.value : undefined)), event);
  return documentData(encodePageData(calls, describe));
}

/**
 * The page's query results for `<script type="application/json" id="sortie-data">`: the
 * seroval JSON of `[cacheKey, value][]`, so the client cache starts warm. Failed calls are
 * left out (the client reads them again if it needs them). seroval escapes the strings it
 * writes, but not every field a plugin writes, so every `<` of the text becomes `\u003c`
 * (which JSON reads back unchanged): no value can close the script element.
 */
export function encodePageData(calls: readonly QueryCall[], describe: (error: unknown) => ErrorPayload): string {
  const entries = calls.flatMap((call) => (call.outcome?.ok ? [[call.cacheKey, call.outcome.value]] : []));
  let json: string;
  try {
    // Plain data (most query results) with the small writer the browser's stubs use; anything
    // it would not keep exactly (errors, promises, class instances, frozen objects) with seroval's.
    json = argumentsJSON(entries, undefined, travellingReference, true);
  } catch (error) {
    if (!(error instanceof ArgumentTypeError)) throw error;
    json = JSON.stringify(toJSON(entries, { plugins: writtenResults(describe), disabledFeatures: DISABLED_FEATURES }));
  }
  return json.replaceAll("<", "\\u003c");
}
