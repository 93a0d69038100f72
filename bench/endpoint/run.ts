// Endpoint benchmark: requests per second and median latency of a trivial server function
// through Sortie's whole request path (origin check, body limit, seroval decode, request
// context, beforeResponse hooks, records encoder) against a hand-written Hono route doing the
// same addition with plain JSON. Both routes live in one Worker, bundled here with esbuild and
// served by one workerd (Miniflare) on loopback. Both requests carry the headers a page's
// fetch sends (Origin, Sec-Fetch-Site); Sortie's adds its X-Sortie marker. autocannon loads
// the two routes back to back, in alternating order, for many short rounds: the ratio is the
// median of the rounds' ratios, so load from other processes on a shared machine, which drifts
// slowly, cancels out.
//
//   node bench/endpoint/run.ts [--seconds 3] [--rounds 10] [--connections 8]
import { autocannon } from "../autocannon.ts";
import { loadOptions, median, pinServer, serveWorker } from "../workerd.ts";
import { endpointCases, type EndpointCase } from "./cases.ts";

const { seconds, rounds, connections } = loadOptions();
const { miniflare, compatibility } = await serveWorker(new URL("./worker.ts", import.meta.url));

try {
  const cases = endpointCases((await miniflare.ready).origin);
  const pinning = pinServer();
  // Each route must really answer what it claims before it is timed.
  for (const target of cases) {
    const response = await fetch(target.url, { method: "POST", headers: target.headers, body: target.body });
    const text = await response.text();
    if (!response.ok || text !== target.expected) throw new Error(`${target.name}: unexpected answer ${response.status} ${text}`);
  }

  const load = (target: EndpointCase, duration: number) =>
    autocannon({ url: target.url, method: "POST", headers: target.headers, body: target.body, connections, duration });

  for (const target of cases) await load(target, 2); // warm-up: JIT on both sides
  const totals = cases.map(() => ({ requests: 0, medians: [] as number[], micros: 0, errors: 0 }));
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [1, 0] : [0, 1];
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
    ratios.push(counts[1]! / counts[0]!);
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
  const ratio = median(ratios);
  const within = ratio >= 0.95; // issue 17 (was 0.85)
  console.log(
    `  Sortie / plain throughput: ${ratio.toFixed(2)}× (median of ${rounds} rounds; range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; target ≥ 0.95×: ${within ? "within" : "MISSED"})`,
  );
  if (!within || totals.some((total) => total.errors > 0)) process.exitCode = 1;
} finally {
  await miniflare.dispose();
}
