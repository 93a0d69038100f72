// `sortie dev [wrangler dev flags…]`: what a fresh checkout needs, then wrangler dev itself.
// - .dev.vars with a random SESSION_SECRET beside the wrangler config, if there is none
// - local D1 migrations applied, for each [[d1_databases]] whose migrations folder exists
// - wrangler dev with SORTIE_ENV=development and every flag passed through; wrangler runs the
//   config's [build] command (`sortie build`) and again on changes under watch_dir, and
//   SORTIE_DEV_BUILD=1 makes those development builds
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError } from "./arguments.ts";
import { DEV_BUILD_VARIABLE } from "./build-command.ts";

const CONFIG_FILES = ["wrangler.jsonc", "wrangler.json", "wrangler.toml"];

interface WranglerConfig {
  build?: { command?: string };
  d1_databases?: readonly { binding: string; migrations_dir?: string }[];
}

export async function devCommand(args: string[]): Promise<void> {
  const root = process.cwd();
  const wrangler = wranglerBin(root);
  const configFile = findConfig(root, passedValue(args, "--config", "-c"));
  const config = await readConfig(wrangler, configFile, passedValue(args, "--env", "-e"));
  const where = relative(root, configFile) || configFile;
  if (!config.build?.command) {
    throw new CliError(
      `${where} has no [build] command, so wrangler dev would serve whatever dist/ holds: add [build] command = "sortie build" and watch_dir = ["app"]`,
    );
  }
  writeDevVars(dirname(configFile));

  // Migrations go to the same local state and config wrangler dev will use.
  const shared = ["--config", "--env", "-c", "-e", "--persist-to"].flatMap((name) => {
    const value = passedValue(args, name);
    return value === undefined ? [] : [name, value];
  });
  for (const database of config.d1_databases ?? []) {
    if (!existsSync(resolve(dirname(configFile), database.migrations_dir ?? "migrations"))) continue;
    const migrate = spawnSync(process.execPath, [wrangler.bin, "d1", "migrations", "apply", database.binding, "--local", ...shared], {
      stdio: "inherit",
      env: { ...process.env, CI: "true" }, // no "continue?" prompt: it is the local database
    });
    if (migrate.status !== 0) throw new CliError(`applying the local D1 migrations of ${database.binding} failed (see above)`);
  }

  const child = spawn(process.execPath, [wrangler.bin, "dev", "--var", "SORTIE_ENV:development", ...args], {
    stdio: "inherit",
    env: { ...process.env, [DEV_BUILD_VARIABLE]: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((done) => child.on("exit", (status, signal) => done(status ?? (signal ? 1 : 0))));
  process.exitCode = code;
}

/** The app's own wrangler (a peer dependency of sortie). */
function wranglerBin(root: string): { bin: string; main: string } {
  const require = createRequire(join(root, "package.json"));
  try {
    const manifest = require.resolve("wrangler/package.json");
    return { bin: join(dirname(manifest), "bin", "wrangler.js"), main: require.resolve("wrangler") };
  } catch {
    throw new CliError(`wrangler is not installed in ${root}: run npm install --save-dev wrangler`);
  }
}

function findConfig(root: string, chosen: string | undefined): string {
  if (chosen !== undefined) {
    const file = resolve(root, chosen);
    if (!existsSync(file)) throw new CliError(`the wrangler config ${chosen} (--config) does not exist in ${root}`);
    return file;
  }
  const found = CONFIG_FILES.map((name) => join(root, name)).find((file) => existsSync(file));
  if (!found) throw new CliError(`no wrangler.toml (or wrangler.json/.jsonc) in ${root}: run sortie dev in your app's folder`);
  return found;
}

async function readConfig(wrangler: { main: string }, config: string, env: string | undefined): Promise<WranglerConfig> {
  const { unstable_readConfig } = (await import(pathToFileURL(wrangler.main).href)) as {
    unstable_readConfig(args: { config: string; env?: string }): WranglerConfig;
  };
  return unstable_readConfig({ config, env });
}

function writeDevVars(folder: string): void {
  const file = join(folder, ".dev.vars");
  if (existsSync(file)) return;
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `# Local secrets for wrangler dev (keep this file out of git).\nSESSION_SECRET=${secret}\n`, { mode: 0o600 });
  console.log(`sortie dev: wrote ${file} with a random SESSION_SECRET`);
}

/** The value of a flag passed through to wrangler (`--name value` or `--name=value`). */
function passedValue(args: readonly string[], ...names: string[]): string | undefined {
  for (let index = 0; index < args.length; index++) {
    for (const name of names) {
      if (args[index] === name) return args[index + 1];
      if (args[index]!.startsWith(`${name}=`)) return args[index]!.slice(name.length + 1);
    }
  }
  return undefined;
}
