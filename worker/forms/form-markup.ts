import { ECHO_FIELD, fieldOf, ISSUE_ATTRIBUTE, RETURN_FIELD, SEALED_BINDING, SUBMISSION_DATA_ID } from "../../common/forms.ts";
import { ENDPOINT_PREFIX } from "../../common/reference.ts";
import type { RequestEvent } from "../request/context.ts";
import type { Flash } from "./flash.ts";
import { receivedFlashes, receivedIssues } from "./submission.ts";
import { escapeHtml } from "../pages/escape-html.ts";
import { fillSealedUrl, hasPlaceholders, sealedBoundKey } from "../references/sealing.ts";

// The part of workerd's HTMLRewriter used here (declared locally: the Worker code also
// type-checks without @cloudflare/workers-types).
interface ContentOptions {
  html: boolean;
}
interface RewrittenElement {
  readonly tagName: string;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): unknown;
  append(content: string, options: ContentOptions): unknown;
  setInnerContent(content: string, options: ContentOptions): unknown;
  onEndTag(handler: (end: { before(content: string, options: ContentOptions): unknown }) => void): void;
}
interface Rewriter {
  on(selector: string, handlers: { element(element: RewrittenElement): void | Promise<void> }): Rewriter;
  transform(response: Response): Response;
}

/** A form being rewritten: what its attributes say, and what its fields reveal. */
interface OpenForm {
  method: string;
  hasEnctype: boolean;
  /** It posts to a server function (its action, or a submit button's formaction). */
  posts: boolean;
  /** Names of its ordinary visible inputs, the fields the flash may echo (each once). */
  echoable: Set<string>;
  /** The issues by field of the post to its action this render received, if it failed validation. */
  issues: Readonly<Record<string, string>> | undefined;
  /** Its place among the forms with issues: part of the message elements' ids. */
  ordinal: number;
}

/**
 * Readies a page's HTML (streaming, with workerd's HTMLRewriter) for forms posted without
 * JavaScript. A form whose `action` or a button's `formaction` points at a server function:
 * - posts, as multipart: `method="post"` / `formmethod="post"` and the multipart enctype are
 *   added where the markup sets none (`<form action={fn}>` renders without them);
 * - gets, before `</form>`, a hidden `$return` field holding this page's path and query (the
 *   way back after the post), and a hidden `$echo` field per name of an ordinary visible
 *   input (isEchoable): the only fields the flash will echo.
 * - when this render received a post to its action that failed validation: each input of a
 *   field with an issue gets `aria-invalid="true"` and, in `aria-describedby`, the id of the
 *   form's `[data-sortie-issue="<field>"]` element, which shows the message (ISSUE_ATTRIBUTE).
 * Other forms are left alone. When the render received form posts' flashes, their data goes
 * into a `<script type="application/json" id="sortie-submission">` (an array) for the browser.
 */
