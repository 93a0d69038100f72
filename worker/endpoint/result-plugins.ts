import type { Plugin } from "seroval";
import { ReadableStreamPlugin } from "seroval-plugins/web";
import { REFERENCE_PLUGIN, resultPlugins, type ErrorPayload } from "../../common/plugins.ts";

/**
 * The plugins the Worker writes results, query values and flashes with: errors as `describe`
 * lets them through, references (sealed where they must be), web types, and ReadableStreams
 * (seroval-plugins' writer; the browser reads them with common/plugins.ts STREAM_READER).
 */
export function writtenResults(describe: (error: unknown) => ErrorPayload): Plugin<any, any>[] {
  return resultPlugins(describe, REFERENCE_PLUGIN, ReadableStreamPlugin);
}
