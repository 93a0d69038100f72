import { Redirect } from "../../common/redirect.ts";
import { runWithRequestEvent } from "../request/context.ts";
import { errorDetails } from "./error-details.ts";
import { pageData } from "./page-data.ts";
import { partHtml, type RenderPart } from "./render-parts.ts";
import type { PageRender } from "./render.ts";
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
export function streamDocument(render: PageRender, [start, end]: [string, string], parts: readonly RenderPart[], preloading: Promise<unknown>): ReadableStream<Uint8Array> {
  const chunks = documentChunks(render, start, end, parts, preloading);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await runWithRequestEvent(render.event, () => chunks.next());
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
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
      if (error instanceof Redirect) {
        yield lateRedirect(error.location) + end;
        return;
      }
      html = lateError(render, error);
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
