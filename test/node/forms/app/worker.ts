import manifest from "sortie:manifest";
import { createSortie } from "sortie/worker";
import { routes } from "./routes.tsx";

export default createSortie({ routes, manifest });
