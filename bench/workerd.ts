// What the load benchmarks share (bench/endpoint, bench/pages): their command line, a Worker
// bundled with esbuild and served by one workerd (Miniflare) on loopback with the project's
// compatibility date and flags, and the median.
import { execFileSync } from "node:child_process";
import { availableParallelism, tmpdir } from "node:os";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
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
  const script = await bundleWorker(entry.pathname, readable);
  // The project's compatibility date and flags (wrangler.toml), so the benchmark runs what the app runs.
  const compatibility = projectCompatibility();
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script,
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

/**
 * The Worker at `entry` (a file path) as one ESM text, bundled as the build bundles a Worker:
 * minified with names kept, or unminified when `readable` (for profiling).
 */
export async function bundleWorker(entry: string, readable = false): Promise<string> {
  const bundle = await build({
    entryPoints: [entry],
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
  return bundle.outputFiles[0]!.text;
}

const ROOT = resolve(import.meta.dirname, "..");

/**
 * A benchmark's Worker (`file`, relative to the repository) as it is at git `ref`, bundled as
 * bundleWorker bundles it: from a throwaway worktree that uses today's node_modules.
 */
export async function bundleWorkerAt(ref: string, file: string): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), "sortie-bench-at-"));
  const tree = join(scratch, "tree");
  try {
    execFileSync("git", ["worktree", "add", "--quiet", "--detach", tree, ref], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    symlinkSync(join(ROOT, "node_modules"), join(tree, "node_modules"));
    return await bundleWorker(join(tree, file));
  } finally {
    try {
      execFileSync("git", ["worktree", "remove", "--force", tree], { cwd: ROOT, stdio: "ignore" });
    } catch {
      // Never added (a bad ref): nothing of it for git to forget.
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Pins the workerd this process started to the last CPU and this process (the load generator)
 * to the others, so the two stop taking each other's core: on a small machine that is most of
 * the spread between rounds. Linux with `taskset` and two CPUs or more; otherwise it says why not.
 */
export function pinServer(): string {
  const cpus = availableParallelism();
  const last = cpus - 1;
  try {
    if (cpus < 2) return "not pinned (one CPU)";
    const servers = descendants(process.pid).filter((pid) => readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "workerd");
    if (!servers.length) return "not pinned (no workerd process found)";
    for (const pid of servers) execFileSync("taskset", ["-a", "-p", "-c", String(last), String(pid)], { stdio: "ignore" });
    execFileSync("taskset", ["-a", "-p", "-c", last === 1 ? "0" : `0-${last - 1}`, String(process.pid)], { stdio: "ignore" });
    return `workerd pinned to CPU ${last}, the load to ${last === 1 ? "CPU 0" : `CPUs 0-${last - 1}`}`;
  } catch (error) {
    return `not pinned (${(error as Error).message.split("\n")[0]})`;
  }
}

/** The processes below `root`, from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ")".
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  for (let queue = [root]; queue.length; ) for (const child of children.get(queue.shift()!) ?? []) (found.push(child), queue.push(child));
  return found;
}

export function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
