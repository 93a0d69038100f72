/**
 * Forms bound to server functions, as both sides see them: the Worker's reserved form fields,
 * what a submission looks like to `useSubmission`, and which inputs are never echoed back.
 */
import type { Plugin, SerovalJSON } from "seroval";
import { readJSON } from "./reader/read.ts";
import type { ServerError } from "./errors.ts";
import { ValidationError } from "./validation/validation-error.ts";
import { errorFromPayload, resultPlugins, type ErrorPayload } from "./plugins.ts";
import { referenceInfo, type ReferenceInfo } from "./reference.ts";
import { encodeArguments, functionUrl } from "./wire.ts";

/** Hidden field the Worker adds to every form posting to a server function: the page's path (the way back). */
export const RETURN_FIELD = "$return";
/**
 * Hidden field, once per ordinary visible input of such a form (text-like inputs, checkboxes,
 * radios, selects, textareas; not hidden, password, file or one-time-code inputs): its name.
 * The flash echoes only these fields, so nothing else a post carries is ever stored or shown.
 */
export const ECHO_FIELD = "$echo";
/** Most fields the flash echoes, and most bytes (UTF-8, names and values); over either, it echoes none. */
export const ECHO_MAX_FIELDS = 100;
export const ECHO_MAX_BYTES = 32 * 1024;
/**
 * On an element inside a form: it shows the message of the field it names (`data-sortie-issue="title"`)
 * when a submission fails validation, and the field's inputs get `aria-invalid="true"` and
 * `aria-describedby` pointing at it. The Worker fills it in after a plain form post, the
 * client runtime after an enhanced submit (docs/validation.md).
 */
export const ISSUE_ATTRIBUTE = "data-sortie-issue";

/** The field an input's name stands for in a submission's issues: `tags[]` is `tags`. */
export function fieldOf(name: string): string {
  return name.endsWith("[]") ? name.slice(0, -2) : name;
}

/** In the page's submissions, the binding of a post whose bound arguments came sealed: its values stay on the Worker. */
export const SEALED_BINDING = "(sealed)";

/** `<script type="application/json">` holding the submission a page render received, for islands. */
export const SUBMISSION_DATA_ID = "sortie-submission";

/** The last submission of a form bound to a server function, as `useSubmission(action)` returns it. */
export interface Submission<R = unknown> {
  /** What the function returned. */
  result?: R;
  /** Why it failed (its message hidden in production unless deliberate, like every error). */
  error?: ServerError;
  /**
   * When it failed validation (a ValidationError): the first message per field, by the
   * field's name as the form posts it without `[]` (`title`, `address.city`).
   */
  issues?: Readonly<Record<string, string>>;
  /**
   * The fields sent that the form rendered as ordinary inputs (see ECHO_FIELD), without
   * secret-looking names (isSecretName), to fill the form again. Absent when the post
   * carried more than the echo's caps.
   */
  input?: FormData;
  /** In the browser: the call is still running. */
  pending?: boolean;
}

/** `useFormStatus()`: the state of the form around the component (the shape hono/jsx/dom uses). */
export type FormStatus =
  | { pending: false; data: null; method: null; action: null }
  | { pending: true; data: FormData; method: "get" | "post"; action: string | ((formData: FormData) => void | Promise<void>) };

export const IDLE_FORM: FormStatus = { pending: false, data: null, method: null, action: null };

type AnyAsyncFunction = (...args: any[]) => Promise<unknown>;

/** The URL a form posts to for `action` (`/_server/<id>`, with `?bound=` for `.with(...)` arguments). */
export function actionUrl(action: AnyAsyncFunction): string {
  return functionUrl(infoOf(action, "actionUrl"));
}

/**
 * Which submissions are of `action` (throws at once if it is not a server function): a
 * reference without bound arguments matches every submission of its function, one made with
 * `.with(...)` only those with the same arguments (`bound`: their JSON, as in the form's URL).
 */
export function submissionsOf(action: AnyAsyncFunction): (id: string, bound: string | undefined) => boolean {
  const info = infoOf(action, "useSubmission");
  const bound = bindingKey(info);
  return (id, submitted) => info.id === id && (bound === undefined || bound === submitted);
}

/**
 * What a submission of `info` is recorded under: its bound arguments' seroval JSON (the Worker
 * knows every value, sealed ones too), or in the browser, for a reference the Worker sealed,
 * `<sealed>|<clear bound JSON>`. Undefined without bound arguments.
 */
