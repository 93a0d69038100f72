// The route table. A page's preload starts the queries it shows, so after a form on the page
// posts, Sortie re-runs them and sends the fresh values back with the answer (single flight).
import { defineRoutes } from "sortie";
import { VotesPage } from "./votes-page.tsx";
import { getVotes } from "./votes.ts";

export const routes = defineRoutes([
  { path: "/", title: "Tabs or spaces?", preload: () => getVotes(), component: VotesPage },
]);
