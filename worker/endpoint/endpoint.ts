import type { Context, Handler } from "hono";
import { baseRoutePath } from "hono/route";
import { ENDPOINT_PREFIX, referenceInfo } from "../../common/reference.ts";
import { CALL_HEADER, STREAM_TYPE, type ErrorPayload, type QueryRecord } from "../../common/wire.ts";
import { runWithRequestEvent, type RequestEvent } from "../request/context.ts";
import { discardBody } from "./body.ts";
import { decodeArguments, type CallKind } from "./decode.ts";
import { createRecordBody, type RecordBody } from "./encode.ts";
import {
  BadSealError,
  describeError,
  errorStatus,
  MethodNotAllowedError,
  RequestError,
  requestErrorResponse,
  SortieMountError,
  UnknownFunctionError,
} from "../request/errors.ts";
import { commitOrFail, createRequestEvent, headersIfAny, isDevelopment } from "../request/event.ts";
import { formRefusalPage, isPlainFormPost } from "../forms/form-errors.ts";
import { answerFormPost } from "../forms/form-post.ts";
import { checkOrigin } from "./origin.ts";
import type { EndpointOptions } from "../options.ts";
import { callThroughMiddleware, useAppMiddleware } from "./middleware.ts";
import type { CallOutcome } from "./outcome.ts";
import { ServerTiming } from "./timing.ts";
import { capturedCount, findServerFunction } from "./registry.ts";
import { openArguments } from "../references/seal.ts";
import { sealReferencesIn } from "../references/sealing.ts";

/**
 * `/_server/<id>`: checks the origin, finds the function, decodes its arguments, calls it inside the request's
 * context, commits the request's state (beforeResponse hooks, cookies), then answers with
 * records, for a stub call or a read. A plain form post goes to form-post.ts after decoding.
 */
export function serverFunctionEndpoint(options: EndpointOptions): Handler {
  return async (c) => {
    try {
      checkOrigin(c.req.raw, options, isDevelopment(c.env));
      const id = functionId(c);
      const fn = findServerFunction(id);
      if (!fn) throw new UnknownFunctionError(id);
      const kind = callKind(c, fn);

      const started = performance.now();
      const event = createRequestEvent(c);
      const timing = options.serverTiming || event.dev ? new ServerTiming() : undefined;
      useAppMiddleware(event, options.middleware);
      const { args, sealed, boundKey } = await decodeArguments(c.req.raw, kind, options, (token) => openArguments(event, id, token));
      // A closure needs the values it captured, which only a page the Worker rendered can send.
      if (sealed < capturedCount(id)) throw new BadSealError(missingCaptures(id));
      timing?.lap("decode");
      const describe = describeOnce((error) => describeError(error, event.dev, `server function ${JSON.stringify(id)}`));
      const call = async (callArgs: unknown[]) => {
        const outcome = await runWithRequestEvent(event, () => callThroughMiddleware(fn, { id, kind, args: callArgs }, event, timing));
        if (outcome.type === "error") logFailedCall(id, kind, describe(outcome.error), performance.now() - started);
        return outcome;
      };
      if (kind === "form") return answerFormPost(event, fn, args, { key: boundKey, sealed: sealed > 0 }, describe, call);

      let outcome = await call(args);
      // References in the result whose values travel sealed are sealed before it is encoded.
      if (outcome.type === "result" && mayHoldReferences(outcome.value)) outcome = await sealedResult(outcome, event);
      timing?.skip();
      // A failed commit (the session store is down) is the answer.
      const failed = await commitOrFail(event);
      if (failed) {
        outcome = { type: "error", error: failed.error };
        logFailedCall(id, kind, describe(failed.error), performance.now() - started);
      }
      timing?.lap("commit");
      return answerWithRecords(event, outcome, describe, kind, options.followUp, timing);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      await discardBody(c.req.raw, options);
      // A browser's own form post gets a page it can show; a stub call gets JSON.
      return isPlainFormPost(c.req.raw) ? formRefusalPage(error, c.req.raw) : requestErrorResponse(error);
    }
  };
}

