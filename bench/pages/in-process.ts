// `node bench/pages/in-process.ts [--against <git ref>] [--rounds 300]`
//
// The pages benchmark's Worker (bench/pages/worker.tsx) without HTTP and without workerd: its
// `fetch` called directly in this Node process (Node's V8, not workerd's), 100 requests per
// cell, the cells interleaved round by round, so each route's CPU time is resolved to about a
// µs where the load rounds on a shared machine scatter by ±20 %. Prints each route's median µs per request
// and what it adds to the hand-written route (median of the per-round differences).
// `--against <ref>` also bundles the same Worker as it is at that commit (a throwaway git
// worktree, with today's node_modules) and loads both side by side: per route, the new code's
// µs minus the old's, and whether both answered with the same bytes.
// For finding and confirming cuts, not a target: workerd's own costs (timers, headers, the
// request context) are not in these figures; bench/pages/run.ts measures the Worker as it runs.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { bundleWorker, bundleWorkerAt, median } from "../workerd.ts";

const { values } = parseArgs({ options: { against: { type: "string" }, rounds: { type: "string", default: "300" } } });
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`bench/pages/in-process.ts: --rounds must be a whole number of at least 1 (got ${JSON.stringify(values.rounds)})`);
const PER_CELL = 100;
const WORKER = "bench/pages/worker.tsx";
const PATHS = ["/plain/products/1", "/products/1", "/whole/products/1", "/action/products/1"];

type App = { fetch(request: Request, env: unknown, ctx: unknown): Response | Promise<Response> };

/** A bundled Worker written to `out` and loaded. */
async function loadApp(script: string, out: string): Promise<App> {
  writeFileSync(out, script);
  return ((await import(pathToFileURL(out).href)) as { default: App }).default;
}

const context = { waitUntil() {}, passThroughOnException() {}, props: {} };
async function answer(app: App, path: string): Promise<string> {
  const response = await app.fetch(new Request(`http://localhost${path}`), {}, context);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path}: status ${response.status}`);
  return text;
}

const scratch = mkdtempSync(join(tmpdir(), "sortie-in-process-"));
try {
  const apps: App[] = [await loadApp(await bundleWorker(resolve(import.meta.dirname, "../..", WORKER)), join(scratch, "current.mjs"))];
  if (values.against) apps.unshift(await loadApp(await bundleWorkerAt(values.against, WORKER), join(scratch, "against.mjs")));
  for (const path of PATHS) {
    const bodies = await Promise.all(apps.map((app) => answer(app, path)));
    if (bodies.length === 2 && bodies[0] !== bodies[1]) console.log(`  ${path}: the two versions answer with different bytes`);
  }
  // cells[app][path]: µs per request, one entry per round.
  const cells = apps.map(() => PATHS.map(() => [] as number[]));
  for (let round = 0; round < ROUNDS; round++) {
    // The versions take turns going first, so neither always runs right after the other.
    const order = round % 2 ? [...apps.keys()].reverse() : [...apps.keys()];
    for (const [p, path] of PATHS.entries()) {
      for (const a of order) {
        const started = performance.now();
        for (let n = 0; n < PER_CELL; n++) await answer(apps[a]!, path);
        cells[a]![p]!.push(((performance.now() - started) * 1000) / PER_CELL);
      }
    }
  }
  const paired = (a: number[], b: number[]) => median(a.map((value, round) => value - b[round]!));
  const current = cells.at(-1)!;
  console.log(`pages in one Node process: ${ROUNDS} rounds × ${PER_CELL} requests per route${values.against ? `, against ${values.against}` : ""}`);
  for (const [p, path] of PATHS.entries()) {
    const own = `${median(current[p]!).toFixed(1).padStart(6)} µs`;
    const added = p ? `   +${paired(current[p]!, current[0]!).toFixed(1)} µs over the hand-written route` : "";
    const change = values.against ? `   now − ${values.against}: ${paired(current[p]!, cells[0]![p]!).toFixed(1)} µs` : "";
    console.log(`  ${path.padEnd(20)} ${own}${added}${change}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
