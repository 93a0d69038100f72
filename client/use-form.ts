import type * as Dom from "hono/jsx/dom";
import type { Context } from "hono/jsx";
import { IDLE_FORM, type FormStatus, type Submission } from "../common/forms.ts";
import { formStatus, subscribeFormStatus } from "./forms.ts";
import { findSubmission, subscribeSubmissions } from "./submissions.ts";
import { loadedDom } from "./use-query.ts";

// Each island's wrapper element, so hooks inside it find the server-rendered form around it.
let islandElement: Context<Element | null> | undefined;

/** client/islands.ts: renders an island's node under its wrapper element. */
export function inIsland(dom: typeof Dom, element: Element, node: Dom.JSXNode): Dom.JSXNode {
  islandElement ??= dom.createContext<Element | null>(null);
  const provider = islandElement.Provider as (props: object) => Dom.JSXNode;
  return dom.jsx(provider, { value: element }, node);
}

/**
 * The latest submission of `action` in this page: the plain form post the page was rendered
 * after (the Worker embeds it), then each submission of an enhanced form (`pending` while it
 * runs). In an island it re-renders on every change.
 */
export function useSubmission<F extends (...args: any[]) => Promise<unknown>>(action: F): Submission<Awaited<ReturnType<F>>> | undefined {
  const dom = loadedDom();
  const read = () => findSubmission(action) as Submission<Awaited<ReturnType<F>>> | undefined;
  return dom ? dom.useSyncExternalStore(subscribeSubmissions, read, read) : read();
}

/**
 * In an island: the status of the form around it — a form hono/jsx/dom renders with
 * `action={fn}`, else the server-rendered form the island sits in (enhanced by start()).
 */
export function useFormStatus(): FormStatus {
  const dom = loadedDom();
  if (!dom) return IDLE_FORM;
  const own = dom.useFormStatus();
  const form = islandElement ? dom.useContext(islandElement)?.closest("form") : undefined;
  const read = () => formStatus(form);
  const around = dom.useSyncExternalStore(subscribeFormStatus, read, read);
  return own.pending ? own : around;
}
