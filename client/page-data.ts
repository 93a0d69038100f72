import { readJSON } from "../common/reader/read.ts";
import { resultPlugins } from "../common/wire.ts";
import { STUB_REFERENCES } from "./stub.ts";

/** The `[cacheKey, value]` pairs the Worker embedded in the page (worker/pages/page-data.ts): plain JSON under `j`, else seroval JSON. */
export function decodePageData(text: string): Array<[string, unknown]> {
  const data = JSON.parse(text);
  return "j" in data ? data.j : readJSON(data, resultPlugins(undefined, STUB_REFERENCES));
}
