import { readFileSync } from "node:fs";
import { extname, sep } from "node:path";
import type { Loader, PartialMessage, Plugin } from "esbuild";
import { BuildError, type SourceLocation } from "./errors.ts";
import { modulePath } from "./ids.ts";
import { analyzeModule, emitModule, type Target } from "./transform.ts";
import { claimIds } from "./transform/analysis.ts";
import type { Protection } from "./transform/protection.ts";

const LOADERS: Record<string, Loader> = { ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx", ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx" };

/** A server function as the build reports it. */
export interface ServerFunctionInfo {
  readonly id: string;
  readonly name: string;
  readonly at: SourceLocation;
  /** Who may call it, as strict mode asks (transform/protection.ts). */
  readonly protection: Protection;
}

/** A module with server functions, transformed for both bundles from one parse. */
export interface TransformedModule {
  readonly file: string;
  readonly serverFunctions: readonly ServerFunctionInfo[];
  readonly code: Readonly<Record<Target, string>>;
}

/**
 * The `"use server"` transform as esbuild plugins, one per bundle. Each file is parsed once
 * and transformed for both bundles at once (the client build meets most files first), so no
 * syntax tree outlives its file. Only files whose text mentions `use server` are parsed (the
 * parser then decides); dependencies in node_modules are left to esbuild.
 */
export class ServerFunctionTransform {
  readonly #root: string;
  readonly #modules = new Map<string, TransformedModule | undefined>();
  readonly #ids = new Map<string, SourceLocation>();
  /** Per bundle: the project files with server functions it loaded. */
  readonly loaded: Record<Target, Map<string, TransformedModule>> = { client: new Map(), worker: new Map() };

  constructor(root: string) {
    this.#root = root;
  }

  /** Every server function the Worker bundle registers, sorted by id. */
  get serverFunctions(): ServerFunctionInfo[] {
    return [...this.loaded.worker.values()].flatMap((module) => module.serverFunctions).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  plugin(target: Target): Plugin {
    return {
      name: `sortie-use-server-${target}`,
      setup: (build) => {
        build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, ({ path }) => {
          if (path.includes(`${sep}node_modules${sep}`)) return undefined;
          try {
            const module = this.#transform(path);
            if (!module) return undefined; // esbuild reads it itself, faster than sending it back
            this.loaded[target].set(path, module);
            return { contents: module.code[target], loader: LOADERS[extname(path)]! };
          } catch (error) {
            if (error instanceof BuildError) return { errors: [esbuildMessage(error, readFileSync(path, "utf8"))] };
            throw error;
          }
        });
      },
    };
  }

  #transform(path: string): TransformedModule | undefined {
    if (this.#modules.has(path)) return this.#modules.get(path);
    // Synchronous: for small source files it is several times cheaper than fs/promises.
    const source = readFileSync(path, "utf8");
    // Fast path: without the text, there is no directive; with it, the parser decides.
    const analysis = source.includes("use server") ? analyzeModule(source, path, modulePath(this.#root, path)) : undefined;
    const module = analysis && {
      file: analysis.file,
      serverFunctions: analysis.serverFunctions.map(({ id, name, at, protection }) => ({ id, name, at, protection })),
      code: { client: emitModule(analysis, path, "client"), worker: emitModule(analysis, path, "worker") },
    };
    if (module) claimIds(this.#ids, module.serverFunctions);
    this.#modules.set(path, module);
    return module;
  }
}

/** A BuildError as esbuild reports it; `detail` carries the error itself back to build(). */
function esbuildMessage(error: BuildError, source: string): PartialMessage {
  return {
    text: error.message,
    location: { file: error.file, line: error.line, column: error.column - 1, lineText: source.split("\n")[error.line - 1] ?? "" },
    detail: error,
  };
}
