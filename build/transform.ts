import { analyzeModule, type ModuleAnalysis } from "./transform/analysis.ts";
import { clientModule } from "./transform/client.ts";
import { workerModule } from "./transform/worker.ts";

export { analyzeModule, type ModuleAnalysis, type ServerFunction } from "./transform/analysis.ts";

/** Which bundle a module is being built for. */
export type Target = "worker" | "client";

/**
 * The `"use server"` transform of one module for one bundle (see build/transform/*.ts).
 * `path` is the file on disk, `file` its path relative to the project root (ids use it).
 * Undefined when the module has no server function: it is bundled as it is.
 */
export function transformModule(source: string, options: { path: string; file: string; target: Target }): string | undefined {
  const analysis = analyzeModule(source, options.path, options.file);
  return analysis && emitModule(analysis, options.path, options.target);
}

export function emitModule(analysis: ModuleAnalysis, path: string, target: Target): string {
  return target === "worker" ? workerModule(analysis, path) : clientModule(analysis);
}
