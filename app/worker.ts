// The Worker: Sortie's endpoint for server functions plus the app's pages.
import manifest from "sortie:manifest";
import { createSortie } from "sortie/worker";
import { Layout } from "./layout.tsx";
import { routes } from "./routes.tsx";

export default createSortie({ routes, layout: Layout, manifest });

// The Durable Object behind Sortie's "durable-object" session store, bound in wrangler.toml.
// The demo keeps its sessions in KV (the default); createSortie({ session: { store:
// "durable-object" } }) switches to one object per session (docs/sessions.md).
export { SortieSessionObject } from "sortie/worker";
