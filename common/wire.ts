/**
 * The wire protocol between client stubs and the Worker's endpoint (docs/wire-protocol.md).
 * Values travel as seroval JSON, which is read back without
 * eval; both sides take their seroval options and record shapes from this file.
 */
import type { Feature, SerovalNode } from "seroval";
import { argumentsJSON } from "./args.ts";
import { ENDPOINT_PREFIX, outboundBinding, type ReferenceInfo } from "./reference.ts";

export { ARGUMENT_PLUGINS, resultPlugins, type ErrorPayload } from "./plugins.ts";
import type { TravellingReference } from "./plugins.ts";

/** Marks a call made by a client stub (`1`); a request without it is a plain HTML form post. */
export const CALL_HEADER = "X-Sortie";
/** The page the call was made from (path and query), for single flight. */
export const PAGE_HEADER = "X-Sortie-Page";
/** On a refused request: the error code, also in the JSON body. */
export const ERROR_HEADER = "X-Sortie-Error";
/** The response body: one JSON record per line (see WireRecord). */
export const STREAM_TYPE = "application/x-sortie-stream";
/** Multipart calls: the seroval JSON of the arguments … */
export const ARGS_FIELD = "$args";
/** … and every Blob or File among them, in order, referenced from the JSON by index. */
export const BLOB_FIELD = "$blob";

/**
 * seroval options for values from the other side: no RegExp (ReDoS), and only plain data.
 * Feature.RegExp as a literal the compiler checks: reading seroval's Feature enum would keep
 * the whole enum in the browser's bundle, which never uses it.
 */
export const DISABLED_FEATURES = 32 satisfies Feature.RegExp;

/** Why the endpoint refused a request (the `code` of an ErrorBody and the X-Sortie-Error header). */
export type ErrorCode =
  | "forbidden-origin"
  | "body-too-large"
  | "unsupported-content-type"
  | "malformed-arguments"
  | "too-deep"
  | "too-many-arguments"
  | "too-large"
  | "too-many-fields"
  | "request-timeout"
  | "unknown-function"
  | "method-not-allowed"
  | "bad-seal"
  | "stale-reference";

/** The JSON body of a refused request (before any function ran). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/**
 * One line of a response body; its first key names its kind.
 * - `r`: the function's result (always the first record of a successful call)
 * - `e`: the function failed; the error (a ServerError on the client). First record when the
 *   call failed; later, a failure while streaming a value already sent.
 * - `l`: the function redirected, to this same-origin location
 * - `n`: a later part of a value already sent (a promise settling, a stream chunk)
 * - `q` + `a` + `v` or `e`: a query's key, arguments, and fresh value or error (single flight)
 * - `t`: Server-Timing of what streamed after the headers (when on), last; clients skip it
 * Nodes are seroval cross-JSON sharing one reference space per response, so a later record
 * may point at an object an earlier one carried.
 */
export type WireRecord =
  | { r: SerovalNode }
  | { e: SerovalNode }
  | { l: string }
  | { n: SerovalNode }
  | { q: string; a: SerovalNode; v: SerovalNode }
  | { q: string; a: SerovalNode; e: SerovalNode }
  | { t: string };

/** A query's fresh value or error, as single flight produces it and client listeners get it. */
export type QueryRecord = { type: "query"; key: string; args: unknown[] } & ({ value: unknown } | { error: unknown });

/**
 * `/_server/<id>`, plus `?sealed=<token>` for sealed leading arguments and `?bound=<seroval JSON>`
 * for the bound arguments in clear (so a plain form carries them).
 */
export function functionUrl(info: ReferenceInfo): string {
  const path = ENDPOINT_PREFIX + encodeURIComponent(info.id);
  const { sealed, bound } = outboundBinding(info, "url");
  const parameters: string[] = [];
  if (sealed !== undefined) parameters.push(`sealed=${encodeURIComponent(sealed)}`);
  if (bound.length) parameters.push(`bound=${encodeURIComponent(encodeArguments(bound))}`);
  return parameters.length ? `${path}?${parameters.join("&")}` : path;
}

/**
 * The seroval JSON text of an argument list; Blobs go to `blobs` (refused without it: URL
 * parameters). `references` writes the server-function references among the values (an
 * island's props, which the Worker writes: travellingReference); arguments a client sends never hold one.
 */
export function encodeArguments(args: readonly unknown[], blobs?: Blob[], references?: (value: unknown) => TravellingReference | undefined): string {
  return argumentsJSON(args, blobs, references);
}
