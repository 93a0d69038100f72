import { Redirect } from "../../common/redirect.ts";
import { runWithRequestEvent } from "../request/context.ts";
import { errorDetails } from "./error-details.ts";
import { pageData } from "./page-data.ts";
import { partHtml, type RenderPart } from "./render-parts.ts";
import type { PageRender } from "./render.ts";
import { escapeHtml } from "./escape-html.ts";
import { BufferedBody } from "../request/buffered-body.ts";

/**
 * A streamed document, in order: the head, the layout and everything else ready at once,
 * each async component's HTML when it is ready (they all run side by side; the document
 * waits only where it must, since HTML arrives in order without a script to move it), then
 * the page data and the end. The response's status and headers went before the first byte,
 * so what a component does after that cannot change them:
 * - a `redirect()` thrown late becomes `<meta http-equiv="refresh">` with a link (a browser
 *   follows it with or without JavaScript, and the CSP allows it), and the document ends there;
 * - an error thrown late takes that component's place as a `role="alert"` notice with what
 *   describeError lets the page say (the error id in production), and the rest renders.
 * Nothing is written before body() is called (a request whose commit failed answers with an
 * error page instead, and a HEAD request never asks); each step runs in the request's
 * context; a closed connection stops the writing at its next part.
 */
export class StreamedDocument {
  readonly #render: PageRender;
  readonly #shell: [string, string];
  readonly #parts: readonly RenderPart[];
  readonly #preloading: Promise<unknown>;

  constructor(render: PageRender, shell: [string, string], parts: readonly RenderPart[], preloading: Promise<unknown>) {
    this.#render = render;
    this.#shell = shell;
    this.#parts = parts;
    this.#preloading = preloading;
  }

  /**
   * The body, once the request was committed. The document is written at once into a
   * buffer; when it is whole within a few microtask turns (data already at hand), there was
   * nothing to wait for: the same bytes as one string, which costs less to send than a
   * stream. Otherwise a stream, its first chunk what was written by then, the rest following
   * as it is written.
   */
  async body(): Promise<string | ReadableStream<Uint8Array>> {
    const sink = new BufferedBody();
    const [start, end] = this.#shell;
    const writing = runWithRequestEvent(this.#render.event, () => writeDocument(this.#render, start, end, this.#parts, this.#preloading, sink));
    const waiting = this.#parts.reduce((count, part) => (typeof part === "string" ? count : count + 1), 0);
    if (await settlesSoon(writing, READY_TURNS + TURNS_PER_PART * waiting)) {
      await writing;
      return sink.text();
    }
    const stream = sink.stream();
    writing.then(
      () => sink.close(),
      (error: unknown) => sink.fail(error),
    );
    return stream;
  }
}

/**
 * How many microtask turns a document gets to be written whole before it streams: READY_TURNS,
 * plus TURNS_PER_PART for each part the synchronous render left waiting, which the writer
 * awaits in turn (a ready part takes about 3; async components nested in it take more). A page whose data is at hand (memory, the request's cache) is written within
 * them; anything that waits for I/O (D1, KV, fetch) takes a later turn of the event loop and
 * streams. Counted in turns from the commit, not time: no timer is made, and the bytes are the
 * same either way.
 */
const READY_TURNS = 64;
const TURNS_PER_PART = 8;

/** Whether `promise` settles within `turns` microtask turns. */
async function settlesSoon(promise: Promise<unknown>, turns: number): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let turn = 0; turn < turns && !settled; turn++) await undefined;
  return settled;
}

/** Writes the document to `sink` in order, each waiting part when it is ready; stops at the next part once the reader went away. */
async function writeDocument(render: PageRender, start: string, end: string, parts: readonly RenderPart[], preloading: Promise<unknown>, sink: BufferedBody): Promise<void> {
  let html = start;
  for (const part of parts) {
    if (typeof part === "string") {
      html += part;
      continue;
    }
    sink.write(html);
    try {
      html = await partHtml(part);
    } catch (error) {
      if (part.inAttribute) {
        // Markup cannot go inside an attribute's value: it stays empty, and the error is logged.
        const failure = error instanceof Redirect ? new LateAttributeRedirectError(error.location) : error;
        console.error(`[sortie] page ${render.event.url.pathname}: a promise given as an attribute's value failed after the head was sent; the attribute was left empty:`, failure);
        html = "";
      } else if (error instanceof Redirect) {
        sink.write(lateRedirect(error.location) + end);
        return;
      } else html = lateError(render, error);
    }
    if (sink.cancelled) return;
  }
  sink.write(html);
  if (sink.cancelled) return;
  try {
    html = await pageData(render.event, render.describe, preloading);
  } catch (error) {
    html = lateError(render, error);
  }
  sink.write(html + end);
}

/** A `redirect()` thrown by a promise given as an attribute's value: there is nowhere to put the refresh. */
export class LateAttributeRedirectError extends Error {
  override name = "LateAttributeRedirectError";
  constructor(location: string) {
    super(`redirect("${location}") was thrown by a promise given as an attribute's value, after the page's head was sent: it cannot be followed there. Redirect from a component, before the head (in its synchronous part), or in a route with stream: false`);
  }
}

/** A redirect after the first byte: a refresh to a same-origin path (Redirect checked it), and a link. */
function lateRedirect(location: string): string {
  // The path starts with "/", so the refresh reads it to the end, unquoted.
  const url = escapeHtml(location);
  return `<meta http-equiv="refresh" content="0;url=${url}"><p data-sortie-redirect><a href="${url}">Continue</a></p>`;
}

/** An error after the first byte, where the failed part would have been. */
function lateError(render: PageRender, error: unknown): string {
  const { status, details } = errorDetails(render.describe, error);
  return `<p role="alert" data-sortie-error="${status}">${escapeHtml(details)}</p>`;
}
