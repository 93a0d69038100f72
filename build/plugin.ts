import { readFile } from "node:fs/promises";
import { extname, sep } from "node:path";
import type { Loader, PartialMessage, Plugin } from "esbuild";
import { BuildError } from "./errors.ts";
import { modulePath } from "./ids.ts";
import { analyzeModule, emitModule, type ModuleAnalysis, type ServerFunction, type Target } from "./transform.ts";
import { duplicateIdError } from "./transform/analysis.ts";

const LOADERS: Record<string, Loader> = { ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx", ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx" };

/**
 * The `"use server"` transform as esbuild plugins, one per bundle, sharing one analysis per
 * file: the client build parses a module, the worker build reuses the result. Only files whose
 * text mentions `use server` are parsed (the parser then decides); dependencies in
 * node_modules are left to esbuild.
 */
export class ServerFunctionTransform {
  readonly #root: string;
  readonly #modules = new Map<string, Promise<{ source: string; analysis: ModuleAnalysis | undefined }>>();
  readonly #ids = new Map<string, ServerFunction>();
  /** Per bundle: the project files with server functions it loaded. */
  readonly loaded: Record<Target, Map<string, ModuleAnalysis>> = { client: new Map(), worker: new Map() };

  constructor(root: string) {
    this.#root = root;
  }

  /** Every server function the Worker bundle registers, by id. */
  get serverFunctions(): ServerFunction[] {
    return [...this.loaded.worker.values()].flatMap((analysis) => analysis.serverFunctions).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  plugin(target: Target): Plugin {
    return {
      name: `sortie-use-server-${target}`,
      setup: (build) => {
        build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async ({ path }) => {
          if (path.includes(`${sep}node_modules${sep}`)) return undefined;
          const loader = LOADERS[extname(path)]!;
          try {
            const { source, analysis } = await this.#analyze(path);
            if (!analysis) return { contents: source, loader };
            this.loaded[target].set(path, analysis);
            return { contents: emitModule(analysis, path, target), loader };
          } catch (error) {
            if (error instanceof BuildError) return { errors: [esbuildMessage(error, await readFile(path, "utf8"))] };
            throw error;
          }
        });
      },
    };
  }

  #analyze(path: string): Promise<{ source: string; analysis: ModuleAnalysis | undefined }> {
    let pending = this.#modules.get(path);
    if (!pending) {
      pending = readFile(path, "utf8").then((source) => {
        // Fast path: without the text, there is no directive; with it, the parser decides.
        const analysis = source.includes("use server") ? analyzeModule(source, path, modulePath(this.#root, path)) : undefined;
        if (analysis) this.#claimIds(analysis);
        return { source, analysis };
      });
      this.#modules.set(path, pending);
    }
    return pending;
  }

  #claimIds(analysis: ModuleAnalysis): void {
    for (const fn of analysis.serverFunctions) {
      const first = this.#ids.get(fn.id);
      if (first) throw duplicateIdError(fn.id, first.at, fn.at);
      this.#ids.set(fn.id, fn);
    }
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
