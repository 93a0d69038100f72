// `node bench/single-flight/run.ts [runs]`: "submit a change and have the fresh data on the
// client", single flight (one request) against the two-request pattern (the action, then a
// GET of the query), through a loopback proxy adding 50 ms each way. The benchmark app
// (bench/single-flight/app) is built with the real build and served by `wrangler dev` (local
// workerd); the client side is Sortie's real stub and cache. Both patterns alternate in the
// same run. Run it with `npx node bench/single-flight/run.ts` (wrangler must be on PATH).
import { applyQueryRecords, readQuery, subscribeQuery } from "../../client/cache.ts";
import { query } from "../../client/query.ts";
import { createServerReference, setTransport } from "../../client/stub.ts";
import { queryKey } from "../../common/query-key.ts";
import { startDevServer } from "../../test/node/e2e/dev-server.ts";
import { buildProject } from "../../test/node/queries/project.ts";
import { startLatencyProxy } from "./latency-proxy.ts";

const ONE_WAY_MS = 50;
const RUNS = Math.min(Math.max(Number(process.argv[2] ?? 20), 1), 200);
const WARMUP = 3;
/** Single flight must take at most this share of the two-request pattern's time. */
const TARGET_RATIO = 0.6;

// Undone in reverse order whatever happens: the temporary project, wrangler dev, the proxy.
const cleanups: Array<() => Promise<unknown>> = [];
try {
  const project = await buildProject({ workerEntry: "bench/single-flight/app/worker.ts", clientEntry: "bench/single-flight/app/client.ts" });
  cleanups.push(() => project.remove());
  const worker = await startDevServer({ root: project.root, mode: "production" });
  cleanups.push(() => worker.stop());
  const proxy = await startLatencyProxy(new URL(worker.url), ONE_WAY_MS);
  cleanups.push(() => proxy.close());

  const timings = await measure(proxy.url, new URL(worker.url), project.idOf);
  console.log(`single-flight benchmark: ${RUNS} runs each, ${ONE_WAY_MS} ms added each way (loopback proxy), wrangler dev`);
  for (const [name, values] of Object.entries(timings)) {
    console.log(`${name.padEnd(18)} median ${median(values).toFixed(1)} ms   p90 ${percentile(values, 0.9).toFixed(1)} ms`);
  }
  const ratio = median(timings["single flight"]) / median(timings["action, then GET"]);
  const within = ratio <= TARGET_RATIO;
  console.log(`ratio (single flight / two requests, medians): ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}: ${within ? "within" : "MISSED"})`);
  if (!within) process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}

/** Alternates both patterns through the real stub and cache; milliseconds per run after a warm-up. */
async function measure(proxy: URL, upstream: URL, idOf: (name: string) => string): Promise<Record<string, number[]>> {
  setTransport((path, init) => {
    const headers = new Headers(init.headers);
    headers.set("Origin", upstream.origin);
    return fetch(new URL(path, proxy), { ...init, headers, signal: AbortSignal.timeout(10_000) });
  });
  applyQueryRecords();
  const getProduct = query(createServerReference<(id: string) => Promise<{ id: string; name: string } | null>>(idOf("getProduct")), "product");
  const renameProduct = createServerReference<(id: string, name: string) => Promise<unknown>>(idOf("renameProduct"));

  let counter = 0;
  const patterns: Record<string, () => Promise<void>> = {
    "single flight": async () => {
      onPage("/products/1");
      const name = `Lamp ${++counter}`;
      const fresh = cacheShows(name);
      await renameProduct("1", name);
      await fresh;
    },
    "action, then GET": async () => {
      onPage(undefined);
      const name = `Lamp ${++counter}`;
      const fresh = cacheShows(name);
      await renameProduct("1", name);
      await getProduct("1");
      await fresh;
    },
  };
  const timings: Record<string, number[]> = { "single flight": [], "action, then GET": [] };
  for (let run = 0; run < WARMUP + RUNS; run++) {
    for (const [name, pattern] of Object.entries(patterns)) {
      const started = performance.now();
      await pattern();
      if (run >= WARMUP) timings[name]!.push(performance.now() - started);
    }
  }
  return timings;
}

/** Resolves when the client cache holds the product under `name`. */
function cacheShows(name: string): Promise<void> {
  const productKey = queryKey("product", ["1"]);
  return new Promise((resolve) => {
    const unsubscribe = subscribeQuery(productKey, () => {
      const entry = readQuery(productKey);
      if (entry?.ok && (entry.value as { name: string }).name === name) {
        unsubscribe();
        resolve();
      }
    });
  });
}

// The stub sends the page it runs on (X-Sortie-Page) from `location`; without it, no re-run.
function onPage(path: string | undefined): void {
  if (path) Object.defineProperty(globalThis, "location", { value: { pathname: path, search: "" }, configurable: true });
  else Reflect.deleteProperty(globalThis, "location");
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
