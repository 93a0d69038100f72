// `node bench/in-worker.ts pages|endpoint [--against <git ref>] [--loop 20] [--turns 1500]`
//
// Each route's own work inside workerd, without the HTTP around it: one workerd (Miniflare)
// serves a Worker that answers a request by calling the benchmark's Worker (bench/pages or
// bench/endpoint) `--loop` times with a copy of the request, reading each answer whole. The
// routes then go in turn on one connection (bench/in-turn.ts): a route's median over `--loop`
// is its Worker's µs per request, and the difference of two routes' is the work one adds to
// the other, to well under a µs, where the load rounds scatter by ±20 % and the in-turn
// latencies of the benchmarks themselves include HTTP and what the previous request left behind.
// `--against <ref>` runs the same Worker as it is at that commit beside it (the two chosen per
// request by a header): per route, now − then.
// What it does not show: what workerd charges once per request counts once per loop (the
// first timer of a request, which the endpoint's body deadline makes; building the request's
// headers), and neither do the bytes and headers on the wire. For finding and confirming
// cuts; the targets are the benchmarks' own (bench/README.md).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { endpointCases } from "./endpoint/cases.ts";
import { latencyInTurn, type InTurnRequest } from "./in-turn.ts";
import { pageCases } from "./pages/cases.ts";
import { bundleWorker, bundleWorkerAt, serveWorker } from "./workerd.ts";

const { values, positionals } = parseArgs({
  options: { against: { type: "string" }, loop: { type: "string", default: "20" }, turns: { type: "string", default: "1500" } },
  allowPositionals: true,
});
const [bench] = positionals;
if (bench !== "pages" && bench !== "endpoint") throw new Error(`bench/in-worker.ts: name the benchmark, pages or endpoint (got ${JSON.stringify(bench)})`);
const LOOP = Number(values.loop);
const TURNS = Number(values.turns);
for (const [name, value] of [["--loop", LOOP], ["--turns", TURNS]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`bench/in-worker.ts: ${name} must be a whole number of at least 1`);
}
const WORKER = bench === "pages" ? "bench/pages/worker.tsx" : "bench/endpoint/worker.ts";

// Calls the chosen version `x-bench-loop` times; a copy of the request each time (a body is read once and sent again).
const ENTRY = `import current from "./current.mjs";
${values.against ? 'import against from "./against.mjs";' : "const against = current;"}
export default {
  async fetch(request, env, ctx) {
    const app = request.headers.get("x-bench-version") === "against" ? against : current;
    const loop = Number(request.headers.get("x-bench-loop"));
    const body = request.method === "POST" ? await request.text() : undefined;
    let bytes = 0;
    for (let n = 0; n < loop; n++) {
      const response = await app.fetch(new Request(request.url, { method: request.method, headers: request.headers, body }), env, ctx);
      const text = await response.text();
      if (!response.ok) return new Response(response.status + ": " + text.slice(0, 300), { status: 500 });
      bytes += text.length;
    }
    return new Response(String(bytes));
  },
};
`;

function routes(origin: string): InTurnRequest[] {
  if (bench === "pages") return pageCases(origin).cases;
  return Object.values(endpointCases(origin)).map(({ name, url, headers, body }) => ({ name, url, method: "POST", headers, body }));
}

const scratch = mkdtempSync(join(tmpdir(), "sortie-in-worker-"));
try {
  writeFileSync(join(scratch, "current.mjs"), await bundleWorker(resolve(import.meta.dirname, "..", WORKER)));
  if (values.against) writeFileSync(join(scratch, "against.mjs"), await bundleWorkerAt(values.against, WORKER));
  writeFileSync(join(scratch, "entry.mjs"), ENTRY);
  const { miniflare, compatibility } = await serveWorker(pathToFileURL(join(scratch, "entry.mjs")));
  try {
    const origin = (await miniflare.ready).origin;
    const versions = values.against ? ["against", "current"] : ["current"];
    // A route the older version does not have (a newer benchmark case) is left out; one the current version fails stops the run.
    const present: InTurnRequest[] = [];
    for (const route of routes(origin)) {
      const answers = await Promise.all(versions.map((version) => fetch(route.url, { method: route.method, headers: { ...route.headers, "x-bench-version": version, "x-bench-loop": "1" }, body: route.body })));
      const texts = await Promise.all(answers.map((answer) => answer.text()));
      if (!answers.at(-1)!.ok) throw new Error(`bench/in-worker.ts: ${route.name} answered ${answers.at(-1)!.status}: ${texts.at(-1)}`);
      if (answers.every((answer) => answer.ok)) present.push(route);
      else console.log(`  ${route.name}: left out (${values.against} answered ${answers[0]!.status})`);
    }
    const requests = present.flatMap((route) =>
      versions.map((version) => ({ ...route, name: `${route.name} (${version})`, headers: { ...route.headers, "x-bench-version": version, "x-bench-loop": String(LOOP) } })),
    );
    const perCall = (await latencyInTurn(requests, TURNS)).map((latency) => latency / LOOP);
    const at = (route: number, version: number) => perCall[route * versions.length + version]!;
    const current = versions.length - 1;
    console.log(
      `${bench} in one Worker: each route's fetch called ${LOOP} times per request, ${TURNS} requests each in turn; one workerd (Miniflare), compatibility ${compatibility.date}` +
        (values.against ? `; against ${values.against}` : ""),
    );
    const names = present.map((route) => route.name);
    const width = Math.max(...names.map((name) => name.length));
    for (const [index, name] of names.entries()) {
      const added = index ? `   ${signed(at(index, current) - at(0, current))} µs over the first` : "";
      const change = values.against ? `   now − ${values.against}: ${signed(at(index, current) - at(index, 0))} µs` : "";
      console.log(`  ${name.padEnd(width)} ${at(index, current).toFixed(1).padStart(6)} µs${added}${change}`);
    }
  } finally {
    await miniflare.dispose();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function signed(value: number): string {
  return `${value >= 0 ? "+" : ""}${value.toFixed(1)}`;
}