export function prepareForms(response: Response, event: RequestEvent): Response {
  const page = event.url;
  const fields = (form: OpenForm) =>
    hidden(RETURN_FIELD, page.pathname + page.search) + [...form.echoable].map((name) => hidden(ECHO_FIELD, name)).join("");
  const isEndpoint = (url: string | null) => {
    if (url === null || !URL.canParse(url, page)) return false;
    const target = new URL(url, page);
    return target.origin === page.origin && target.pathname.startsWith(ENDPOINT_PREFIX);
  };
  const open: OpenForm[] = [];
  const flashes = receivedFlashes(event);
  let withIssues = 0;
  const issuesOf = (action: string | null) => {
    if (!flashes.length || !isEndpoint(action)) return undefined;
    const target = new URL(action!, page);
    const bound = target.searchParams.has("sealed") ? sealedBoundKey(action!, event) : (target.searchParams.get("bound") ?? undefined);
    return receivedIssues(event, decodeURIComponent(target.pathname.slice(ENDPOINT_PREFIX.length)), bound);
  };

  // Placeholders of sealed references (references/sealing.ts) become their sealed values. A
  // streamed page makes them while this pass runs: asked per element.
  const sealing = () => hasPlaceholders(event);
  const fillSealed = async (element: RewrittenElement, attribute: string) => {
    const url = element.getAttribute(attribute);
    if (url?.includes("sealed=~")) element.setAttribute(attribute, await fillSealedUrl(url, event));
  };

  let rewriter = createRewriter().on("form", {
    async element(element) {
      const endpoint = isEndpoint(element.getAttribute("action"));
      if (endpoint) setMissing(element, { method: "post", enctype: "multipart/form-data" });
      const method = (element.getAttribute("method") ?? "get").toLowerCase();
      const issues = endpoint ? issuesOf(element.getAttribute("action")) : undefined;
      const form: OpenForm = { method, hasEnctype: element.hasAttribute("enctype"), posts: endpoint && method === "post", echoable: new Set(), issues, ordinal: issues ? withIssues++ : -1 };
      try {
        element.onEndTag((end) => {
          open.splice(open.lastIndexOf(form), 1);
          if (form.posts) end.before(fields(form), { html: true });
        });
        open.push(form);
      } catch {
        // `<form/>` in foreign content (inside <svg>) has no end tag, and is no form.
      }
      if (endpoint && sealing()) await fillSealed(element, "action");
    },
  });
  for (const control of ["button", "input", "select", "textarea"]) {
    rewriter = rewriter.on(`form ${control}`, {
      element(element) {
        const form = open.at(-1);
        if (!form) return;
        if ((control === "button" || control === "input") && isEndpoint(element.getAttribute("formaction"))) {
          if (form.method !== "post") setMissing(element, { formmethod: "post" });
          if (!form.hasEnctype) setMissing(element, { formenctype: "multipart/form-data" });
          form.posts ||= (element.getAttribute("formmethod") ?? form.method).toLowerCase() === "post";
        }
        const name = element.getAttribute("name");
        if (name && isEchoable(element)) form.echoable.add(name);
        if (name && form.issues && Object.hasOwn(form.issues, fieldOf(name))) markInvalid(element, issueId(form, fieldOf(name)));
        if ((control === "button" || control === "input") && sealing()) return fillSealed(element, "formaction");
      },
    });
  }
  if (flashes.length) {
    rewriter = rewriter.on(`form [${ISSUE_ATTRIBUTE}]`, {
      element(element) {
        const form = open.at(-1);
        const field = element.getAttribute(ISSUE_ATTRIBUTE) ?? "";
        if (!form?.issues || !Object.hasOwn(form.issues, field)) return;
        // The inputs (usually before it) already point at this id: the element takes it, or holds it on a span when it has its own.
        const id = issueId(form, field);
        const message = escapeHtml(form.issues[field]!);
        if (!element.hasAttribute("id")) {
          element.setAttribute("id", id);
          element.setInnerContent(message, { html: true });
        } else element.setInnerContent(`<span id="${id}">${message}</span>`, { html: true });
      },
    });
  }
  if (flashes.length) rewriter = rewriter.on("body", { element: (body) => void body.append(submissionScript(flashes), { html: true }) });
  return rewriter.transform(response);
}

/**
 * Whether prepareForms could change this whole document: it received a form post's flash, or
 * it may hold a URL of the endpoint. Every action and formaction URL it rewrites contains
 * `_server` (relative or not, `/` or `\` after it); only a hand-written URL with a tab or a
 * line break inside that word, which the URL parser drops, would be missed.
 */
export function needsFormPass(html: string, event: RequestEvent): boolean {
  return receivedFlashes(event).length > 0 || html.includes(ENDPOINT_PREFIX.slice(1, -1));
}

function createRewriter(): Rewriter {
  return new (globalThis as unknown as { HTMLRewriter: new () => Rewriter }).HTMLRewriter();
}

/** The id of the element showing `field`'s message in `form` (attribute-safe: the field is encoded). */
function issueId(form: OpenForm, field: string): string {
  return `sortie-issue-${form.ordinal}-${encodeURIComponent(field).replace(/[%'.]/g, "_")}`;
}

function markInvalid(element: RewrittenElement, id: string): void {
  element.setAttribute("aria-invalid", "true");
  const described = element.getAttribute("aria-describedby");
  element.setAttribute("aria-describedby", described ? `${described} ${id}` : id);
}

function setMissing(element: RewrittenElement, attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) if (!element.hasAttribute(name)) element.setAttribute(name, value);
}

// Input types whose value a person typed or picked and may see again; hidden, password, file
// and the buttons are not among them.
const ECHOABLE_TYPES = new Set(["text", "search", "email", "tel", "url", "number", "range", "date", "datetime-local", "month", "week", "time", "color", "checkbox", "radio"]);

/** An ordinary visible input: a select, a textarea, or an input of ECHOABLE_TYPES, none autocompleted as a secret. */
function isEchoable(element: RewrittenElement): boolean {
  if (element.tagName === "button") return false;
  const autocomplete = (element.getAttribute("autocomplete") ?? "").toLowerCase();
  if (/password|one-time-code|(^|\s)cc-/.test(autocomplete)) return false;
  return element.tagName !== "input" || ECHOABLE_TYPES.has((element.getAttribute("type") ?? "text").toLowerCase());
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

// JSON is data, not code (no 'unsafe-inline' needed); every "<" escaped so nothing closes the element.
// A flash whose bound arguments came sealed keeps them here: they are the values the seal hid
// (a closure's captures), so the browser gets a marker that matches only unbound references.
function submissionScript(flashes: readonly Flash[]): string {
  const json = JSON.stringify(flashes.map(({ id, bound, sealed, value }) => ({ id, bound: sealed ? SEALED_BINDING : bound, value }))).replaceAll("<", "\\u003c");
  return `<script type="application/json" id="${SUBMISSION_DATA_ID}">${json}</script>`;
}
