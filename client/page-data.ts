import { fromJSON, type SerovalJSON } from "seroval";
import { DISABLED_FEATURES, resultPlugins } from "../common/wire.ts";

/** The `[cacheKey, value]` pairs the Worker embedded in the page (worker/pages/page-data.ts). */
export function decodePageData(text: string): Array<[string, unknown]> {
  return fromJSON(JSON.parse(text) as SerovalJSON, { plugins: resultPlugins(), disabledFeatures: DISABLED_FEATURES });
}
