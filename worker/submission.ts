import { decodeSubmission, IDLE_FORM, submissionsOf, type FormStatus, type Submission } from "../common/forms.ts";
import { findRequestEvent, runWithRequestEvent, type RequestEvent } from "./context.ts";
import { takeFlash, type Flash } from "./flash.ts";

const RECEIVED = Symbol("sortie.submission");

interface Received {
  flash: Flash;
  submission: Submission;
}

/**
 * Before a page renders (GET only): takes the unread flash of a plain form post, so
 * `useSubmission` can answer synchronously, in the page and in islands alike. A session store
 * that fails here only loses the flash for this render (it stays unread); the page meets the
 * same failure if it uses the session itself.
 */
export async function receiveSubmission(event: RequestEvent): Promise<void> {
  if (event.request.method !== "GET") return;
  try {
    const flash = await runWithRequestEvent(event, takeFlash);
    if (flash) event.locals.set(RECEIVED, { flash, submission: decodeSubmission(flash.value) } satisfies Received);
  } catch (error) {
    console.error("[sortie] the flash of a form post could not be read:", error);
  }
}

/**
 * The outcome of the plain form post (no JavaScript) that led to this page render, if it
 * was a post to `action` (any call of the function, or with `.with(...)` the same bound
 * arguments): `{ result }` or `{ error }`, and the `input` to fill the form again. Shown once:
 * the next render no longer has it. In the browser, the latest submission of an enhanced form.
 */
export function useSubmission<F extends (...args: any[]) => Promise<unknown>>(action: F): Submission<Awaited<ReturnType<F>>> | undefined {
  const isOf = submissionsOf(action);
  const received = findRequestEvent()?.locals.get(RECEIVED) as Received | undefined;
  if (!received || !isOf(received.flash.id, received.flash.bound)) return undefined;
  return received.submission as Submission<Awaited<ReturnType<F>>>;
}

/** The flash this render received, for the browser (its islands render with the same submission). */
export function receivedFlash(event: RequestEvent): Flash | undefined {
  return (event.locals.get(RECEIVED) as Received | undefined)?.flash;
}

/** In an island rendering on the server: no form is ever pending there. */
export function useFormStatus(): FormStatus {
  return IDLE_FORM;
}
