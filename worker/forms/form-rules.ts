import { ECHO_FIELD, RETURN_FIELD } from "../../common/forms.ts";
import { ENDPOINT_PREFIX } from "../../common/reference.ts";
import { escapeHtml } from "../pages/escape-html.ts";

/**
 * What Sortie adds to a form that posts to a server function, decided from the element's
 * attributes alone. Two readers apply these rules: the render itself (form-render.ts, every
 * page without a flash) and the HTMLRewriter pass (form-markup.ts, a page after a plain form
 * post, which also marks the issues).
 */

const ENDPOINT_WORD = ENDPOINT_PREFIX.slice(1, -1);
const UNSETTLED_PATH = /[\t\n\r\\]|\/\.|%2e/i;

/** An element's attribute as its markup carries it (the name in lower case), or null when it has none. */
export type Attributes = (name: string) => string | null;

/** How a form being rendered submits, as far as its markup has shown. */
export interface FormSubmission {
  method: string;
  hasEnctype: boolean;
  /** It posts to a server function (its action, or a submit button's formaction). */
  posts: boolean;
}

/** The elements inside a form that Sortie reads or changes. */
export const FORM_CONTROLS: ReadonlySet<unknown> = new Set(["button", "input", "select", "textarea"]);

/** Whether `url` (relative to the page) is this origin's server-function endpoint. */
export function isEndpointUrl(url: string | null, page: URL): boolean {
  if (url === null) return false;
  // What functionUrl writes, `/_server/<id>?…`, needs no parser: nothing in it that the
  // parser would change (tabs and line breaks dropped, `\` read as `/`, dot segments).
  if (url.startsWith(ENDPOINT_PREFIX) && !UNSETTLED_PATH.test(url)) return true;
  // Any other such URL holds the prefix's word, unless a tab or line break splits it.
  if ((!url.includes(ENDPOINT_WORD) && !/[\t\n\r]/.test(url)) || !URL.canParse(url, page)) return false;
  const target = new URL(url, page);
  return target.origin === page.origin && target.pathname.startsWith(ENDPOINT_PREFIX);
}

/**
 * A form's start tag: `<form action={fn}>` renders without a method, so a form whose action is
 * a server function gets `method="post"` and the multipart enctype where it sets none.
 */
export function startForm(attributes: Attributes, page: URL): { endpoint: boolean; added: [string, string][]; form: FormSubmission } {
  const endpoint = isEndpointUrl(attributes("action"), page);
  const method = attributes("method");
  const enctype = attributes("enctype");
  const added: [string, string][] = [];
  if (endpoint && method === null) added.push(["method", "post"]);
  if (endpoint && enctype === null) added.push(["enctype", MULTIPART]);
  const submits = (method ?? (endpoint ? "post" : "get")).toLowerCase();
  return { endpoint, added, form: { method: submits, hasEnctype: enctype !== null || endpoint, posts: endpoint && submits === "post" } };
}

/** The elements whose `formaction` may send their form elsewhere. */
export function takesFormAction(tag: string): boolean {
  return tag === "button" || tag === "input";
}

/**
 * A button or input inside `form` whose formaction is a server function makes the form post
 * there: it gets `formmethod="post"` and the multipart `formenctype` where the form and the
 * element set none. Returns the attributes to add; `form.posts` records the post.
 */
export function controlAttributes(form: FormSubmission, tag: string, attributes: Attributes, page: URL): [string, string][] {
  if (!takesFormAction(tag) || !isEndpointUrl(attributes("formaction"), page)) return [];
  const method = attributes("formmethod");
  const added: [string, string][] = [];
  if (form.method !== "post" && method === null) added.push(["formmethod", "post"]);
  if (!form.hasEnctype && attributes("formenctype") === null) added.push(["formenctype", MULTIPART]);
  // Without a formmethod of its own, the button posts: the form's method is post, or it gets formmethod="post".
  form.posts ||= (method ?? "post").toLowerCase() === "post";
  return added;
}

const MULTIPART = "multipart/form-data";

// Input types whose value a person typed or picked and may see again; hidden, password, file
// and the buttons are not among them.
const ECHOABLE_TYPES = new Set(["text", "search", "email", "tel", "url", "number", "range", "date", "datetime-local", "month", "week", "time", "color", "checkbox", "radio"]);

/** An ordinary visible input: a select, a textarea, or an input of ECHOABLE_TYPES, none autocompleted as a secret. */
export function isEchoable(tag: string, attributes: Attributes): boolean {
  if (tag === "button") return false;
  const autocomplete = (attributes("autocomplete") ?? "").toLowerCase();
  if (/password|one-time-code|(^|\s)cc-/.test(autocomplete)) return false;
  return tag !== "input" || ECHOABLE_TYPES.has((attributes("type") ?? "text").toLowerCase());
}

/**
 * What goes before `</form>` of a form that posts to a server function: a hidden `$return`
 * field holding the page's path and query (the way back after the post), and a hidden `$echo`
 * field per name of an ordinary visible input, the only fields the flash will echo.
 */
export function formFields(page: URL, echoable: Iterable<string>): string {
  let fields = hidden(RETURN_FIELD, page.pathname + page.search);
  for (const name of echoable) fields += hidden(ECHO_FIELD, name);
  return fields;
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}
