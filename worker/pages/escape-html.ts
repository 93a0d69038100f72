import { escapeToBuffer } from "hono/utils/html";

/** Text safe inside HTML and inside a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Text escaped as hono/jsx escapes text and attribute values (`&amp;`, `&quot;`…): the same bytes as a string it rendered. */
export function escapeAsHono(text: string): string {
  const buffer: [string] = [""];
  escapeToBuffer(text, buffer);
  return buffer[0];
}