function bindingKey(info: ReferenceInfo): string | undefined {
  return submissionBinding(info.sealed, info.bound.length ? encodeArguments(info.bound) : undefined);
}

/** The key of a submission from its URL's parts: `?sealed=` and `?bound=` (both as sent). */
export function submissionBinding(sealed: string | undefined, bound: string | undefined): string | undefined {
  return sealed === undefined ? bound : `${sealed}|${bound ?? ""}`;
}

function infoOf(action: AnyAsyncFunction, caller: string) {
  const info = referenceInfo(action);
  if (!info) throw new TypeError(`${caller}(action): action must be a server function (a "use server" function or its .with(...))`);
  return info;
}

/**
 * Removes Sortie's reserved fields from a posted form (the function never sees them) and
 * returns their values.
 */
export function takeReservedFields(form: FormData): { returnPath: string | undefined; echoable: Set<string> } {
  const returnPath = form.get(RETURN_FIELD);
  const echoable = new Set(form.getAll(ECHO_FIELD).filter((name) => typeof name === "string"));
  form.delete(RETURN_FIELD);
  form.delete(ECHO_FIELD);
  return { returnPath: typeof returnPath === "string" ? returnPath : undefined, echoable };
}

// A word of a field name that marks it as a secret: a prefix (password, pword, passcode,
// cardNumber, tokenId, otpCode, totp, mfaCode, pin…) or a whole word (cc-number, api_key).
const SECRET_WORD = /^(?:pass|pw|secret|token|card|cvc|cvv|csc|otp|totp|mfa|pin|ssn|iban|cred)|^(?:cc|key)$/;
// Run together, with no hump or separator to split at: apikey, accesstoken, ccnum, accountnumber.
const SECRET_PART = /password|passwd|secret|token|apikey|credential|ccnum|cardnum|accountnum|acctnum|routingnum/;

/**
 * Whether a field's value must not be echoed: its name, split into words at camelCase humps
 * and at anything not a letter or digit, has a word in SECRET_WORD, or its letters and
 * digits run together hold a SECRET_PART. A second guard: the flash echoes only the fields
 * its form rendered as ordinary inputs anyway (ECHO_FIELD).
 */
export function isSecretName(name: string): boolean {
  const words = name.replace(/([a-z\d])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z\d]+/);
  return words.some((word) => SECRET_WORD.test(word)) || SECRET_PART.test(words.join(""));
}

const utf8 = new TextEncoder();

/**
 * The fields of `form` that may be shown again: those named in `echoable`, text values only,
 * no empty or secret-looking name. Undefined when they are more than ECHO_MAX_FIELDS or
 * ECHO_MAX_BYTES: a flash over its caps keeps its outcome and drops the input.
 */
export function echoInput(form: FormData, echoable: ReadonlySet<string>): FormData | undefined {
  const echo = new FormData();
  let fields = 0;
  let bytes = 0;
  for (const [name, value] of form) {
    if (name === "" || typeof value !== "string" || !echoable.has(name) || isSecretName(name)) continue;
    bytes += utf8.encode(name).byteLength + utf8.encode(value).byteLength;
    if (++fields > ECHO_MAX_FIELDS || bytes > ECHO_MAX_BYTES) return undefined;
    echo.append(name, value);
  }
  return echo;
}

/** What the Worker stores and embeds for a submission: seroval JSON of `{ result }` or `{ error }`, plus `input`. */
export interface StoredSubmission {
  result?: unknown;
  error?: ErrorPayload;
  input?: FormData;
}

/** `references` reads the references a result holds: stubs in the browser, registered functions in the Worker. */
export function decodeSubmission(json: SerovalJSON, references: Plugin<Function, any>): Submission {
  const stored = readJSON<StoredSubmission>(json, resultPlugins(undefined, references));
  const submission: Submission = { input: stored.input };
  if ("error" in stored) setError(submission, errorFromPayload(stored.error));
  else submission.result = stored.result;
  return submission;
}

/** A failed submission: its error, and its issues by field when it failed validation. */
export function setError(submission: Submission, error: ServerError): Submission {
  submission.error = error;
  if (error instanceof ValidationError) submission.issues = error.fields;
  return submission;
}
