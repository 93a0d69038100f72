// A throwaway wrangler project holding an app built with the real build: what the browser
// tests and the single-flight benchmark serve with `wrangler dev` (test/node/e2e/dev-server.ts).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build, type BuildResult } from "../../../build/build.ts";
import { projectCompatibility } from "../../../scripts/compatibility.ts";

export interface BuiltProject extends BuildResult {
  /** The project folder: pass it to startDevServer({ root }). */
  root: string;
  /** The id the build gave the server function named `name`. */
  idOf(name: string): string;
  remove(): Promise<void>;
}

const compatibility = projectCompatibility();
const WRANGLER_TOML = `name = "sortie-project"
main = "worker/index.js"
no_bundle = true
compatibility_date = "${compatibility.date}"
compatibility_flags = ${JSON.stringify(compatibility.flags)}

[assets]
directory = "client"

[[kv_namespaces]]
binding = "SESSIONS"
id = "project-sessions"

[[d1_databases]]
binding = "DB"
database_name = "project"
database_id = "00000000-0000-0000-0000-000000000000"
migrations_dir = "migrations"

# The demo's rate limits, as in the repository's wrangler.toml (app/limits.ts).
[[ratelimits]]
name = "SIGN_IN_LIMITER"
namespace_id = "1001"
simple = { limit = 30, period = 60 }

[[ratelimits]]
name = "POST_LIMITER"
namespace_id = "1002"
simple = { limit = 20, period = 60 }
`;

/** Builds `workerEntry` and `clientEntry` (relative to Sortie's root) into a new temporary project. */
export async function buildProject(entries: { workerEntry: string; clientEntry: string }): Promise<BuiltProject> {
  const root = await mkdtemp(join(tmpdir(), "sortie-project-"));
  const remove = () => rm(root, { recursive: true, force: true });
  try {
    const built = await build({ root: resolve(import.meta.dirname, "../../.."), outDir: root, ...entries });
    await mkdir(join(root, "migrations"));
    await writeFile(join(root, "wrangler.toml"), WRANGLER_TOML);
    const idOf = (name: string) => {
      const found = built.serverFunctions.find((fn) => fn.name === name);
      if (!found) throw new Error(`The build has no server function named ${name}`);
      return found.id;
    };
    return { ...built, root, idOf, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
