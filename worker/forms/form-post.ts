import { toJSON, type SerovalJSON } from "seroval";
import { echoInput, takeReservedFields, type StoredSubmission } from "../../common/forms.ts";
import { referenceInfo } from "../../common/reference.ts";
import { DISABLED_FEATURES, type ErrorPayload } from "../../common/wire.ts";
import { writtenResults } from "../endpoint/result-plugins.ts";
import { runWithRequestEvent, type RequestEvent } from "../request/context.ts";
import { errorStatus } from "../request/errors.ts";
import { commitOrFail } from "../request/event.ts";
import { saveFlash } from "./flash.ts";
import { formErrorPage } from "./form-errors.ts";
import type { CallOutcome } from "../endpoint/outcome.ts";
import { returnPath } from "./return-path.ts";
import { sealReferencesIn } from "../references/sealing.ts";

/**
 * A plain HTML form post (no JavaScript). The function gets its bound arguments, then the
 * FormData without Sortie's reserved fields. Unless it redirected, its result or error and
 * the echoable input become a one-time flash of its own, addressed to the page it returns to
 * (worker/forms/flash.ts). The answer is `303 See Other` to the redirect() target, else back to the
 * page (worker/forms/return-path.ts), carrying every Set-Cookie of the request (the function's, the
 * flash's and, only when it changed, the session's). If the flash or the session cannot be
 * saved, an HTML error page says so instead (what the function did stands), and no cookie
 * goes out.
 */
export async function answerFormPost(
  event: RequestEvent,
  fn: (...args: unknown[]) => Promise<unknown>,
  args: unknown[],
  bound: { key: string | undefined; sealed: boolean },
  describe: (error: unknown) => ErrorPayload,
  call: (args: unknown[]) => Promise<CallOutcome>,
): Promise<Response> {
  const form = args.at(-1) as FormData;
  const reserved = takeReservedFields(form);
  const back = returnPath(reserved.returnPath, event.request);
  const input = echoInput(form, reserved.echoable);

  const outcome = await call(args);
  let failed: { error: unknown } | undefined;
  if (outcome.type !== "redirect") {
    // Stored (and later embedded in a page) as the browser may see it: its references' values sealed, in this request.
    await runWithRequestEvent(event, async () => {
      if (outcome.type === "result") await sealReferencesIn(outcome.value, event).catch(() => {}); // unstorable: storedSubmission says so
      const value = storedSubmission(outcome, input, describe);
      await saveFlash({ id: referenceInfo(fn)!.id, bound: bound.key, ...(bound.sealed ? { sealed: true } : {}), value }, back);
    }).catch((error: unknown) => (failed = { error }));
  }
  failed ??= await commitOrFail(event);
  if (failed) return formErrorPage(errorStatus(failed.error), describe(failed.error), back);
  const headers = event.response.headers;
  headers.set("Location", outcome.type === "redirect" ? outcome.redirect.location : back);
  // A 303 with explicit freshness may be cached; the answer to a change never is.
  headers.set("Cache-Control", "no-store");
  return new Response(null, { status: 303, headers });
}

/** The function returned something a plain form post cannot carry to the next page. */
export class UnstorableResultError extends Error {
  override name = "UnstorableResultError";
  constructor(cause: unknown) {
    // seroval wraps the reason ("The value [object Promise] … cannot be parsed") in generic errors.
    let reason = cause;
    while (reason instanceof Error && reason.cause !== undefined) reason = reason.cause;
    super(
      `A plain form post (no JavaScript) cannot carry this server function's result to the next page: keep it to data (JSON values, Date, Map, Set, BigInt, URL, FormData without files…), no Promise, stream or function (${reason instanceof Error ? reason.message : String(reason)})`,
      { cause },
    );
  }
}

/** seroval JSON of what the next page shows: the result (or why it cannot be kept) or the error, and the input. */
function storedSubmission(outcome: Exclude<CallOutcome, { type: "redirect" }>, input: FormData | undefined, describe: (error: unknown) => ErrorPayload): SerovalJSON {
  const options = { plugins: writtenResults(describe), disabledFeatures: DISABLED_FEATURES };
  const failed = (error: unknown) => toJSON<StoredSubmission>({ error: describe(error), input }, options);
  if (outcome.type === "error") return failed(outcome.error);
  try {
    return toJSON<StoredSubmission>({ result: outcome.value, input }, options);
  } catch (unstorable) {
    return failed(new UnstorableResultError(unstorable));
  }
}
