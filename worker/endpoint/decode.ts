import {
  fromJSON,
  SerovalConflictedNodeIdError,
  SerovalDepthLimitError,
  SerovalMalformedNodeError,
  SerovalMissingPluginError,
  SerovalMissingReferenceForIdError,
  SerovalPluginValidationError,
  SerovalUnsupportedNodeError,
  type Plugin,
  type SerovalJSON,
} from "seroval";
import { ARGUMENT_PLUGINS, blobPartPlugin } from "../../common/plugins.ts";
import { checkArgumentNodes } from "./argument-nodes.ts";
import { flatArguments } from "./flat-arguments.ts";
import { ARGS_FIELD, BLOB_FIELD, DISABLED_FEATURES, encodeArguments } from "../../common/wire.ts";
import { readBody, readBodyText, type BodyLimits } from "./body.ts";
import { MalformedArgumentsError, UnsupportedContentTypeError } from "../request/errors.ts";

export interface DecodeLimits extends BodyLimits {
  maxDepth: number;
  maxArgs: number;
  /** Budget of the arguments' size with shared references followed (argument-nodes.ts). */
  maxExpandedSize: number;
  /** Most fields of a form body (a plain form post, or a multipart stub call). */
  maxFormFields: number;
}

/** How the request calls the function (see endpoint.ts). */
export type CallKind = "stub" | "form" | "read";

/** A request's arguments, and what a form's flash is matched by. */
export interface DecodedCall {
  readonly args: unknown[];
  /** How many leading arguments came sealed (`?sealed=`). */
  readonly sealed: number;
  /** The bound arguments (sealed and clear) as seroval JSON, or undefined when none: what `useSubmission(fn.with(…))` compares. */
  readonly boundKey: string | undefined;
}

/**
 * The arguments a request passes: the sealed ones from `?sealed=` (opened by `open`), the bound
 * ones from `?bound=`, then the call's own — seroval JSON in `?args=` (a read), in the body (a
 * stub call, JSON or multipart), or the posted FormData itself (a plain HTML form, so
 * `fn(...bound, formData)`).
 */
export async function decodeArguments(request: Request, kind: CallKind, limits: DecodeLimits, open: (sealed: string) => Promise<string>): Promise<DecodedCall> {
  const url = request.url.includes("?") ? new URL(request.url) : undefined;
  const boundText = url ? url.searchParams.get("bound") : null;
  const sealedText = url ? url.searchParams.get("sealed") : null;
  const bound = boundText === null ? [] : parseArguments(boundText, "?bound=", limits);
  const sealed = sealedText === null ? [] : parseArguments(await open(sealedText), "The sealed arguments", limits);
  const own = kind === "read" ? readArguments(url, limits) : await bodyArguments(request, kind, limits);
  const args = sealed.length || bound.length ? [...sealed, ...bound, ...own] : own;
  if (args.length > limits.maxArgs) {
    throw new MalformedArgumentsError(
      `The call passes ${args.length} arguments; the limit is ${limits.maxArgs} (the maxArgs option)`,
      "too-many-arguments",
    );
  }
  const boundKey = sealedText === null ? (boundText ?? undefined) : encodeArguments([...sealed, ...bound]);
  return { args, sealed: sealed.length, boundKey };
}

function readArguments(url: URL | undefined, limits: DecodeLimits): unknown[] {
  const text = url ? url.searchParams.get("args") : null;
  return text === null ? [] : parseArguments(text, "?args=", limits);
}

// What each kind of call may send (the media type, before any `;` parameters).
const ACCEPTED = {
  stub: ["application/json", "multipart/form-data"],
  form: ["application/x-www-form-urlencoded", "multipart/form-data"],
};

