import { Redirect } from "../../common/redirect.ts";
import type { RequestEvent } from "../request/context.ts";
import type { QueryRecord } from "../../common/wire.ts";
import { callChecked } from "./checked-call.ts";

/** How a server function call ended. */
export type CallOutcome =
  | { type: "result"; value: unknown }
  | { type: "error"; error: unknown }
  | { type: "redirect"; redirect: Redirect };

/**
 * The endpoint's seam for single flight: after a stub's call has run and its first record is
 * written, the records this returns are streamed after it (inside the request's context,
 * after the response headers went out). Undefined: nothing follows.
 */
export type FollowUp = (event: RequestEvent, outcome: CallOutcome) => AsyncIterable<QueryRecord> | undefined;

/** Runs the function, its arguments checked first (checked-call.ts); a Redirect counts whether it was returned or thrown. */
export async function callFunction(fn: (...args: unknown[]) => Promise<unknown>, args: unknown[]): Promise<CallOutcome> {
  try {
    const value = await callChecked(fn, args);
    return value instanceof Redirect ? { type: "redirect", redirect: value } : { type: "result", value };
  } catch (error) {
    return error instanceof Redirect ? { type: "redirect", redirect: error } : { type: "error", error };
  }
}
