import { createValueReader, type ValueReader } from "../common/reader/read.ts";
import { ABORTABLE } from "../common/abort.ts";
import { ServerError } from "../common/errors.ts";
import { Redirect } from "../common/redirect.ts";
import { REFERENCE, type ReferenceInfo, type ServerReference } from "../common/reference.ts";
import { errorFromPayload, referenceReader, resultPlugins } from "../common/plugins.ts";
import { precheckInput } from "./precheck.ts";
import { ValidationError } from "../common/validation/validation-error.ts";
import {
  ARGS_FIELD,
  BLOB_FIELD,
  CALL_HEADER,
  encodeArguments,
  functionUrl,
  PAGE_HEADER,
  STREAM_TYPE,
  type ErrorBody,
  type WireRecord,
} from "../common/wire.ts";
import { addBookmarkHeader, rememberBookmarks } from "./bookmarks.ts";
import { emitCallRecord } from "./records.ts";
import { readRecords } from "../common/record-lines.ts";
import { query } from "./query.ts";

type AnyAsyncFunction = (...args: any[]) => Promise<any>;

/** How stubs reach the Worker: `fetch` in the browser; tests in workerd pass the app's own fetch. */
export type Transport = (path: string, init: RequestInit) => Promise<Response>;

let transport: Transport = (path, init) => fetch(path, init);

export function setTransport(next: Transport): void {
  transport = next;
}

// The browser globals stubs use, absent in workerd (tests): read through this optional view.
const browser = globalThis as {
  location?: { pathname: string; search: string; reload(): void; assign(url: string): void };
  sessionStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
};

/** The client side of a server function: an async function typed like it, which calls the Worker. */
export function createServerReference<F extends AnyAsyncFunction>(id: string, sealed?: string): ServerReference<F> {
  return makeStub<F>(sealed === undefined ? { id, bound: [] } : { id, bound: [], sealed });
}

/**
 * References the Worker sent (an island's prop, a result, the page's data) read back as stubs;
 * a query's as a query (client/query.ts: it reads with GET through the client cache, and
 * useQuery takes it).
 */
export const STUB_REFERENCES = referenceReader(({ id, bound, sealed, key }) => {
  const stub = makeStub(sealed === undefined ? { id, bound } : { id, bound, sealed });
  return key === undefined ? stub : query(stub, key);
});

/** Marks a stub as a read (`query(fn, key)` on the client): it calls with GET. */
export function markAsQuery(stub: ServerReference<AnyAsyncFunction>, key: string): void {
  (stub[REFERENCE] as { query?: { key: string } }).query = { key };
}

function makeStub<F extends AnyAsyncFunction>(info: ReferenceInfo): ServerReference<F> {
  const callWith = (signal?: AbortSignal) => ((...args: unknown[]) => call(info, args, signal)) as F;
  const stub = callWith();
  Object.defineProperty(stub, REFERENCE, { value: info });
  Object.defineProperty(stub, ABORTABLE, { value: callWith });
  Object.defineProperty(stub, "with", {
    value: (...args: unknown[]) => makeStub({ ...info, bound: [...info.bound, ...args] }),
  });
  return stub as ServerReference<F>;
}

async function call(info: ReferenceInfo, args: unknown[], signal: AbortSignal | undefined): Promise<unknown> {
  // Declared with `precheck: true`: the input is checked here first (the checker loads only then).
  // Not with sealed bound arguments: the browser cannot see them, so it cannot line the schemas up.
  const input = info.sealed === undefined ? precheckInput(info.id) : undefined;
  if (input) {
    const { checkArguments, summarize } = await import("../common/validation/check.ts");
    const result = await checkArguments(input, [...info.bound, ...args]);
    if ("issues" in result) throw new ValidationError(result.issues, summarize(result.issues));
  }
  const [path, init] = encodeCall(info, args);
  const response = await transport(path, { ...init, signal });
  rememberBookmarks(response);
  signal?.throwIfAborted();
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith(STREAM_TYPE) || !response.body) throw await refusal(response, info.id);
  return settleFromRecords(response.body, signal);
}

