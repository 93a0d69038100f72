import { existsSync, statSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as esbuild from "esbuild";
import { BuildConfigError, BuildError, BuildFailedError } from "./errors.ts";
import { modulePath } from "./ids.ts";
import { clientManifest, type ClientManifest } from "./manifest.ts";
import { ServerFunctionTransform } from "./plugin.ts";
import { sortieSpecifiers } from "./specifiers.ts";
import type { Protection } from "./transform/protection.ts";
import type { Target } from "./transform.ts";

export interface BuildOptions {
  /** The project root: ids and error messages use paths relative to it. */
  root: string;
  /** Default `<root>/dist`. `worker/` and `client/` inside it are replaced on every build. */
  outDir?: string;
  /** The Worker's entry module (relative to `root`, or absolute). */
  workerEntry: string;
  /** The browser's entry module (relative to `root`, or absolute). */
  clientEntry: string;
  /** Development build: unminified client and Worker, `process.env.NODE_ENV` is "development". */
  dev?: boolean;
  /**
   * Strict mode: every server function must declare a guard (`{ use: [...] }` middleware) or
   * be marked public (a `"public"` directive), or the build fails naming each one.
   */
  strict?: boolean;
}

export interface BuildResult {
  readonly manifest: ClientManifest;
  /** Every registered server function, sorted by id. */
  readonly serverFunctions: readonly { id: string; name: string; file: string; line: number; column: number; protection: Protection }[];
  /** The Worker bundle (`<outDir>/worker/index.js`). */
  readonly workerFile: string;
  readonly warnings: readonly string[];
}

/** The esbuild options of one bundle, without plugins (the benchmark builds with and without them). */
export function bundleOptions(options: BuildOptions, target: Target): esbuild.BuildOptions {
  const root = resolve(options.root);
  const outDir = resolve(root, options.outDir ?? "dist");
  const shared: esbuild.BuildOptions = {
    absWorkingDir: root,
    bundle: true,
    format: "esm",
    target: "es2022",
    sourcemap: true,
    metafile: true,
    logLevel: "silent",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": JSON.stringify(options.dev ? "development" : "production") },
  };
  if (target === "client") {
    return {
      ...shared,
      entryPoints: [resolve(root, options.clientEntry)],
      outdir: join(outDir, "client"),
      platform: "browser",
      splitting: true, // islands load with import()
      minify: !options.dev,
      entryNames: "assets/[name]-[hash]",
      chunkNames: "assets/[name]-[hash]",
      assetNames: "assets/[name]-[hash]",
      jsxImportSource: "hono/jsx/dom", // and hono/jsx is aliased to it (see specifiers.ts)
    };
  }
  return {
    ...shared,
    entryPoints: [resolve(root, options.workerEntry)],
    outfile: join(outDir, "worker", "index.js"),
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    external: ["node:*", "cloudflare:*"],
    jsxImportSource: "hono/jsx",
    // A smaller upload and a faster cold start; names kept, so error stacks and logs still say
    // which function failed (the source map maps them back to the files).
    minify: !options.dev,
    keepNames: !options.dev,
  };
}

/**
 * Builds the client bundle (browser ESM, split, minified, content-hashed under `assets/`),
 * then the Worker bundle (one ESM file for workerd, with the client manifest inlined as
 * `sortie:manifest`), both with source maps, and writes `<outDir>/manifest.json`.
 * Throws `BuildFailedError` listing every problem (file:line:column and a hint).
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const root = resolve(options.root);
  checkOptions(root, options);
  const outDir = resolve(root, options.outDir ?? "dist");
  await Promise.all(["client", "worker"].map((dir) => rm(join(outDir, dir), { recursive: true, force: true })));

  const transform = new ServerFunctionTransform(root);
  const client = await bundle({ ...bundleOptions(options, "client"), plugins: [sortieSpecifiers("client", root), transform.plugin("client")] });
  const manifest = clientManifest(client.metafile!, root, join(outDir, "client"), resolve(root, options.clientEntry));
  const worker = await bundle({
    ...bundleOptions(options, "worker"),
    plugins: [sortieSpecifiers("worker", root, manifest), transform.plugin("worker")],
  });
  checkWorkerRegistersClientStubs(transform, client.metafile!, root);
  if (options.strict) checkEveryFunctionDeclaresItsCallers(transform);

  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    manifest,
    serverFunctions: transform.serverFunctions.map((fn) => ({ id: fn.id, name: fn.name, ...fn.at, protection: fn.protection })),
    workerFile: join(outDir, "worker", "index.js"),
    warnings: [...client.warnings, ...worker.warnings].map((warning) => describe(warning)),
  };
}

function checkOptions(root: string, options: BuildOptions): void {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new BuildConfigError(`The project root ${root} is not a directory`);
  for (const [what, entry] of [["Worker", options.workerEntry], ["client", options.clientEntry]] as const) {
    if (!existsSync(resolve(root, entry))) {
      throw new BuildConfigError(`The ${what} entry ${modulePath(root, resolve(root, entry))} does not exist (in ${root})`);
    }
  }
}

async function bundle(options: esbuild.BuildOptions): Promise<esbuild.BuildResult> {
  try {
    return await esbuild.build(options);
  } catch (error) {
    const failure = error as Partial<esbuild.BuildFailure>;
    if (!Array.isArray(failure.errors)) throw error;
    throw new BuildFailedError(failure.errors.map(toBuildError));
  }
}

/**
 * A module whose stubs reach the browser must be in the Worker bundle too, or every call to
 * them would meet an unknown id.
 */
function checkWorkerRegistersClientStubs(transform: ServerFunctionTransform, metafile: esbuild.Metafile, root: string): void {
  const shipped = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) if (bytesInOutput > 0) shipped.add(resolve(root, input));
  }
  const missing = [...transform.loaded.client].filter(([path]) => shipped.has(path) && !transform.loaded.worker.has(path));
  if (missing.length === 0) return;
  throw new BuildFailedError(
    missing.map(([, module]) => {
      const first = module.serverFunctions[0]!;
      return new BuildError(
        `the client bundle calls server functions of ${module.file} (${first.name}, …), but the Worker bundle never imports ${module.file}, so the Worker would not know their ids`,
        first.at,
        `import ${module.file} from the Worker entry, directly or through the pages it renders`,
      );
    }),
  );
}