async function bodyArguments(request: Request, kind: "stub" | "form", limits: DecodeLimits): Promise<unknown[]> {
  const contentType = request.headers.get("content-type") ?? "";
  const end = contentType.indexOf(";");
  const mediaType = (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
  const accepted = ACCEPTED[kind];
  if (!accepted.includes(mediaType)) {
    const who = kind === "stub" ? "A call from a Sortie client stub (X-Sortie: 1)" : "A form post";
    throw new UnsupportedContentTypeError(`${who} must send ${accepted.join(" or ")} (got ${JSON.stringify(contentType || "no Content-Type")})`);
  }

  if (mediaType === "application/json") return parseArguments(await readBodyText(request, limits), "The request body", limits);
  const body = await readBody(request, limits);
  const form = await parseForm(body, contentType);
  let fields = 0;
  for (const _ of form.keys()) {
    if (++fields > limits.maxFormFields) {
      throw new MalformedArgumentsError(`The form has more than ${limits.maxFormFields} fields (the maxFormFields option)`, "too-many-fields");
    }
  }
  return kind === "form" ? [form] : multipartArguments(form, limits);
}

function multipartArguments(form: FormData, limits: DecodeLimits): unknown[] {
  const args = form.get(ARGS_FIELD);
  if (typeof args !== "string") {
    throw new MalformedArgumentsError(`A multipart call must carry its seroval JSON arguments in the text field "${ARGS_FIELD}"`);
  }
  const parts = form.getAll(BLOB_FIELD);
  if (parts.some((part) => typeof part === "string")) {
    throw new MalformedArgumentsError(`The multipart field "${BLOB_FIELD}" must hold files only`);
  }
  return parseArguments(args, `The field "${ARGS_FIELD}"`, limits, [blobPartPlugin(parts as File[]), ...ARGUMENT_PLUGINS]);
}

/** seroval JSON text holding an argument list of plain data, read without eval and within the depth limit. */
function parseArguments(text: string, where: string, limits: DecodeLimits, plugins = ARGUMENT_PLUGINS): unknown[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MalformedArgumentsError(`${where} is not JSON; it must be the seroval JSON ({ "t", "f", "m" }) of an argument array`);
  }
  if (!isSerovalJSON(json)) {
    throw new MalformedArgumentsError(`${where} is not seroval JSON: expected an object { "t": node, "f": number, "m": array }`);
  }
  checkArgumentNodes(json.t, where, limits.maxExpandedSize);
  const flat = flatArguments(json);
  if (flat) return flat;
  let value: unknown;
  try {
    value = fromJSON(json, { plugins: plugins as Plugin<any, any>[], disabledFeatures: DISABLED_FEATURES, depthLimit: limits.maxDepth });
  } catch (error) {
    const reason = innermost(error);
    if (reason instanceof SerovalDepthLimitError) {
      throw new MalformedArgumentsError(`${where} nests deeper than ${limits.maxDepth} levels (the maxDepth option)`, "too-deep");
    }
    throw new MalformedArgumentsError(`${where} is not valid seroval JSON: it holds ${describeSerovalError(reason)}`);
  }
  if (!Array.isArray(value)) throw new MalformedArgumentsError(`${where} must hold an array of arguments`);
  return value;
}

// seroval's production build has terse messages ("Seroval Error (step: 3)"): say what the
// class means instead. The specific error is the innermost `cause`.
const SEROVAL_REASONS: Array<[abstract new (...args: never[]) => Error, string]> = [
  [SerovalUnsupportedNodeError, "a node of a type seroval does not know"],
  [SerovalMalformedNodeError, "a malformed node"],
  [SerovalMissingPluginError, "a value type the endpoint does not accept (plain data, Date, Map, Set, BigInt, typed arrays, URL, URLSearchParams, Headers, FormData, Blob and File are accepted)"],
  [SerovalMissingReferenceForIdError, "a reference to a value the payload does not contain"],
  [SerovalConflictedNodeIdError, "two nodes with the same id"],
  [SerovalPluginValidationError, "a value that fails its type's checks"],
];

function innermost(error: unknown): unknown {
  let current = error;
  while (current instanceof Error && current.cause !== undefined && !(current instanceof SerovalDepthLimitError)) current = current.cause;
  return current;
}

function describeSerovalError(error: unknown): string {
  const known = SEROVAL_REASONS.find(([type]) => error instanceof type);
  return known ? known[1] : `something it cannot read (${error instanceof Error ? error.message : String(error)})`;
}

function isSerovalJSON(json: unknown): json is SerovalJSON {
  if (typeof json !== "object" || json === null) return false;
  const { t, f, m } = json as Partial<SerovalJSON>;
  return typeof t === "object" && t !== null && typeof f === "number" && Array.isArray(m);
}

async function parseForm(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<FormData> {
  try {
    return await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch (error) {
    throw new MalformedArgumentsError(`The form body does not match its Content-Type: ${(error as Error).message}`);
  }
}
