import { readJSON } from "../common/reader/read.ts";
import { resultPlugins } from "../common/wire.ts";
import { STUB_REFERENCES } from "./stub.ts";

/** The `[cacheKey, value]` pairs the Worker embedded in the page (worker/pages/page-data.ts). */
export function decodePageData(text: string): Array<[string, unknown]> {
  return readJSON(JSON.parse(text), resultPlugins(undefined, STUB_REFERENCES));
}
