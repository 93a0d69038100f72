// `sortie init <folder>` (and `npm create sortie`): writes a small working app from template/
// plus a package.json whose versions match this Sortie (the wrangler it was tested with, the
// Node it needs), then says what to run.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { CliError, parseArguments } from "./arguments.ts";
import { sortiePackage } from "./package-root.ts";

/** Files whose text names the app (`{{name}}`). */
const NAMED_FILES = ["wrangler.toml", "README.md"];

export function initCommand(args: string[]): void {
  const { positionals } = parseArguments(args, {});
  if (positionals.length !== 1) throw new CliError(`name the folder to create: sortie init my-app`);
  const folder = resolve(positionals[0]!);
  createApp(folder);
  const nearby = relative(process.cwd(), folder);
  const shown = nearby === "" ? "." : nearby.startsWith("..") ? folder : nearby;
  console.log(`Created a Sortie app in ${folder}. Next:\n\n  cd ${shown}\n  npm install\n  npm run dev\n`);
}

/** Writes the app into `folder` (new or empty). Throws CliError naming what is wrong. */
export function createApp(folder: string): void {
  const name = basename(folder);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || name.length > 63) {
    throw new CliError(`"${name}" cannot name a Worker and a package: use lowercase letters, digits, ".", "_" and "-" (for example my-app)`);
  }
  if (existsSync(folder) && readdirSync(folder).length > 0) throw new CliError(`${folder} already exists and is not empty: choose a new folder`);

  const sortie = sortiePackage();
  const template = join(sortie.root, "template");
  if (!existsSync(template)) throw new CliError(`Sortie's template folder ${template} is missing: reinstall the sortie package`);
  mkdirSync(folder, { recursive: true });
  cpSync(template, folder, { recursive: true });
  // npm leaves .gitignore files out of packages, so the template keeps it as _gitignore.
  renameSync(join(folder, "_gitignore"), join(folder, ".gitignore"));
  for (const file of NAMED_FILES) {
    const path = join(folder, file);
    writeFileSync(path, readFileSync(path, "utf8").replaceAll("{{name}}", name));
  }
  writeFileSync(join(folder, "package.json"), `${JSON.stringify(appManifest(name, sortie.manifest), null, 2)}\n`);
}

function appManifest(name: string, sortie: ReturnType<typeof sortiePackage>["manifest"]) {
  const pinned = (dependency: string) => {
    const version = sortie.devDependencies?.[dependency] ?? sortie.dependencies[dependency];
    if (!version) throw new Error(`sortie's package.json names no version of ${dependency}`);
    return version;
  };
  return {
    name,
    version: "0.0.0",
    private: true,
    type: "module",
    scripts: {
      dev: "sortie dev",
      build: "sortie build --strict",
      deploy: "sortie build --strict && wrangler deploy",
      test: "tsc --noEmit && sortie build --strict && node --test \"test/**/*.test.ts\"",
      types: "wrangler types",
      // The Worker's types (Env from wrangler.toml, the runtime's globals) for tsc.
      postinstall: "wrangler types",
    },
    dependencies: { sortie: `^${sortie.version}`, hono: pinned("hono") },
    devDependencies: {
      // wrangler 4 needs Node >= 22.12: npm scripts run on this Node, whatever the system has.
      node: pinned("node"),
      typescript: pinned("typescript"),
      "@types/node": pinned("@types/node"), // nodejs_compat: the Worker has Node's APIs too
      wrangler: pinned("wrangler"),
    },
    // npm 11 runs install scripts only of these: the node binary, esbuild's and workerd's.
    allowScripts: { esbuild: true, node: true, workerd: true },
  };
}
