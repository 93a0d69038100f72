// `sortie build`: builds the app in the current directory (app/worker.ts(x) into dist/worker,
// app/client.ts(x) into dist/client) and prints what it made. wrangler's [build] command
// runs it; under `sortie dev` (SORTIE_DEV_BUILD=1) it is a development build.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "../build.ts";
import { BuildConfigError } from "../errors.ts";
import { parseArguments } from "./arguments.ts";

/** Set by `sortie dev` for the builds wrangler dev runs. */
export const DEV_BUILD_VARIABLE = "SORTIE_DEV_BUILD";

export async function buildCommand(args: string[]): Promise<void> {
  const { options, positionals } = parseArguments(args, { dev: "flag", strict: "flag", worker: "value", client: "value", "out-dir": "value" });
  if (positionals.length > 0) throw new BuildConfigError(`unexpected argument ${positionals[0]}: sortie build takes only options (see sortie --help)`);
  const root = process.cwd();
  const started = performance.now();
  const outDir = typeof options["out-dir"] === "string" ? options["out-dir"] : "dist";
  const result = await build({
    root,
    outDir,
    workerEntry: entry(root, options.worker, "app/worker", "Worker", "--worker"),
    clientEntry: entry(root, options.client, "app/client", "client", "--client"),
    dev: options.dev === true || process.env[DEV_BUILD_VARIABLE] === "1",
    strict: options.strict === true,
  });
  for (const warning of result.warnings) console.warn(`sortie build: warning: ${warning}`);
  const elapsed = Math.round(performance.now() - started);
  console.log(
    `sortie build: ${outDir}/worker/index.js, ${outDir}/client${result.manifest.entry} (+${result.manifest.imports.length} chunks), ${result.serverFunctions.length} server functions, ${elapsed} ms`,
  );
}

/** The entry file: the one the option names, else `<base>.ts` or `<base>.tsx`. */
function entry(root: string, chosen: string | true | undefined, base: string, what: string, option: string): string {
  if (typeof chosen === "string") {
    if (!existsSync(resolve(root, chosen))) throw new BuildConfigError(`The ${what} entry ${chosen} (${option}) does not exist in ${root}`);
    return chosen;
  }
  const found = [".ts", ".tsx"].map((extension) => `${base}${extension}`).find((file) => existsSync(join(root, file)));
  if (!found) throw new BuildConfigError(`Missing the ${what} entry: create ${base}.ts (or ${base}.tsx) in ${root}, or name yours with ${option} <file>`);
  return found;
}
