import { fromJSON, type SerovalJSON } from "seroval";
import { DISABLED_FEATURES, resultPlugins } from "../common/wire.ts";
import { STUB_REFERENCES } from "./stub.ts";

/** The `[cacheKey, value]` pairs the Worker embedded in the page (worker/pages/page-data.ts). */
export function decodePageData(text: string): Array<[string, unknown]> {
  return fromJSON(JSON.parse(text) as SerovalJSON, { plugins: resultPlugins(undefined, STUB_REFERENCES), disabledFeatures: DISABLED_FEATURES });
}
