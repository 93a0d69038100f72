// The Worker: Sortie's endpoint for server functions plus the app's pages.
import manifest from "sortie:manifest";
import { createSortie } from "sortie/worker";
import { Layout } from "./layout.tsx";
import { routes } from "./routes.tsx";

export default createSortie({ routes, layout: Layout, manifest });
