// What the load benchmarks share (bench/endpoint, bench/pages): their command line, a Worker
// bundled with esbuild and served by one workerd (Miniflare) on loopback with the project's
// compatibility date and flags, and the median.
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { projectCompatibility, type Compatibility } from "../scripts/compatibility.ts";

/** `[--seconds 3] [--rounds 10] [--connections 8]`. */
export function loadOptions(): { seconds: number; rounds: number; connections: number } {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "3" },
      rounds: { type: "string", default: "10" },
      connections: { type: "string", default: "8" },
    },
  });
  return { seconds: Number(values.seconds), rounds: Number(values.rounds), connections: Number(values.connections) };
}

/**
 * The Worker at `entry` bundled and served in production mode; dispose() the Miniflare when
 * done. For profiling: `readable` keeps it unminified, `inspectorPort` opens V8's inspector.
 */
export async function serveWorker(entry: URL, { readable = false, inspectorPort }: { readable?: boolean; inspectorPort?: number } = {}): Promise<{ miniflare: Miniflare; compatibility: Compatibility }> {
  const bundle = await build({
    entryPoints: [entry.pathname],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["node:*", "cloudflare:*"],
    jsx: "automatic",
    jsxImportSource: "hono/jsx",
    minify: !readable,
    keepNames: !readable,
    write: false,
    logLevel: "error",
  });
  // The project's compatibility date and flags (wrangler.toml), so the benchmark runs what the app runs.
  const compatibility = projectCompatibility();
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: bundle.outputFiles[0]!.text,
      compatibilityDate: compatibility.date,
      compatibilityFlags: compatibility.flags,
      bindings: { SORTIE_ENV: "production" },
      host: "127.0.0.1",
      port: 0,
      inspectorPort,
    }),
  );
  return { miniflare, compatibility };
}

export function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
