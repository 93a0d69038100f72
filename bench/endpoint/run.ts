// Endpoint benchmark: requests per second and median latency of a trivial server function
// through Sortie's whole request path (origin check, body limit, seroval decode, request
// context, beforeResponse hooks, records encoder) against a hand-written Hono route doing the
// same addition with plain JSON, and against that route behind Sortie's two guards (the origin
// check, the body's size limit and deadline), which shows how much of the gap they are. All
// live in one Worker, bundled here with esbuild and served by one workerd (Miniflare) on
// loopback. The requests carry the headers a page's fetch sends (Origin, Sec-Fetch-Site);
// Sortie's adds its X-Sortie marker. autocannon loads the routes back to back, in alternating
// order, for many short rounds: each ratio is the median of the rounds' ratios, so load from
// other processes on a shared machine, which drifts slowly, cancels out.
//
// Then the same requests in turn on one connection (bench/in-turn.ts): the µs of server work
// each route adds to a request of the plain route, which on a noisy machine the throughput
// ratio cannot resolve.
//
//   node bench/endpoint/run.ts [--seconds 3] [--rounds 10] [--connections 8]
import { autocannon } from "../autocannon.ts";
import { inTurnReport } from "../in-turn.ts";
import { loadOptions, median, pinServer, serveWorker } from "../workerd.ts";
import { endpointCases, type EndpointCase } from "./cases.ts";

const { seconds, rounds, connections } = loadOptions();
const IN_TURN_ROUNDS = 4000;
const { miniflare, compatibility } = await serveWorker(new URL("./worker.ts", import.meta.url));

try {
  const { plain, guarded, sortie } = endpointCases((await miniflare.ready).origin);
  const cases = [plain, guarded, sortie];
  const pinning = pinServer();
  // Each route must really answer what it claims before it is timed.
  for (const target of cases) {
    const response = await fetch(target.url, { method: "POST", headers: target.headers, body: target.body });
    const text = await response.text();
    if (!response.ok || text !== target.expected) throw new Error(`${target.name}: unexpected answer ${response.status} ${text}`);
  }

  const load = (target: EndpointCase, duration: number) =>
    autocannon({ url: target.url, method: "POST", headers: target.headers, body: target.body, connections, duration });

  for (const target of cases) await load(target, 2); // warm-up: JIT on all sides
  const totals = cases.map(() => ({ requests: 0, medians: [] as number[], micros: 0, errors: 0 }));
  const ratios = { sortie: [] as number[], guarded: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [2, 1, 0] : [0, 1, 2];
    const counts: number[] = [];
    for (const index of order) {
      const result = await load(cases[index]!, seconds);
      const total = totals[index]!;
      total.requests += result.requests.total;
      total.medians.push(result.latency.p50);
      total.micros += result.latency.mean * 1000 * result.requests.total;
      total.errors += result.errors + result.non2xx;
      counts[index] = result.requests.total;
    }
    ratios.guarded.push(counts[1]! / counts[0]!);
    ratios.sortie.push(counts[2]! / counts[0]!);
  }

  console.log(
    `endpoint benchmark: ${rounds} rounds × ${seconds} s per route, ${connections} connections, one workerd (Miniflare) on loopback, ` +
      `compatibility ${compatibility.date} [${compatibility.flags.join(", ")}]; ${pinning}`,
  );
  for (const [index, target] of cases.entries()) {
    const total = totals[index]!;
    console.log(
      `  ${target.name.padEnd(23)} ${(total.requests / (rounds * seconds)).toFixed(0).padStart(6)} req/s   ` +
        `median latency ${median(total.medians).toFixed(2)} ms (mean ${(total.micros / total.requests / 1000).toFixed(2)} ms)   ` +
        `(${total.requests} requests, ${total.errors} errors)`,
    );
  }
  const summary = (values: number[]) =>
    `${median(values).toFixed(2)}× (median of ${rounds} rounds; range ${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
  console.log(`  guarded / plain throughput: ${summary(ratios.guarded)}: what the guards alone cost`);
  const plainCost = (rounds * seconds * 1e6) / totals[0]!.requests; // µs per plain request under load
  const inTurn = await inTurnReport(
    cases.map((target) => ({ ...target, method: "POST" as const })),
    IN_TURN_ROUNDS,
    plainCost,
  );
  for (const line of inTurn) console.log(`  ${line}`);
  const within = median(ratios.sortie) >= 0.95; // issue 17 (was 0.85)
  console.log(`  Sortie / plain throughput:  ${summary(ratios.sortie)}; target ≥ 0.95×: ${within ? "within" : "MISSED"}`);
  if (!within || totals.some((total) => total.errors > 0)) process.exitCode = 1;
} finally {
  await miniflare.dispose();
}
