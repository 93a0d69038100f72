import { AsyncLocalStorage } from "node:async_hooks";
import { jsx } from "hono/jsx";
import { raw } from "hono/utils/html";
import { findRequestEvent, type RequestEvent } from "../request/context.ts";
import { fillSealedUrl } from "../references/sealing.ts";
import { escapeAsHono } from "../pages/escape-html.ts";
import { controlAttributes, formFields, FORM_CONTROLS, isEchoable, startForm, takesFormAction, type Attributes, type FormSubmission } from "./form-rules.ts";

/**
 * Forms readied by the render itself: hono/jsx writes a form's added attributes and hidden
 * fields as it renders the form, so the page needs no second pass over its HTML (the rules
 * and the output are those of form-markup.ts's pass, which stays for renders after a plain
 * form post). What it covers is what hono/jsx renders as elements: a form or a control inside
 * raw HTML (`dangerouslySetInnerHTML`, `raw()`, the `html` helper) is sent as written, and so
 * is JSX inside a promise child (hono/jsx renders it only when the document is read). JSX
 * rendered to a string during a page's render is readied for that render (hono/jsx's own
 * providers and boundaries render that way): a string of it kept for later requests keeps
 * this request's `$return`.
 *
 * How: hono/jsx renders every element through one prototype method and every component
 * through another, which this module wraps once (a probe at start-up checks that they are
 * still what hono calls). The wrappers do nothing outside a page render of Sortie's, and
 * nothing but a comparison outside a form.
 *
 * Async children: the `$echo` fields list a form's input names in document order, and an
 * async component inside the form renders its inputs later than the inputs after it. So each
 * component inside a form gets its own list at its place in the form's list (carried into its
 * async continuation by an AsyncLocalStorage), and a form with async parts writes its fields
 * once those parts have rendered: as a part of its own, in its place before `</form>`.
 */

/** Hidden fields are refused: hono/jsx no longer renders elements the way this module expects. */
export class FormRenderProbeError extends Error {
  override name = "FormRenderProbeError";
}

/** Names in document order; an async part of a form fills the list at its place later. */
type Names = (string | Names)[];

interface RenderingForm extends FormSubmission {
  names: Names;
}

interface Scope {
  page: URL;
  event: RequestEvent | undefined;
  /** The innermost form being rendered, and where the next name goes. */
  form?: RenderingForm;
  names?: Names;
}

// hono/jsx's render buffer, read back to front (see pages/render-parts.ts).
type StringBuffer = unknown[];

/** An element or component node of hono/jsx, as its render methods see it. */
interface RenderedNode {
  tag: unknown;
  props: Record<string, unknown>;
  children: unknown[];
  toStringToBuffer(buffer: StringBuffer): void;
}

/** The request's renders ready their forms (set by renderingForms, on the request's locals). */
const READYING = Symbol("sortie.formsAtRender");

// Where a form's parts are: `current` while the form renders synchronously (a plain variable:
// cheap, and unset whenever the stack unwinds); an AsyncLocalStorage run only around a
// component inside a form, which may be async and render later.
let current: Scope | undefined;
const scopes = new AsyncLocalStorage<Scope>();

/**
 * Forms whose fields are still to be written, in every render in flight: none, nothing to look
 * for. A part that never settles (a request abandoned mid-stream) leaves it raised for good:
 * then each control and component pays a lookup, and the output is unchanged.
 */
let unfinished = 0;

const elementPrototype = Object.getPrototypeOf(jsx("p", {})) as RenderedNode;
const componentPrototype = Object.getPrototypeOf(jsx(() => null, {})) as RenderedNode;
const renderElement = elementPrototype.toStringToBuffer;
const renderComponent = componentPrototype.toStringToBuffer;
// Copies are made with hono/jsx's own classes: an object of another shape (Object.create of a
// node) would make hono's render methods' property lookups megamorphic, slowing every render.
type NodeClass = new (tag: unknown, props: Record<string, unknown>, children: unknown[]) => RenderedNode;
const ElementNode = elementPrototype.constructor as NodeClass;
const ComponentNode = componentPrototype.constructor as NodeClass;
// hono/jsx's own components for some tags (form, input, button, meta…): synchronous, one element each.
const INTRINSIC = new Set(["form", "input", "button", "link", "meta", "script", "style", "title"].map((tag) => (jsx(tag, {}) as unknown as RenderedNode).tag));

