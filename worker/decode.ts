import { fromJSON, SerovalDepthLimitError, type Plugin, type SerovalJSON } from "seroval";
import { ARGS_FIELD, ARGUMENT_PLUGINS, BLOB_FIELD, blobPartPlugin, DISABLED_FEATURES } from "../common/wire.ts";
import { readBody } from "./body.ts";
import { MalformedArgumentsError, UnsupportedContentTypeError } from "./errors.ts";

export interface DecodeLimits {
  maxBodySize: number;
  maxDepth: number;
  maxArgs: number;
}

/** How the request calls the function (see endpoint.ts). */
export type CallKind = "stub" | "form" | "read";

/**
 * The arguments a request passes: the bound ones from `?bound=`, then the call's own —
 * seroval JSON in `?args=` (a read), in the body (a stub call, JSON or multipart), or the
 * posted FormData itself (a plain HTML form, so `fn(...bound, formData)`).
 */
export async function decodeArguments(request: Request, url: URL, kind: CallKind, limits: DecodeLimits): Promise<unknown[]> {
  const bound = url.searchParams.has("bound") ? parseArguments(url.searchParams.get("bound")!, "?bound=", limits) : [];
  const own = kind === "read" ? readArguments(url, limits) : await bodyArguments(request, kind, limits);
  const args = bound.length ? [...bound, ...own] : own;
  if (args.length > limits.maxArgs) {
    throw new MalformedArgumentsError(
      `The call passes ${args.length} arguments; the limit is ${limits.maxArgs} (the maxArgs option)`,
      "too-many-arguments",
    );
  }
  return args;
}

function readArguments(url: URL, limits: DecodeLimits): unknown[] {
  const text = url.searchParams.get("args");
  return text === null ? [] : parseArguments(text, "?args=", limits);
}

async function bodyArguments(request: Request, kind: "stub" | "form", limits: DecodeLimits): Promise<unknown[]> {
  const contentType = request.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  const accepted = kind === "stub" ? ["application/json", "multipart/form-data"] : ["application/x-www-form-urlencoded", "multipart/form-data"];
  if (!accepted.includes(mediaType)) {
    const who = kind === "stub" ? "A call from a Sortie client stub (X-Sortie: 1)" : "A form post";
    throw new UnsupportedContentTypeError(`${who} must send ${accepted.join(" or ")} (got ${JSON.stringify(contentType || "no Content-Type")})`);
  }

  const body = await readBody(request, limits.maxBodySize);
  if (mediaType === "application/json") return parseArguments(utf8(body), "The request body", limits);
  const form = await parseForm(body, contentType);
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

/** seroval JSON text holding an argument list, read without eval and within the depth limit. */
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
  let value: unknown;
  try {
    value = fromJSON(json, { plugins: plugins as Plugin<any, any>[], disabledFeatures: DISABLED_FEATURES, depthLimit: limits.maxDepth });
  } catch (error) {
    if (error instanceof SerovalDepthLimitError) {
      throw new MalformedArgumentsError(`${where} nests deeper than ${limits.maxDepth} levels (the maxDepth option)`, "too-deep");
    }
    throw new MalformedArgumentsError(`${where} is not valid seroval JSON: ${(error as Error)?.message ?? String(error)}`);
  }
  if (!Array.isArray(value)) throw new MalformedArgumentsError(`${where} must hold an array of arguments`);
  return value;
}

function isSerovalJSON(json: unknown): json is SerovalJSON {
  if (typeof json !== "object" || json === null) return false;
  const { t, f, m } = json as Partial<SerovalJSON>;
  return typeof t === "object" && t !== null && typeof f === "number" && Array.isArray(m);
}

function utf8(bytes: Uint8Array<ArrayBuffer>): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new MalformedArgumentsError("The request body is not valid UTF-8");
  }
}

async function parseForm(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<FormData> {
  try {
    return await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch (error) {
    throw new MalformedArgumentsError(`The form body does not match its Content-Type: ${(error as Error).message}`);
  }
}
