/**
 * Sortie's seroval plugins: the web types values may hold, each as a small node that the
 * receiving side checks before it builds anything. They are Sortie's own (not
 * seroval-plugins/web) so the browser's argument encoder (common/args.ts) can write the same
 * nodes without seroval's serializer.
 */
import { createPlugin, type Plugin, type SerovalNode } from "seroval";
import { ServerError } from "./errors.ts";
import { outboundBinding, referenceInfo } from "./reference.ts";
import { readIssues, ValidationError, type ValidationIssue } from "./validation/validation-error.ts";

export const TAGS = {
  url: "sortie/url",
  search: "sortie/search",
  headers: "sortie/headers",
  form: "sortie/form",
  blob: "sortie/blob",
  error: "sortie/error",
  reference: "sortie/reference",
} as const;

/** What the client learns about an error: a deliberate one in full, any other one hidden in production. */
export interface ErrorPayload {
  message: string;
  status: number;
  data?: unknown;
  /** A ValidationError's issues (status 422). */
  issues?: readonly ValidationIssue[];
  /** Present when the message was hidden: the id the server logged the error under. */
  errorId?: string;
  /** Development only: the server's stack. */
  stack?: string;
}

type ParseContext = { parse(value: unknown): SerovalNode };

/** A plugin for `Type`: `fields` turns a value into plain data, `build` checks that data and makes the value again. */
function webPlugin<T>(tag: string, type: abstract new (...args: never[]) => T, fields: (value: T) => unknown, build: (data: unknown) => T): Plugin<T, { v: SerovalNode }> {
  const parse = (value: T, ctx: ParseContext) => ({ v: ctx.parse(fields(value)) });
  return createPlugin<T, { v: SerovalNode }>({
    tag,
    skipPlainObjects: true,
    test: (value) => value instanceof type,
    parse: { sync: parse, stream: parse },
    serialize: () => {
      throw new Error(`${tag} only travels as JSON`);
    },
    deserialize: (node, ctx) => build(ctx.deserialize(node.v)),
  });
}

class PluginInputError extends TypeError {
  override name = "PluginInputError";
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string") throw new PluginInputError(`${what} must be a string`);
  return value;
}

/** A list of [name, value] pairs whose values pass `check`. */
function pairs<V>(value: unknown, what: string, check: (item: unknown) => item is V): Array<[string, V]> {
  if (!Array.isArray(value) || !value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string" && check(pair[1]))) {
    throw new PluginInputError(`${what} must be a list of [name, value] pairs`);
  }
  return value as Array<[string, V]>;
}

const isString = (item: unknown): item is string => typeof item === "string";
const isFormValue = (item: unknown): item is string | Blob => typeof item === "string" || item instanceof Blob;

export const URL_PLUGIN = webPlugin(TAGS.url, URL, (url) => url.href, (data) => new URL(text(data, "A URL")));
export const SEARCH_PARAMS_PLUGIN = webPlugin(TAGS.search, URLSearchParams, String, (data) => new URLSearchParams(text(data, "URLSearchParams")));
export const HEADERS_PLUGIN = webPlugin(TAGS.headers, Headers, (headers) => [...headers], (data) => new Headers(pairs(data, "Headers", isString)));
export const FORM_DATA_PLUGIN = webPlugin(TAGS.form, FormData, (form) => [...form], (data) => {
  const form = new FormData();
  for (const [name, value] of pairs(data, "FormData", isFormValue)) form.append(name, value);
  return form;
});

/** Web types arguments may hold (Blob and File travel as multipart parts: blobPartPlugin). */
export const ARGUMENT_PLUGINS: Plugin<any, any>[] = [URL_PLUGIN, SEARCH_PARAMS_PLUGIN, HEADERS_PLUGIN, FORM_DATA_PLUGIN];

/**
 * What a result, a query value or an error may hold besides seroval's own types. The server
 * passes `describe`, which decides what the caller may see of an error (and logs the rest);
 * the client only reads. `references`: REFERENCE_PLUGIN where values are written, a
 * referenceReader where they are read.
 */
export function resultPlugins(describe: ((error: unknown) => ErrorPayload) | undefined, references: Plugin<Function, any>, streams: Plugin<any, any> = STREAM_READER): Plugin<any, any>[] {
  return [errorPlugin(describe), references, ...ARGUMENT_PLUGINS, streams];
}

// seroval's stream of chunks, as its reader builds it: listeners for each chunk, an error, the end.
interface ChunkStream {
  on(listener: { next(value: unknown): void; throw(error: unknown): void; return(): void }): void;
}
const claimedStreams = new WeakSet<object>();

/**
 * ReadableStreams in results, read back. The Worker writes them with seroval-plugins'
 * ReadableStreamPlugin (worker/endpoint/result-plugins.ts), whose node names a stream of
 * chunks; this is the reading half alone, so the browser does not carry the writing half.
 */
export const STREAM_READER = /* @__PURE__ */ createPlugin<ReadableStream, { stream: SerovalNode }>({
  tag: "seroval/plugins/web/ReadableStream",
  test: () => false,
  parse: {},
  serialize: () => {
    throw new Error("A ReadableStream only travels as JSON");
  },
  deserialize: (node, ctx) => {
    const chunks = ctx.deserialize(node.stream) as Partial<ChunkStream> | null;
    // One stream node feeds one ReadableStream: a second use of it is a malformed payload.
    if (typeof chunks?.on !== "function" || claimedStreams.has(chunks)) throw new PluginInputError("A ReadableStream must hold a stream of its own");
    claimedStreams.add(chunks);
    return new ReadableStream({
      start(controller) {
        (chunks as ChunkStream).on({
          next(value) {
            try {
              controller.enqueue(value);
            } catch {
              // The reader cancelled: later chunks have nowhere to go.
            }
          },
          throw: (error) => controller.error(error),
          return() {
            try {
              controller.close();
            } catch {
              // Already closed or cancelled.
            }
          },
        });
      },
    });
  },
});

