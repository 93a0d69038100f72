import { fieldOf, ISSUE_ATTRIBUTE, SEALED_BINDING, SUBMISSION_DATA_ID } from "../../common/forms.ts";
import { ENDPOINT_PREFIX } from "../../common/reference.ts";
import type { RequestEvent } from "../request/context.ts";
import type { Flash } from "./flash.ts";
import { receivedFlashes, receivedIssues } from "./submission.ts";
import { escapeHtml } from "../pages/escape-html.ts";
import { fillSealedUrl, hasPlaceholders, sealedBoundKey } from "../references/sealing.ts";
import { controlAttributes, formFields, FORM_CONTROLS, isEchoable, startForm, takesFormAction, type Attributes, type FormSubmission } from "./form-rules.ts";

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
interface OpenForm extends FormSubmission {
  /** Names of its ordinary visible inputs, the fields the flash may echo (each once). */
  echoable: Set<string>;
  /** The issues by field of the post to its action this render received, if it failed validation. */
  issues: Readonly<Record<string, string>> | undefined;
  /** Its place among the forms with issues: part of the message elements' ids. */
  ordinal: number;
}

/**
 * Readies a page's HTML for forms posted without JavaScript, in a second pass (streaming, with
 * workerd's HTMLRewriter): what a render after a plain form post gets, since it also marks the
 * issues. Every other page has its forms readied while it renders (form-render.ts), by the
 * same rules (form-rules.ts). A form whose `action` or a button's `formaction` points at a
 * server function:
 * - posts, as multipart: `method="post"` / `formmethod="post"` and the multipart enctype are
 *   added where the markup sets none (`<form action={fn}>` renders without them);
 * - gets, before `</form>`, the hidden `$return` and `$echo` fields (formFields);
 * - when this render received a post to its action that failed validation: each input of a
 *   field with an issue gets `aria-invalid="true"` and, in `aria-describedby`, the id of the
 *   form's `[data-sortie-issue="<field>"]` element, which shows the message (ISSUE_ATTRIBUTE).
 * Other forms are left alone. When the render received form posts' flashes, their data goes
 * into a `<script type="application/json" id="sortie-submission">` (an array) for the browser.
 */
export function prepareForms(response: Response, event: RequestEvent): Response {
  const page = event.url;
  const open: OpenForm[] = [];
  const flashes = receivedFlashes(event);
  let withIssues = 0;
  // The issues of a post to `action` (a server function's URL) that this render received.
  const issuesOf = (action: string) => {
    if (!flashes.length) return undefined;
    const target = new URL(action, page);
    const bound = target.searchParams.has("sealed") ? sealedBoundKey(action, event) : (target.searchParams.get("bound") ?? undefined);
    return receivedIssues(event, decodeURIComponent(target.pathname.slice(ENDPOINT_PREFIX.length)), bound);
  };

  // Placeholders of sealed references (references/sealing.ts) become their sealed values. A
  // streamed page makes them while this pass runs: asked per element.
  const sealing = () => hasPlaceholders(event);
  const fillSealed = async (element: RewrittenElement, attribute: string) => {
    const url = element.getAttribute(attribute);
    const filled = url === null ? undefined : fillSealedUrl(url, event);
    if (filled) element.setAttribute(attribute, await filled);
  };

  let rewriter = createRewriter().on("form", {
    async element(element) {
      const attributes = attributesOf(element);
      const { endpoint, added, form: submission } = startForm(attributes, page);
      for (const [name, value] of added) element.setAttribute(name, value);
      const issues = endpoint ? issuesOf(attributes("action")!) : undefined;
      const form: OpenForm = { ...submission, echoable: new Set(), issues, ordinal: issues ? withIssues++ : -1 };
      try {
        element.onEndTag((end) => {
          open.splice(open.lastIndexOf(form), 1);
          if (form.posts) end.before(formFields(page, form.echoable), { html: true });
        });
        open.push(form);
      } catch {
        // `<form/>` in foreign content (inside <svg>) has no end tag, and is no form.
      }
      if (endpoint && sealing()) await fillSealed(element, "action");
    },
  });
  for (const control of FORM_CONTROLS) {
    rewriter = rewriter.on(`form ${control}`, {
      element(element) {
        const form = open.at(-1);
        if (!form) return;
        const attributes = attributesOf(element);
        for (const [name, value] of controlAttributes(form, element.tagName, attributes, page)) element.setAttribute(name, value);
        const name = attributes("name");
        if (name && isEchoable(element.tagName, attributes)) form.echoable.add(name);
        if (name && form.issues && Object.hasOwn(form.issues, fieldOf(name))) markInvalid(element, issueId(form, fieldOf(name)));
        if (takesFormAction(element.tagName) && sealing()) return fillSealed(element, "formaction");
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

// lol-html gives an attribute's text as written, character references and all: decoded here
// the way a browser reads them, for the references hono/jsx writes and numeric ones (an input
// named `a&b` renders `name="a&amp;b"`, and its $echo field must say `a&b`).
function attributesOf(element: RewrittenElement): Attributes {
  return (name) => {
    const text = element.getAttribute(name);
    return text?.includes("&") ? text.replace(CHARACTER_REFERENCE, decodeReference) : text;
  };
}

const CHARACTER_REFERENCE = /&(?:amp|quot|lt|gt|apos|#\d{1,7}|#x[\da-f]{1,6});/gi;
const NAMED_REFERENCES: Record<string, string> = { amp: "&", quot: '"', lt: "<", gt: ">", apos: "'" };

function decodeReference(reference: string): string {
  const body = reference.slice(1, -1).toLowerCase();
  if (!body.startsWith("#")) return NAMED_REFERENCES[body]!;
  const code = body[1] === "x" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
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

// JSON is data, not code (no 'unsafe-inline' needed); every "<" escaped so nothing closes the element.
// A flash whose bound arguments came sealed keeps them here: they are the values the seal hid
// (a closure's captures), so the browser gets a marker that matches only unbound references.
function submissionScript(flashes: readonly Flash[]): string {
  const json = JSON.stringify(flashes.map(({ id, bound, sealed, value }) => ({ id, bound: sealed ? SEALED_BINDING : bound, value }))).replaceAll("<", "\\u003c");
  return `<script type="application/json" id="${SUBMISSION_DATA_ID}">${json}</script>`;
}
