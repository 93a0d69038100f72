import { readJSON } from "../common/reader/read.ts";
import { ServerError } from "../common/errors.ts";
import { echoInput, fieldOf, IDLE_FORM, ISSUE_ATTRIBUTE, setError, submissionBinding, takeReservedFields, type FormStatus } from "../common/forms.ts";
import { Redirect } from "../common/redirect.ts";
import { ENDPOINT_PREFIX } from "../common/reference.ts";
import { ARGUMENT_PLUGINS } from "../common/wire.ts";
import { isCurrentPage } from "./router.ts";
import { createServerReference } from "./stub.ts";
import { recordSubmission } from "./submissions.ts";

/** The element inside a form that shows the form's last error (its text is replaced). */
export const ERROR_ATTRIBUTE = "data-sortie-error";

const statuses = new WeakMap<HTMLFormElement, FormStatus>();
const listeners = new Set<() => void>();

/** The state of an enhanced form (idle unless a submission is running). */
export function formStatus(form: HTMLFormElement | null | undefined): FormStatus {
  return (form && statuses.get(form)) || IDLE_FORM;
}

export function subscribeFormStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setStatus(form: HTMLFormElement, status: FormStatus): void {
  statuses.set(form, status);
  if (status.pending) form.setAttribute("aria-busy", "true");
  else form.removeAttribute("aria-busy");
  for (const listener of listeners) listener();
}

/**
 * Takes over the submit of every form that posts to a server function (the HTML the Worker
 * rendered, which also works without JavaScript): the function's stub is called with the
 * form's bound arguments and its FormData (submitter included, Sortie's hidden fields left
 * out), so the result and the page's fresh data come back in one response and redirects are
 * followed. While it runs the form has `aria-busy="true"` and ignores further submits; then
 * it is reset (success, a redirect to the page it is on included) or keeps its values and
 * shows the error in its `[data-sortie-error]` element (failure). Forms hono/jsx/dom handles
 * itself (`action={fn}`) are left to it. start() calls this once; returns the unsubscribe.
 */
export function enhanceForms(): () => void {
  const onSubmit = (event: SubmitEvent) => {
    const form = event.target as HTMLFormElement;
    const submitter = event.submitter as HTMLButtonElement | HTMLInputElement | null;
    const url = event.defaultPrevented ? undefined : endpointUrl(form, submitter);
    if (!url) return;
    event.preventDefault();
    if (!formStatus(form).pending) void submit(form, submitter, url);
  };
  document.addEventListener("submit", onSubmit);
  return () => document.removeEventListener("submit", onSubmit);
}

/** Where the browser would post the form, when that is one of this app's server functions. */
function endpointUrl(form: HTMLFormElement, submitter: HTMLButtonElement | HTMLInputElement | null): URL | undefined {
  // Attributes, not properties: a field named "action" or "method" shadows form.action.
  const read = (name: string) => submitter?.getAttribute(`form${name}`) ?? form.getAttribute(name);
  const target = read("target");
  if (read("method")?.toLowerCase() !== "post" || (target && target !== "_self")) return undefined;
  const url = new URL(read("action") ?? "", document.baseURI);
  return url.origin === location.origin && url.pathname.startsWith(ENDPOINT_PREFIX) ? url : undefined;
}

let issueIds = 0;

/**
 * The markup convention of ISSUE_ATTRIBUTE, as the Worker applies it after a plain post: each
 * `[data-sortie-issue]` element shows its field's message (or nothing), and the field's inputs
 * are `aria-invalid` and described by it, or no longer.
 */
function showIssues(form: HTMLFormElement, issues: Readonly<Record<string, string>>): void {
  const shown = new Map<string, string>();
  for (const element of form.querySelectorAll<HTMLElement>(`[${ISSUE_ATTRIBUTE}]`)) {
    const field = element.getAttribute(ISSUE_ATTRIBUTE)!;
    const message = Object.hasOwn(issues, field) ? issues[field]! : "";
    element.textContent = message;
    element.id ||= `sortie-issue-client-${issueIds++}`;
    shown.set(field, element.id);
  }
  for (const control of form.querySelectorAll("input[name], select[name], textarea[name]")) {
    const field = fieldOf(control.getAttribute("name")!);
    const id = shown.get(field);
    const described = (control.getAttribute("aria-describedby") ?? "").split(" ").filter((token) => token && token !== id && !token.startsWith("sortie-issue-"));
    const invalid = Object.hasOwn(issues, field);
    if (invalid && id) described.push(id);
    if (invalid) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
    if (described.length) control.setAttribute("aria-describedby", described.join(" "));
    else control.removeAttribute("aria-describedby");
  }
}

async function submit(form: HTMLFormElement, submitter: HTMLElement | null, url: URL): Promise<void> {
  const id = decodeURIComponent(url.pathname.slice(ENDPOINT_PREFIX.length));
  const sealed = url.searchParams.get("sealed") ?? undefined;
  const boundText = url.searchParams.get("bound") ?? undefined;
  // What the submission is recorded under: useSubmission(fn) matches it.
  const bound = submissionBinding(sealed, boundText);
  const data = new FormData(form, submitter);
  const input = echoInput(data, takeReservedFields(data).echoable);
  const errorElement = form.querySelector(`[${ERROR_ATTRIBUTE}]`);
  setStatus(form, { pending: true, data, method: "post", action: url.href });
  recordSubmission(id, bound, { input, pending: true });
  try {
    const args = boundText ? readJSON<unknown[]>(JSON.parse(boundText), ARGUMENT_PLUGINS) : [];
    const result = await createServerReference(id, sealed).with(...args)(data);
    // A redirect elsewhere: the router is on its way there. One to this very page is not
    // followed (client/router.ts): its records refreshed the page, so the form is done.
    if (result instanceof Redirect && !isCurrentPage(new URL(result.location, location.href))) return;
    recordSubmission(id, bound, { result, input });
    if (errorElement) errorElement.textContent = "";
    showIssues(form, {});
    form.reset();
  } catch (failure) {
    const error = failure instanceof ServerError ? failure : new ServerError((failure as Error).message, { status: 500 });
    const submission = setError({ input }, error);
    recordSubmission(id, bound, submission);
    if (errorElement) errorElement.textContent = error.message;
    showIssues(form, submission.issues ?? {});
  } finally {
    setStatus(form, IDLE_FORM);
  }
}
