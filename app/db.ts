// The app's D1 database (binding `DB` in wrangler.toml; local under `wrangler dev`).
// Only server code calls it: server functions, queries and pages. It is the request's D1
// session (useD1): every query of a request shares it, it starts from the browser's last
// write, so with read replicas a user never reads older than what they wrote
// (docs/consistency.md).
import type { D1DatabaseSession } from "@cloudflare/workers-types";
import { useD1 } from "sortie";

export function db(): D1DatabaseSession {
  return useD1("DB") as D1DatabaseSession;
}
