import { Redirect } from "../../common/redirect.ts";
import { runWithRequestEvent } from "../request/context.ts";
import { errorDetails } from "./error-details.ts";
import { pageData } from "./page-data.ts";
import { settleQueries } from "../queries/query-cache.ts";
import { partHtml, type RenderPart } from "./render-parts.ts";
import type { PageRender } from "./render.ts";
import type { RequestEvent } from "../request/context.ts";
import { escapeHtml } from "./escape-html.ts";

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
 * Each step runs in the request's context; a closed connection stops the work.
 */
export class StreamedDocument {
  readonly #event: RequestEvent;
  readonly #chunks: AsyncGenerator<string>;
  readonly #settled: Promise<unknown>;

  constructor(render: PageRender, [start, end]: [string, string], parts: readonly RenderPart[], preloading: Promise<unknown>) {
    this.#event = render.event;
    this.#chunks = documentChunks(render, start, end, parts, preloading);
    const waiting = [...parts.flatMap((part) => (typeof part === "string" ? [] : [part.html])), preloading];
    this.#settled = Promise.allSettled(waiting).then(() => settleQueries(render.event));
  }

  /**
   * The body, once the request was committed. When every part, the preload and every query
   * settle within READY_TURNS microtask turns (data already at hand), there is nothing to
   * wait for: the same bytes as one string, which costs less to send than a stream. Otherwise
   * a stream, its first chunk ready at once.
   */
  async body(): Promise<string | ReadableStream<Uint8Array>> {
    const event = this.#event;
    if (await settlesSoon(this.#settled)) {
      return runWithRequestEvent(event, async () => {
        let html = "";
        for await (const chunk of this.#chunks) html += chunk;
        return html;
      });
    }
    const chunks = this.#chunks;
    const encoder = new TextEncoder();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await runWithRequestEvent(event, () => chunks.next());
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
  }

  /** Drops the render (its commit failed: an error page answers instead). */
  async cancel(): Promise<void> {
    await this.#chunks.return(undefined);
  }
}

/**
 * How many microtask turns a render gets to settle before the document streams. A page
 * whose data is at hand (memory, the request's cache) settles within a few; anything that
 * waits for I/O (D1, KV, fetch) takes a later turn of the event loop and streams. Counted in
 * turns from the commit, not time: no timer is made, and the bytes are the same either way.
 */
const READY_TURNS = 64;

/** Whether `promise` settles within READY_TURNS microtask turns. */
async function settlesSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let turn = 0; turn < READY_TURNS && !settled; turn++) await undefined;
  return settled;
}

async function* documentChunks(render: PageRender, start: string, end: string, parts: readonly RenderPart[], preloading: Promise<unknown>): AsyncGenerator<string> {
  let html = start;
  for (const part of parts) {
    if (typeof part === "string") {
      html += part;
      continue;
    }
    yield html;
    try {
      html = await partHtml(part);
    } catch (error) {
      if (part.inAttribute) {
        // Markup cannot go inside an attribute's value: it stays empty, and the error is logged.
        const failure = error instanceof Redirect ? new LateAttributeRedirectError(error.location) : error;
        console.error(`[sortie] page ${render.event.url.pathname}: a promise given as an attribute's value failed after the head was sent; the attribute was left empty:`, failure);
        html = "";
      } else if (error instanceof Redirect) {
        yield lateRedirect(error.location) + end;
        return;
      } else html = lateError(render, error);
    }
  }
  yield html;
  try {
    html = await pageData(render.event, render.describe, preloading);
  } catch (error) {
    html = lateError(render, error);
  }
  yield html + end;
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
