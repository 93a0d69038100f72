// `npm run dev`: everything a fresh clone needs before `wrangler dev`, then wrangler dev itself.
// - .dev.vars with a random SESSION_SECRET (git-ignored; never overwritten once it exists)
// - the demo app's D1 migrations applied to the local database
// - wrangler dev in local mode on port 8787 (or PORT), errors shown in full (SORTIE_ENV=development)
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { wranglerEnv } from "./wrangler-env.ts";

const port = process.env.PORT ?? "8787";
const env = wranglerEnv();

if (!existsSync(".dev.vars")) {
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(".dev.vars", `# Local secrets for wrangler dev (git-ignored).\nSESSION_SECRET=${secret}\n`);
  console.log("sortie: wrote .dev.vars with a random SESSION_SECRET");
}

function run(args: string[], extraEnv: Record<string, string> = {}): void {
  const result = spawnSync("wrangler", args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// CI=true: apply without the "continue?" prompt (it is the local database only).
run(["d1", "migrations", "apply", "DB", "--local"], { CI: "true" });
run(["dev", "--port", port, "--ip", "127.0.0.1", "--var", "SORTIE_ENV:development", ...process.argv.slice(2)]);
