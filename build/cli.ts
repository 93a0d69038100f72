// `node build/cli.ts [--dev]` (npm run build, npm test, wrangler's [build] command): builds
// the app in the current directory — app/worker.ts(x) into dist/worker, app/client.ts(x)
// into dist/client — and prints what it made. Problems print as file:line:column plus a hint.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { build } from "./build.ts";
import { BuildConfigError, BuildFailedError } from "./errors.ts";

const root = process.cwd();

function entry(base: string, what: string): string {
  const found = [".ts", ".tsx"].map((extension) => `${base}${extension}`).find((file) => existsSync(join(root, file)));
  if (!found) throw new BuildConfigError(`Missing the ${what} entry: create ${base}.ts (or ${base}.tsx) in ${root}`);
  return found;
}

try {
  const unknown = process.argv.slice(2).filter((argument) => argument !== "--dev");
  if (unknown.length > 0) throw new BuildConfigError(`Unknown option ${unknown.join(" ")} (the only option is --dev)`);
  const started = performance.now();
  const result = await build({
    root,
    workerEntry: entry("app/worker", "Worker"),
    clientEntry: entry("app/client", "client"),
    dev: process.argv.includes("--dev"),
  });
  for (const warning of result.warnings) console.warn(`sortie build: warning: ${warning}`);
  const elapsed = Math.round(performance.now() - started);
  console.log(`sortie build: dist/worker/index.js, dist/client${result.manifest.entry} (+${result.manifest.imports.length} chunks), ${result.serverFunctions.length} server functions, ${elapsed} ms`);
} catch (error) {
  if (!(error instanceof BuildFailedError || error instanceof BuildConfigError)) throw error;
  console.error(`sortie build: ${error.message}`);
  process.exitCode = 1;
}
