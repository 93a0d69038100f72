// The app's D1 database (binding `DB` in wrangler.toml; local under `wrangler dev`).
// Only server code calls it: server functions, queries and pages.
import type { D1Database } from "@cloudflare/workers-types";
import { getRequestEvent } from "sortie";

export function db(): D1Database {
  return getRequestEvent().env.DB as D1Database;
}