/** Strict mode: a server function that neither declares middleware nor says it is public. */
function checkEveryFunctionDeclaresItsCallers(transform: ServerFunctionTransform): void {
  const open = transform.serverFunctions
    .filter((fn) => fn.protection === undefined)
    .sort((a, b) => a.at.file.localeCompare(b.at.file) || a.at.line - b.at.line);
  if (open.length === 0) return;
  throw new BuildFailedError(
    open.map(
      (fn) =>
        new BuildError(
          `the server function ${fn.name} declares no guard, and strict mode wants every server function to say who may call it (anyone can POST to it)`,
          fn.at,
          `declare a guard with it: action(async (…) => { "use server"; … }, { use: [requireUser] }) (or query(fn, key, { use: […] })); or, if anyone may call it, write "public" after "use server" (at the top of a file-level "use server" module it covers every export)`,
        ),
    ),
  );
}

function toBuildError(message: esbuild.Message): BuildError {
  if (message.detail instanceof BuildError) return message.detail;
  const hint = (message.detail as { hint?: unknown } | undefined)?.hint;
  const where = message.location
    ? { file: message.location.file, line: message.location.line, column: message.location.column + 1 }
    : { file: "(build)", line: 0, column: 0 };
  return new BuildError(message.text, where, typeof hint === "string" ? hint : undefined);
}

function describe(message: esbuild.Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : "";
  return `${where}${message.text}`;
}
