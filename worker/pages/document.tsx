import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { ClientManifest } from "../../build/manifest.ts";
import { PAGE_DATA_ID } from "../../common/markup.ts";
import { escapeAsHono } from "./escape-html.ts";

/** The hashed client files of a build (`sortie:manifest`), which the document links. */
export type { ClientManifest };

export interface DocumentProps {
  title: string;
  manifest: ClientManifest;
}

// Where the title and the page go in the shell rendered once per manifest.
const TITLE_MARK = "\u0001sortie-title\u0001";
const BODY_MARK = "\u0001sortie-body\u0001";

/** The shell of each manifest, rendered once: [up to the title, after it up to the page, the end]. */
const shells = new WeakMap<ClientManifest, [string, string, string]>();

/**
 * The HTML shell around every page, in two halves: the doctype, the head (title,
 * stylesheets, modulepreloads, the client entry) and `<body>`; then `</body></html>`. The
 * page and its data go between (documentData). A streamed page sends the first half at once.
 */
export function documentShell({ title, manifest }: DocumentProps): [start: string, end: string] {
  let shell = shells.get(manifest);
  if (!shell) {
    const html = `<!doctype html>${String(Shell({ title: TITLE_MARK, manifest }))}`;
    const [head, rest] = html.split(TITLE_MARK) as [string, string];
    const [middle, end] = rest.split(BODY_MARK) as [string, string];
    shells.set(manifest, (shell = [head, middle, end]));
  }
  // Escaped as hono/jsx escapes text, so the title reads as it did when rendered with the shell.
  return [shell[0] + escapeAsHono(title) + shell[1], shell[2]];
}

/** The page's query results (worker/pages/page-data.ts), placed last in the body. */
export function documentData(json: string): string {
  // Data, not code: read with JSON.parse, so a strict CSP needs no 'unsafe-inline'.
  return `<script type="application/json" id="${PAGE_DATA_ID}">${json}</script>`;
}

function Shell({ title, manifest }: DocumentProps): Child {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {manifest.css.map((href) => <link rel="stylesheet" href={href} />)}
        {manifest.imports.map((href) => <link rel="modulepreload" href={href} />)}
        <script type="module" src={manifest.entry}></script>
      </head>
      <body>{raw(BODY_MARK)}</body>
    </html>
  );
}
