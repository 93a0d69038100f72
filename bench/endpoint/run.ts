// Endpoint benchmark: requests per second and median latency of a trivial server function
// through Sortie's whole request path (origin check, body limit, seroval decode, request
// context, beforeResponse hooks, records encoder) against a hand-written Hono route doing the
// same addition with plain JSON. Both routes live in one Worker, bundled here with esbuild and
// served by one workerd (Miniflare) on loopback; autocannon loads them in alternating rounds so
// drift on a shared machine hits both alike.
//
//   node bench/endpoint/run.ts [--seconds 5] [--rounds 3] [--connections 8]
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { encodeArguments } from "../../common/wire.ts";
import { autocannon } from "../autocannon.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "8" },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);

const bundle = await build({
  entryPoints: [new URL("./worker.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["node:*", "cloudflare:*"],
  minify: true,
  write: false,
  logLevel: "error",
});

const miniflare = new Miniflare(
  convertV4MiniflareOptions({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    bindings: { SORTIE_ENV: "production" },
    host: "127.0.0.1",
    port: 0,
  }),
);

interface Case {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  expected: string;
}

try {
  const origin = (await miniflare.ready).origin;
  const cases: Case[] = [
    {
      name: "Hono route, plain JSON",
      url: `${origin}/plain/add`,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ a: 1, b: 2 }),
      expected: "3",
    },
    {
      name: "Sortie server function",
      url: `${origin}/_server/bench%2Fadd`,
      headers: { "X-Sortie": "1", "Content-Type": "application/json", Origin: origin, "Sec-Fetch-Site": "same-origin" },
      body: encodeArguments([1, 2]),
      expected: '{"r":{"t":0,"s":3}}\n',
    },
  ];
  // Each route must really answer what it claims before it is timed.
  for (const target of cases) {
    const response = await fetch(target.url, { method: "POST", headers: target.headers, body: target.body });
    const text = await response.text();
    if (!response.ok || text !== target.expected) throw new Error(`${target.name}: unexpected answer ${response.status} ${text}`);
  }

  const load = (target: Case, duration: number) =>
    autocannon({ url: target.url, method: "POST", headers: target.headers, body: target.body, connections, duration });

  for (const target of cases) await load(target, 2); // warm-up: JIT on both sides
  const totals = cases.map(() => ({ requests: 0, medians: [] as number[], errors: 0 }));
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < cases.length; step++) {
      const index = (round + step) % cases.length;
      const result = await load(cases[index]!, seconds);
      const total = totals[index]!;
      total.requests += result.requests.total;
      total.medians.push(result.latency.p50);
      total.errors += result.errors + result.non2xx;
    }
  }

  console.log(`endpoint benchmark: ${rounds} rounds × ${seconds} s per route, ${connections} connections, one workerd (Miniflare) on loopback`);
  const rows = cases.map((target, index) => {
    const total = totals[index]!;
    const medians = total.medians.toSorted((a, b) => a - b);
    return { name: target.name, rps: total.requests / (rounds * seconds), median: medians[Math.floor(medians.length / 2)]!, ...total };
  });
  const [plain, sortie] = rows as [(typeof rows)[number], (typeof rows)[number]];
  for (const row of rows) {
    console.log(
      `  ${row.name.padEnd(23)} ${row.rps.toFixed(0).padStart(6)} req/s   median latency ${row.median.toFixed(2).padStart(5)} ms   (${row.requests} requests, ${row.errors} errors)`,
    );
  }
  const ratio = sortie.rps / plain.rps;
  console.log(`  Sortie / plain throughput: ${ratio.toFixed(2)}× (target ≥ 0.85×)`);
  if (rows.some((row) => row.errors > 0)) process.exitCode = 1;
} finally {
  await miniflare.dispose();
}