/** A server-function reference as it travels to the browser: its id, sealed and clear bound arguments and, for a query, its key. */
export interface TravellingReference {
  id: string;
  bound: unknown[];
  sealed?: string;
  key?: string;
}


/** The fields of a reference, for a seroval node (args.ts writes the same). */
export function travellingReference(value: unknown): TravellingReference | undefined {
  const info = referenceInfo(value);
  if (!info) return undefined;
  const { sealed, bound } = outboundBinding(info, "value");
  return { id: info.id, bound: [...bound], ...(sealed !== undefined ? { sealed } : {}), ...(info.query ? { key: info.query.key } : {}) };
}

const parseReference = (value: Function, ctx: ParseContext) => ({ v: ctx.parse(travellingReference(value)) });

/**
 * Server functions and queries as values (an island's prop, a result, inside either), as the
 * Worker writes them. Reading them back is referenceReader()'s: the browser's makes stubs.
 * Arguments from a client never hold references: ARGUMENT_PLUGINS leaves both out, so a client
 * cannot hand server code a function to call.
 */
export const REFERENCE_PLUGIN = /* @__PURE__ */ createPlugin<Function, { v: SerovalNode }>({
  // The literal, not TAGS.reference: a property read would keep this plugin in bundles that never use it.
  tag: "sortie/reference",
  test: (value) => typeof value === "function" && referenceInfo(value) !== undefined,
  parse: { sync: parseReference, stream: parseReference },
  serialize: () => {
    throw new Error("sortie/reference only travels as JSON");
  },
  deserialize: () => {
    throw new PluginInputError("A server function reference cannot be read back here");
  },
});

/** Reads references back as `make` builds them: stubs in the browser (client/stub.ts), registered functions in the Worker (a flash it stored). */
export function referenceReader(make: (reference: TravellingReference) => Function): Plugin<Function, { v: SerovalNode }> {
  return createPlugin<Function, { v: SerovalNode }>({
    tag: TAGS.reference,
    test: () => false,
    parse: {},
    serialize: () => {
      throw new Error(`${TAGS.reference} only travels as JSON`);
    },
    deserialize: (node, ctx) => {
      const { id, bound, sealed, key } = (ctx.deserialize(node.v) ?? {}) as Partial<TravellingReference>;
      if (typeof id !== "string" || !Array.isArray(bound) || (key !== undefined && typeof key !== "string") || (sealed !== undefined && typeof sealed !== "string")) {
        throw new PluginInputError("A server function reference must hold an id, bound arguments and, for a query, a key");
      }
      return make({ id, bound, sealed, key });
    },
  });
}

/** Every Error in a value becomes, on the client, a ServerError with what `describe` let through. */
function errorPlugin(describe?: (error: unknown) => ErrorPayload): Plugin<Error, { p: SerovalNode }> {
  const parse = describe && ((error: Error, ctx: ParseContext) => ({ p: ctx.parse(describe(error)) }));
  return createPlugin<Error, { p: SerovalNode }>({
    tag: TAGS.error,
    skipPlainObjects: true,
    test: (value) => value instanceof Error,
    parse: parse ? { sync: parse, stream: parse } : {},
    serialize: () => {
      throw new Error(`${TAGS.error} only travels as JSON`);
    },
    deserialize: (node, ctx) => errorFromPayload(ctx.deserialize(node.p)),
  });
}

export function errorFromPayload(payload: unknown): ServerError {
  const { message, status, data, errorId, stack, issues } = (payload ?? {}) as Partial<ErrorPayload>;
  const text = typeof message === "string" ? message : "Server function failed";
  const checked = status === 422 ? readIssues(issues) : undefined;
  const error = checked ? new ValidationError(checked, text) : new ServerError(text, { status: typeof status === "number" ? status : 500, data });
  if (typeof errorId === "string") error.errorId = errorId;
  if (typeof stack === "string") error.stack = stack;
  return error;
}

/**
 * Blobs and Files inside arguments travel as their own multipart parts; the JSON holds a
 * node `{ i: index, f: isFile }` (written by common/args.ts). The server reads it back with
 * the parts it received.
 */
export function blobPartPlugin(parts: File[]): Plugin<Blob, { i: SerovalNode; f: SerovalNode }> {
  return createPlugin<Blob, { i: SerovalNode; f: SerovalNode }>({
    tag: TAGS.blob,
    skipPlainObjects: true,
    test: () => false,
    parse: {},
    serialize: () => {
      throw new Error(`${TAGS.blob} only travels as JSON`);
    },
    deserialize: (node, ctx) => {
      const index = ctx.deserialize<unknown>(node.i);
      if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= parts.length) {
        throw new PluginInputError(`the arguments point at file part ${JSON.stringify(index)}, but the request has ${parts.length}`);
      }
      const part = parts[index]!;
      // Multipart turns every part into a File; hand a Blob back where the caller sent one.
      return ctx.deserialize<unknown>(node.f) === true ? part : part.slice(0, part.size, part.type);
    },
  });
}