function scopeHere(): Scope | undefined {
  return current ?? scopes.getStore();
}

elementPrototype.toStringToBuffer = function (this: RenderedNode, buffer: StringBuffer): void {
  const tag = this.tag;
  // Tag names compared in lower case, as HTML (and the pass) reads them: `<FORM>` is a form.
  if (tag === "form" || (typeof tag === "string" && tag.length === 4 && tag.toLowerCase() === "form")) {
    const scope = scopeHere() ?? requestScope();
    if (scope) return renderForm(this, buffer, scope);
  } else if (unfinished > 0 && typeof tag === "string") {
    const control = tag.toLowerCase();
    const scope = FORM_CONTROLS.has(control) ? scopeHere() : undefined;
    if (scope?.form) return renderControl(this, control, buffer, scope);
  }
  renderElement.call(this, buffer);
};

componentPrototype.toStringToBuffer = function (this: RenderedNode, buffer: StringBuffer): void {
  const scope = unfinished > 0 && !INTRINSIC.has(this.tag) ? scopeHere() : undefined;
  if (!scope?.form) return renderComponent.call(this, buffer);
  const names: Names = [];
  scope.names!.push(names);
  // Called through a wrapper to learn whether the component is async: then the last part
  // hono/jsx adds to the buffer is its own, and if that part fails (a late error shown in its
  // place), the names it rendered are not in the document either.
  const component = this.tag as (props: unknown) => unknown;
  let async = false;
  const watched = new ComponentNode(
    (props: unknown) => {
      const result = component(props);
      async = result instanceof Promise;
      return result;
    },
    this.props,
    this.children,
  );
  within({ ...scope, names }, () => scopes.run(current!, () => renderComponent.call(watched, buffer)));
  if (async && buffer[1] instanceof Promise) buffer[1].catch(() => void (names.length = 0));
};

/** Has the current request's page renders ready their forms as they render (call before rendering). */
export function renderingForms(event: RequestEvent): void {
  event.locals.set(READYING, { page: event.url, event } satisfies Scope);
}

function requestScope(): Scope | undefined {
  return findRequestEvent()?.locals.get(READYING) as Scope | undefined;
}

function within(scope: Scope, render: () => void): void {
  const outer = current;
  current = scope;
  try {
    render();
  } finally {
    current = outer;
  }
}

function renderForm(node: RenderedNode, buffer: StringBuffer, scope: Scope): void {
  const { page, event } = scope;
  const attributes = attributesOf(node.props);
  const { endpoint, added, form: submission } = startForm(attributes, page);
  let props = withAttributes(node.props, added);
  if (endpoint) props = withSealedUrl(props, "action", event);
  let children = node.children;
  const inner = props.dangerouslySetInnerHTML as { __html?: unknown } | undefined;
  if (typeof inner === "object" && inner !== null && "__html" in inner && !children.length) {
    // hono/jsx takes inner HTML or children, not both: the fields follow it as a child.
    props = { ...props };
    delete props.dangerouslySetInnerHTML;
    children = [raw(inner.__html)];
  }
  const form: RenderingForm = { ...submission, names: [] };
  const end = new FormEnd(form, page, buffer.length);
  unfinished++;
  try {
    within({ ...scope, form, names: form.names }, () => renderElement.call(nodeWith(node, props, [...children, end]), buffer));
  } finally {
    if (!end.ended) unfinished--;
  }
}

/**
 * The last child of a form: writes its fields once its inputs have rendered. Rendered as a
 * node (its prototype is hono/jsx's element's), so it is handed the buffer at its place.
 */
class FormEnd {
  ended = false;
  readonly form: RenderingForm;
  readonly page: URL;
  /** The buffer's length before the form's start tag: any part added since is the form's. */
  readonly start: number;

  constructor(form: RenderingForm, page: URL, start: number) {
    this.form = form;
    this.page = page;
    this.start = start;
  }

