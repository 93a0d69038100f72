import { Fragment, jsx, type Child } from "hono/jsx";
import { escapeAsHono } from "./escape-html.ts";

/**
 * A render in document order: HTML that is ready, and the parts still waiting (an async
 * component's promise, its whole subtree included). Waiting parts already run side by side.
 */
export type RenderPart = string | WaitingPart;

export interface WaitingPart {
  readonly html: Promise<unknown>;
  /** The value of an attribute (hono/jsx takes a promise there), not markup between elements. */
  readonly inAttribute: boolean;
}

// hono/jsx renders into a buffer read back to front: [latest text, promise, earlier text, …].
// `toStringToBuffer` is what its own `toString()` calls; reading the buffer in order instead of
// awaiting it whole is what lets the document stream.
interface BufferedNode {
  toStringToBuffer(buffer: unknown[]): void;
}

/**
 * Runs `content`'s synchronous part now (an error or redirect thrown there throws here, before
 * anything is sent) and returns its parts in document order. hono's render context (its
 * `useContext` store) is set up by rendering a component that fills the buffer.
 */
export function renderParts(content: Child): RenderPart[] {
  const buffer: unknown[] = [""];
  const root = jsx(Fragment, {}, content) as unknown as BufferedNode;
  try {
    String(jsx(() => (root.toStringToBuffer(buffer), ""), {}).toString());
  } finally {
    // Awaited in order later, or never when the synchronous part threw: a part failing before
    // its turn must not be an unhandled rejection.
    for (const part of buffer) if (part instanceof Promise) part.catch(() => {});
  }
  const parts: RenderPart[] = [];
  let before = "";
  for (let index = buffer.length - 1; index >= 0; index--) {
    const part = buffer[index];
    if (part instanceof Promise) {
      // hono writes `name="` before an attribute's promise; text never ends with a bare quote (escaped).
      parts.push({ html: part, inAttribute: before.endsWith('="') });
    } else if (part !== "") parts.push((before = part as string));
  }
  return parts;
}

/** The HTML of one part once it is ready; throws what its component threw. */
export async function partHtml(part: RenderPart): Promise<string> {
  if (typeof part === "string") return part;
  let value = await part.html;
  if (value == null || typeof value === "boolean") return "";
  if (typeof value === "number") return String(value);
  const escaped = (value as { isEscaped?: boolean }).isEscaped;
  value = (value as object).toString();
  // hono/jsx's HTML of an async subtree may still be a promise; a string needs no turn of waiting.
  if (value instanceof Promise) value = await value;
  // Plain text is escaped as hono/jsx escapes it when it renders a whole tree.
  return escaped || (value as { isEscaped?: boolean }).isEscaped ? String(value) : escapeAsHono(String(value));
}

/** Every part in order, as one string (a page that does not stream). */
export async function renderedHtml(parts: readonly RenderPart[]): Promise<string> {
  let html = "";
  for (const part of parts) html += await partHtml(part);
  return html;
}