/** GET with `?args=` for a read; POST with seroval JSON, or multipart when the arguments hold files. */
function encodeCall(info: ReferenceInfo, args: unknown[]): [string, RequestInit] {
  const headers: Record<string, string> = { [CALL_HEADER]: "1" };
  if (browser.location) headers[PAGE_HEADER] = browser.location.pathname + browser.location.search;
  addBookmarkHeader(headers);
  const url = functionUrl(info);
  if (info.query) {
    const query = `args=${encodeURIComponent(encodeArguments(args))}`;
    return [url + (url.includes("?") ? "&" : "?") + query, { method: "GET", headers }];
  }
  const parts: Blob[] = [];
  const json = encodeArguments(args, parts);
  if (!parts.length) return [url, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: json }];
  const form = new FormData();
  form.append(ARGS_FIELD, json);
  for (const part of parts) form.append(BLOB_FIELD, part);
  return [url, { method: "POST", headers, body: form }];
}

/**
 * Resolves with the result as soon as its record arrives, then keeps reading: later records
 * settle promises and feed streams inside the result, and carry single flight's queries.
 */
function settleFromRecords(body: ReadableStream<Uint8Array>, signal: AbortSignal | undefined): Promise<unknown> {
  const values = createValueReader(resultPlugins(undefined, STUB_REFERENCES));
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (value: unknown, ok: boolean) => {
      settled = true;
      (ok ? resolve : reject)(value);
    };
    // Before the result: the call fails. After it: pending promises reject, open streams error.
    const fail = (error: unknown) => (settled ? values.abort(error) : settle(error, false));
    signal?.addEventListener("abort", () => fail(signal.reason), { once: true });
    void (async () => {
      try {
        for await (const record of readRecords(body)) {
          if ("q" in record) emitCallRecord(queryRecord(values, record));
          else if ("r" in record) settle(values.read(record.r), true);
          else if ("n" in record) values.read(record.n);
          else if ("l" in record) settle(redirectTo(record.l), true);
          else if ("t" in record) continue; // Server-Timing of the streamed part: for the network panel
          else fail(errorFromPayload(values.read(record.e)));
        }
        if (!settled || values.pending) fail(new ServerError("The server function's response ended early", { status: 502 }));
      } catch (error) {
        fail(error);
      }
    })();
  });
}

function queryRecord(values: ValueReader, record: Extract<WireRecord, { q: string }>) {
  const base = { type: "query" as const, key: record.q, args: values.read(record.a) as unknown[] };
  return "v" in record
    ? { ...base, value: values.read(record.v) }
    : { ...base, error: errorFromPayload(values.read(record.e)) };
}

/** The router follows a redirect when it listens; without one the stub navigates itself. */
function redirectTo(location: string): Redirect {
  if (!emitCallRecord({ type: "redirect", location })) browser.location?.assign(location);
  return new Redirect(location, 303);
}

/** The error for a response that is not records: a refused request, or something in between (a proxy). */
async function refusal(response: Response, id: string): Promise<ServerError> {
  const body = (await response.json().catch(() => undefined)) as Partial<ErrorBody> | undefined;
  const refused = body?.error;
  // Something in between may answer 200 (a captive portal's page): the call failed all the same.
  if (!refused) return new ServerError(`Calling server function ${id} failed with HTTP ${response.status}`, { status: response.status < 400 ? 502 : response.status });
  if (refused.code === "unknown-function") reloadForSkew();
  return new ServerError(refused.message, { status: response.status, data: { code: refused.code } });
}

// Version skew: the page was built by another deployment, so reload it. The time of that
// reload stays in sessionStorage: within 30 s of it the call only rejects, so a fresh page that
// still calls a function the Worker lacks cannot loop (a successful call does not reset this).
const SKEW_KEY = "sortie:skew-reload";

function reloadForSkew(): void {
  try {
    const now = Date.now();
    if (!browser.location || now - Number(browser.sessionStorage!.getItem(SKEW_KEY)) < 30_000) return;
    browser.sessionStorage!.setItem(SKEW_KEY, String(now));
    browser.location.reload();
  } catch {
    // No storage (privacy modes): then never reload automatically.
  }
}
