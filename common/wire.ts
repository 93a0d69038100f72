/**
 * The wire protocol between client stubs and the Worker's endpoint (README: "Server functions:
 * the endpoint and wire protocol"). Values travel as seroval JSON, which is read back without
 * eval; both sides take their seroval options and record shapes from this file.
 */
import { createPlugin, Feature, toJSON, type Plugin, type SerovalNode } from "seroval";
import { FormDataPlugin, HeadersPlugin, ReadableStreamPlugin, URLPlugin, URLSearchParamsPlugin } from "seroval-plugins/web";
import { ServerError } from "./errors.ts";
import { ENDPOINT_PREFIX, type ReferenceInfo } from "./reference.ts";

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

/** seroval options for values from the other side: no RegExp (ReDoS), and only plain data. */
export const DISABLED_FEATURES = Feature.RegExp;

/** Web types arguments may hold (Blob and File go through `blobPartPlugin`). */
export const ARGUMENT_PLUGINS: Plugin<any, any>[] = [FormDataPlugin, URLPlugin, URLSearchParamsPlugin, HeadersPlugin];

/** What a result, a query value or an error may hold besides seroval's own types. */
export function resultPlugins(describe?: (error: unknown) => ErrorPayload): Plugin<any, any>[] {
  return [errorPlugin(describe), ...ARGUMENT_PLUGINS, ReadableStreamPlugin];
}

/** Why the endpoint refused a request (the `code` of an ErrorBody and the X-Sortie-Error header). */
export type ErrorCode =
  | "forbidden-origin"
  | "body-too-large"
  | "unsupported-content-type"
  | "malformed-arguments"
  | "too-deep"
  | "too-many-arguments"
  | "unknown-function"
  | "method-not-allowed";

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
 * Nodes are seroval cross-JSON sharing one reference space per response, so a later record
 * may point at an object an earlier one carried.
 */
export type WireRecord =
  | { r: SerovalNode }
  | { e: SerovalNode }
  | { l: string }
  | { n: SerovalNode }
  | { q: string; a: SerovalNode; v: SerovalNode }
  | { q: string; a: SerovalNode; e: SerovalNode };

/** A query's fresh value or error, as single flight produces it and client listeners get it. */
export type QueryRecord = { type: "query"; key: string; args: unknown[] } & ({ value: unknown } | { error: unknown });

/** What the client learns about an error: a deliberate one in full, any other one hidden in production. */
export interface ErrorPayload {
  message: string;
  status: number;
  data?: unknown;
  /** Present when the message was hidden: the id the server logged the error under. */
  errorId?: string;
  /** Development only: the server's stack. */
  stack?: string;
}

const ERROR_TAG = "sortie/error";

/**
 * Every Error in a result becomes a ServerError on the client. The server side passes
 * `describe`, which decides what the client may see (and logs the rest); the client only
 * deserializes.
 */
function errorPlugin(describe?: (error: unknown) => ErrorPayload): Plugin<Error, { p: SerovalNode }> {
  const parse = describe && ((error: Error, ctx: { parse(value: unknown): SerovalNode }) => ({ p: ctx.parse(describe(error)) }));
  return createPlugin<Error, { p: SerovalNode }>({
    tag: ERROR_TAG,
    skipPlainObjects: true,
    test: (value) => value instanceof Error,
    parse: parse ? { sync: parse, stream: parse } : {},
    serialize: () => {
      throw new Error(`${ERROR_TAG} only travels as JSON`);
    },
    deserialize: (node, ctx) => errorFromPayload(ctx.deserialize(node.p)),
  });
}

export function errorFromPayload(payload: unknown): ServerError {
  const { message, status, data, errorId, stack } = (payload ?? {}) as Partial<ErrorPayload>;
  const error = new ServerError(typeof message === "string" ? message : "Server function failed", {
    status: typeof status === "number" ? status : 500,
    data,
  });
  if (typeof errorId === "string") error.errorId = errorId;
  if (typeof stack === "string") error.stack = stack;
  return error;
}

const BLOB_TAG = "sortie/blob";

/**
 * Blobs and Files inside arguments travel as their own multipart parts; the JSON holds their
 * index. The client collects `parts` while encoding; the server passes the parts it received.
 */
export function blobPartPlugin(parts: Blob[]): Plugin<Blob, { i: SerovalNode; f: SerovalNode }> {
  return createPlugin<Blob, { i: SerovalNode; f: SerovalNode }>({
    tag: BLOB_TAG,
    skipPlainObjects: true,
    test: (value) => value instanceof Blob,
    parse: {
      sync: (blob, ctx) => ({ i: ctx.parse(parts.push(blob) - 1), f: ctx.parse(blob instanceof File) }),
    },
    serialize: () => {
      throw new Error(`${BLOB_TAG} only travels as JSON`);
    },
    deserialize: (node, ctx) => {
      const index = ctx.deserialize<unknown>(node.i);
      if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= parts.length) {
        throw new TypeError(`the arguments point at file part ${JSON.stringify(index)}, but the request has ${parts.length}`);
      }
      const part = parts[index]!;
      // Multipart turns every part into a File; hand a Blob back where the caller sent one.
      return ctx.deserialize<unknown>(node.f) === true ? part : part.slice(0, part.size, part.type);
    },
  });
}

/** `/_server/<id>`, plus `?bound=<seroval JSON>` when arguments are bound (so a plain form carries them). */
export function functionUrl(info: ReferenceInfo): string {
  const path = ENDPOINT_PREFIX + encodeURIComponent(info.id);
  return info.bound.length ? `${path}?bound=${encodeURIComponent(encodeArguments(info.bound))}` : path;
}

/** The seroval JSON text of an argument list without Blobs (URL parameters, bodies without files). */
export function encodeArguments(args: readonly unknown[], plugins = ARGUMENT_PLUGINS): string {
  return JSON.stringify(toJSON(args, { plugins, disabledFeatures: DISABLED_FEATURES }));
}
