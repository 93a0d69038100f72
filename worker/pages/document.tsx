import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { ClientManifest } from "../../build/manifest.ts";
import { PAGE_DATA_ID } from "../../common/markup.ts";

/** The hashed client files of a build (`sortie:manifest`), which the document links. */
export type { ClientManifest };

export interface DocumentProps {
  title: string;
  manifest: ClientManifest;
}

// Where the page goes; found from the end, so no title can contain it first.
const BODY_MARK = "\u0001sortie-body\u0001";

/**
 * The HTML shell around every page, in two halves: the doctype, the head (stylesheets,
 * modulepreloads, the client entry) and `<body>`; then `</body></html>`. The page and its
 * data go between (documentData). A streamed page sends the first half at once.
 */
export function documentShell(props: DocumentProps): [start: string, end: string] {
  const html = `<!doctype html>${String(Shell(props))}`;
  const at = html.lastIndexOf(BODY_MARK);
  return [html.slice(0, at), html.slice(at + BODY_MARK.length)];
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