/** Objects and functions may be or hold references; primitives (most results) never do. */
function mayHoldReferences(value: unknown): boolean {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

async function sealedResult(outcome: Extract<CallOutcome, { type: "result" }>, event: RequestEvent): Promise<CallOutcome> {
  try {
    await sealReferencesIn(outcome.value, event);
    return outcome;
  } catch (error) {
    return { type: "error", error };
  }
}

function missingCaptures(id: string): string {
  return `The server function ${JSON.stringify(id)} uses values of the component that rendered it, which travel sealed with its reference; this call did not bring them: call it through the reference the page rendered (a form's action, an island's prop), not by its id`;
}

/** describe() that gives one error one payload (one error id, logged once), however often it is asked. */
function describeOnce(describe: (error: unknown) => ErrorPayload): (error: unknown) => ErrorPayload {
  let described: WeakMap<object, ErrorPayload> | undefined; // made on the first error: most calls have none
  return (error) => {
    if (typeof error !== "object" || error === null) return describe(error);
    described ??= new WeakMap();
    let payload = described.get(error);
    if (!payload) described.set(error, (payload = describe(error)));
    return payload;
  };
}

/**
 * One structured line per failed call, for log search (Workers Logs index JSON lines): the
 * function, the error id, the status, how long it took. console.log, not console.error: a
 * refusal (a 4xx) is no fault, and a fault's stack is logged by describeError under the same id.
 */
function logFailedCall(id: string, kind: string, payload: ErrorPayload, milliseconds: number): void {
  console.log(JSON.stringify({ sortie: "call failed", function: id, kind, status: payload.status, errorId: payload.errorId ?? null, durationMs: Math.round(milliseconds) }));
}

/** The id in `/_server/<id>` (URI-encoded by the client; the build's ids need no encoding). */
function functionId(c: Context): string {
  const path = c.req.path;
  // The route matched, so a path outside /_server/ means the routes were mounted under a prefix.
  if (!path.startsWith(ENDPOINT_PREFIX)) throw new SortieMountError(baseRoutePath(c), path);
  const encoded = path.slice(ENDPOINT_PREFIX.length);
  if (!encoded.includes("%")) return encoded;
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new UnknownFunctionError(encoded);
  }
}

/** Reads (query functions) answer GET; everything answers POST, from a stub or a plain form. */
function callKind(c: Context, fn: Function): CallKind {
  const isRead = referenceInfo(fn)?.query !== undefined;
  const method = c.req.method;
  if (method === "POST") return c.req.raw.headers.get(CALL_HEADER) === "1" ? "stub" : "form";
  if (isRead && (method === "GET" || method === "HEAD")) return "read";
  throw new MethodNotAllowedError(method, isRead ? "GET, HEAD, POST" : "POST");
}

/**
 * The answer to a stub call or a read: status and headers as the function left them (an
 * error's own status instead), then the records — the outcome's first, then, for a stub call,
 * follow-up ones.
 */
function answerWithRecords(
  event: RequestEvent,
  outcome: CallOutcome,
  describe: (error: unknown) => ErrorPayload,
  kind: "stub" | "read",
  followUp: EndpointOptions["followUp"],
  timing: ServerTiming | undefined,
): Response {
  const body = createRecordBody(describe);
  let status = event.response.status;
  if (outcome.type === "redirect") {
    body.redirect(outcome.redirect.location);
    status = 200;
  } else if (outcome.type === "result") {
    const { value } = outcome;
    try {
      // Inside the request's context: references in the value find this request's seals (references/sealing.ts).
      if (mayHoldReferences(value)) runWithRequestEvent(event, () => body.result(value));
      else body.result(value);
    } catch (unsendable) {
      outcome = { type: "error", error: unsendable };
    }
  }
  if (outcome.type === "error") {
    body.error(outcome.error);
    status = errorStatus(outcome.error);
  }
  timing?.lap("encode");
  const records = kind === "stub" && followUp && runWithRequestEvent(event, () => followUp(event, outcome));
  const sealedRecords = records && sealedValues(records, event);
  if (sealedRecords) runWithRequestEvent(event, () => body.follow(timing ? timed(sealedRecords, timing, body) : sealedRecords));
  const serverTiming = timing?.take();
  if (serverTiming) event.response.headers.set("Server-Timing", serverTiming);

  // A failed read is not cached either, whatever the function set before it threw.
  const cacheable = kind === "read" && outcome.type !== "error";
  return new Response(body.finish(), { status, headers: recordHeaders(headersIfAny(event), cacheable) });
}

/** Single flight's records, the references in each fresh value sealed first (references/sealing.ts). */
async function* sealedValues(records: AsyncIterable<QueryRecord>, event: RequestEvent): AsyncIterable<QueryRecord> {
  for await (const record of records) {
    if (!("value" in record)) {
      yield record;
      continue;
    }
    // A value that cannot be sealed fails its own query's record, not the ones after it.
    const failure = await sealReferencesIn(record.value, event).then(() => undefined, (error: unknown) => ({ error }));
    yield failure ? { type: "query", key: record.key, args: record.args, error: failure.error } : record;
  }
}

/** Single flight's records, each query's time to settle recorded; a last `t` record carries them. */
async function* timed(records: AsyncIterable<QueryRecord>, timing: ServerTiming, body: RecordBody): AsyncIterable<QueryRecord> {
  for await (const record of records) {
    timing.lap("query", record.key);
    yield record;
  }
  body.timing(timing.take());
}

// Made once: each Response copies a Headers for less than it builds one from an object (bench/in-worker.ts).
const RECORD_HEADERS = new Headers({ "Content-Type": STREAM_TYPE, "Cache-Control": "no-store" });

/**
 * The function's own headers, if it set any, with the records' type. Cache-Control is no-store
 * unless a read (GET) chose its own: the answer to a POST, which changes things, is never cached.
 */
function recordHeaders(own: Headers | undefined, cacheable: boolean): HeadersInit {
  if (!own) return RECORD_HEADERS;
  own.set("Content-Type", STREAM_TYPE);
  if (!cacheable || !own.has("Cache-Control")) own.set("Cache-Control", "no-store");
  return own;
}
