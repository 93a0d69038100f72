import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { ClientManifest } from "../../build/manifest.ts";
import { PAGE_DATA_ID } from "../../common/markup.ts";

/** The hashed client files of a build (`sortie:manifest`), which the document links. */
export type { ClientManifest };

export interface DocumentProps {
  title: string;
  manifest: ClientManifest;
  /** The page's query results as JSON text (see worker/pages/page-data.ts). */
  data: string;
  /** The rendered page, already HTML. */
  body: string;
}

/** The HTML shell around every page: head, the page, its data and the client entry. */
export function Document({ title, manifest, data, body }: DocumentProps): Child {
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
      <body>
        {raw(body)}
        {/* Data, not code: read with JSON.parse, so a strict CSP needs no 'unsafe-inline'. */}
        <script type="application/json" id={PAGE_DATA_ID}>{raw(data)}</script>
      </body>
    </html>
  );
}
