import { decodeSubmission, IDLE_FORM, submissionsOf, type FormStatus, type Submission } from "../../common/forms.ts";
import { findRequestEvent, runWithRequestEvent, type RequestEvent } from "../request/context.ts";
import { mayCarryFlashes, takeFlashes, type Flash } from "./flash.ts";
import { REGISTERED_REFERENCES } from "../endpoint/registry.ts";

const RECEIVED = Symbol("sortie.submission");

interface Received {
  flash: Flash;
  submission: Submission;
}

/**
 * Before a page renders (GET only): takes the flashes of plain form posts addressed to this
 * page, so `useSubmission` can answer synchronously, in the page and in islands alike. A
 * store that fails here only loses the flashes for this render (logged); the page meets the
 * same failure if it uses the session itself.
 */
export async function receiveSubmission(event: RequestEvent): Promise<void> {
  if (event.request.method !== "GET" || !mayCarryFlashes(event)) return;
  try {
    const flashes = await runWithRequestEvent(event, () => takeFlashes(event));
    if (flashes.length) event.locals.set(RECEIVED, flashes.map((flash) => ({ flash, submission: decodeSubmission(flash.value, REGISTERED_REFERENCES) })) satisfies Received[]);
  } catch (error) {
    console.error("[sortie] the flash of a form post could not be read:", error);
  }
}

/**
 * The outcome of the plain form post (no JavaScript) that led to this page render, if it
 * was a post to `action` addressed to this page (any call of the function, or with `.with(...)` the same bound
 * arguments): `{ result }` or `{ error }`, and the `input` to fill the form again. Shown once:
 * the next render no longer has it. In the browser, the latest submission of an enhanced form.
 */
export function useSubmission<F extends (...args: any[]) => Promise<unknown>>(action: F): Submission<Awaited<ReturnType<F>>> | undefined {
  const isOf = submissionsOf(action);
  const received = (findRequestEvent()?.locals.get(RECEIVED) ?? []) as Received[];
  // Oldest first: the newest matching post wins.
  const match = received.findLast(({ flash }) => isOf(flash.id, flash.bound));
  return match?.submission as Submission<Awaited<ReturnType<F>>> | undefined;
}

/** The flashes this render received, for the browser (its islands render with the same submissions). */
export function receivedFlashes(event: RequestEvent): Flash[] {
  return ((event.locals.get(RECEIVED) ?? []) as Received[]).map(({ flash }) => flash);
}

/** The issues by field of the received post to exactly this function and bound arguments (a form's action URL), if it failed validation. */
export function receivedIssues(event: RequestEvent, id: string, bound: string | undefined): Readonly<Record<string, string>> | undefined {
  const received = (event.locals.get(RECEIVED) ?? []) as Received[];
  return received.findLast(({ flash }) => flash.id === id && flash.bound === bound)?.submission.issues;
}

/** In an island rendering on the server: no form is ever pending there. */
export function useFormStatus(): FormStatus {
  return IDLE_FORM;
}
