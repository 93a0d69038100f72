// `node bench/profile.ts pages [path] [--seconds 4]` or `node bench/profile.ts endpoint [plain|guarded]`
//
// Where the Worker's CPU time goes: a benchmark's Worker (bench/pages/worker.tsx or
// bench/endpoint/worker.ts) bundled unminified (readable names) and served by one workerd
// (Miniflare) with its inspector open; after a warm-up, V8's sampling profiler runs while
// autocannon loads one request: for pages `path` (default /products/1, the Sortie page;
// /plain/products/1 is the hand-written route), for the endpoint the Sortie call (or, with
// `plain`, the Hono route; with `guarded`, that route behind Sortie's guards). Prints the
// functions with the most samples, self and inclusive.
// For finding work to cut, not a benchmark: nothing is compared.
import { parseArgs } from "node:util";
import { autocannon, type Autocannon } from "./autocannon.ts";
import { endpointCases } from "./endpoint/cases.ts";
import { serveWorker } from "./workerd.ts";

const { values, positionals } = parseArgs({ options: { seconds: { type: "string", default: "4" } }, allowPositionals: true });
const [bench = "pages", choice] = positionals;
if (bench !== "pages" && bench !== "endpoint") throw new Error(`bench/profile.ts: the first argument names the benchmark, pages or endpoint (got ${JSON.stringify(bench)})`);
const INSPECTOR_PORT = 9339;

const entry = bench === "pages" ? "./pages/worker.tsx" : "./endpoint/worker.ts";
const { miniflare } = await serveWorker(new URL(entry, import.meta.url), { readable: true, inspectorPort: INSPECTOR_PORT });

type Request = Parameters<Autocannon>[0] extends infer Options ? (Options extends unknown ? Omit<Options, "connections" | "duration"> : never) : never;
function request(origin: string): Request {
  if (bench === "pages") return { url: origin + (choice ?? "/products/1") };
  const cases = endpointCases(origin);
  const target = choice === "plain" || choice === "guarded" ? cases[choice] : cases.sortie;
  return { url: target.url, method: "POST", headers: target.headers, body: target.body };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

try {
  const load = request((await miniflare.ready).origin);
  await autocannon({ ...load, connections: 8, duration: 2 }); // warm-up: JIT
  const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json()) as { id: string; webSocketDebuggerUrl: string }[];
  const target = targets.find((candidate) => candidate.id.includes("core:user")) ?? targets[0]!;
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
  const answers = new Map<number, (result: any) => void>();
  socket.addEventListener("message", (message) => {
    const { id, result } = JSON.parse(String(message.data));
    answers.get(id)?.(result);
    answers.delete(id);
  });
  let lastId = 0;
  const send = (method: string, params = {}) =>
    new Promise<any>((resolve) => {
      answers.set(++lastId, resolve);
      socket.send(JSON.stringify({ id: lastId, method, params }));
    });

  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 100 });
  await send("Profiler.start");
  const result = await autocannon({ ...load, connections: 8, duration: Number(values.seconds) });
  const { profile } = (await send("Profiler.stop")) as { profile: { nodes: ProfileNode[]; samples: number[] } };
  socket.close();

  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const hits = new Map<number, number>();
  for (const sample of profile.samples) hits.set(sample, (hits.get(sample) ?? 0) + 1);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, count] of hits) {
    const frame = nodes.get(id)!.callFrame;
    const where = `${frame.functionName || "(anonymous)"} ${frame.url ? `${frame.url.split("/").pop()}:${frame.lineNumber + 1}` : ""}`;
    self.set(where, (self.get(where) ?? 0) + count);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const name = nodes.get(at)!.callFrame.functionName || "(anonymous)";
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + count);
      seen.add(name);
    }
  }
  const top = (table: Map<string, number>, count: number) =>
    [...table].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, samples]) => `  ${((100 * samples) / profile.samples.length).toFixed(1).padStart(5)} %  ${name}`).join("\n");
  console.log(`${load.url}: ${result.requests.total} requests in ${values.seconds} s, ${profile.samples.length} samples`);
  console.log(`self time:\n${top(self, 30)}\ninclusive (by function name):\n${top(inclusive, 30)}`);
} finally {
  await miniflare.dispose();
}