  toStringToBuffer(buffer: StringBuffer): void {
    this.ended = true;
    const fields = () => (this.form.posts ? formFields(this.page, new Set(flatten(this.form.names))) : "");
    // Nothing of the form waits: its fields follow at once.
    if (buffer.length === this.start) {
      unfinished--;
      buffer[0] += fields();
      return;
    }
    // Else they wait for its parts (at odd places: hono/jsx adds a part as ["", promise] in front).
    const waiting: unknown[] = [];
    for (let index = 1; index < buffer.length - this.start; index += 2) waiting.push(buffer[index]);
    buffer.unshift(
      "",
      Promise.allSettled(waiting)
        .then(() => raw(fields()))
        .finally(() => unfinished--),
    );
  }
}
Object.setPrototypeOf(FormEnd.prototype, elementPrototype);

function renderControl(node: RenderedNode, tag: string, buffer: StringBuffer, scope: Scope): void {
  const attributes = attributesOf(node.props);
  let props = withAttributes(node.props, controlAttributes(scope.form!, tag, attributes, scope.page));
  const name = attributes("name");
  if (name && isEchoable(tag, attributes)) scope.names!.push(name);
  if (takesFormAction(tag)) props = withSealedUrl(props, "formaction", scope.event);
  renderElement.call(props === node.props ? node : nodeWith(node, props, node.children), buffer);
}

function* flatten(names: Names): Generator<string> {
  for (const name of names) {
    if (typeof name === "string") yield name;
    else yield* flatten(name);
  }
}

/** An element's attribute as hono/jsx will render it, from its props (names compared in lower case, as HTML does). */
function attributesOf(props: Record<string, unknown>): Attributes {
  return (name) => {
    const key = attributeKey(props, name);
    return key === undefined ? null : attributeText(props[key]);
  };
}

/** The first prop that renders as attribute `name` (HTML reads names in any case, the first of two wins). */
function attributeKey(props: Record<string, unknown>, name: string): string | undefined {
  for (const key in props) if (key === name || key.toLowerCase() === name) return key;
  return undefined;
}

// What hono/jsx writes for a prop: nothing for null, undefined and functions (event handlers).
// A promise's text is known only once the form has rendered: it counts as present and empty,
// so Sortie never adds an attribute over it, nor reads a URL or a name from it (docs/forms.md).
function attributeText(value: unknown): string | null {
  if (value === null || value === undefined || typeof value === "function") return null;
  return value instanceof Promise ? "" : String(value);
}

/** Props with `added` attributes last, as the pass's setAttribute appends them (a prop set to null or undefined goes too). */
function withAttributes(props: Record<string, unknown>, added: readonly [string, string][]): Record<string, unknown> {
  if (!added.length) return props;
  const next = { ...props };
  for (const [name, value] of added) {
    for (const key of Object.keys(next)) if (key.toLowerCase() === name) delete next[key];
    next[name] = value;
  }
  return next;
}

/** A URL with a sealed placeholder (references/sealing.ts) becomes its sealed value, written when ready. */
function withSealedUrl(props: Record<string, unknown>, name: string, event: RequestEvent | undefined): Record<string, unknown> {
  const key = attributeKey(props, name);
  const url = key === undefined ? undefined : props[key];
  const filled = event !== undefined && typeof url === "string" ? fillSealedUrl(url, event) : undefined;
  // Escaped as hono/jsx escapes a string attribute: the bytes of a URL it wrote itself.
  return filled ? { ...props, [key!]: filled.then((sealed) => raw(escapeAsHono(sealed))) } : props;
}

function nodeWith(node: RenderedNode, props: Record<string, unknown>, children: unknown[]): RenderedNode {
  return new ElementNode(node.tag, props, children);
}

/** Renders a form inside a scope and checks that its fields came out: hono/jsx still renders through the wrapped methods. */
function probe(): void {
  const page = new URL("https://probe.invalid/page");
  const form = jsx("form", { action: "/_server/probe" }, jsx(() => jsx("input", { name: "field" }), {}));
  let html = "";
  within({ page, event: undefined }, () => void (html = String(form.toString())));
  if (!html.includes(`name="$echo" value="field"`) || !html.includes('method="post"')) {
    throw new FormRenderProbeError(
      `hono/jsx did not render a form through the methods Sortie wraps (it rendered ${JSON.stringify(html)}), so forms would get no hidden fields: this hono version changed its internals; pin the hono version Sortie was tested with (4.x)`,
    );
  }
}

probe();
