// `node bench/pages/run.ts [--seconds 3] [--rounds 10] [--connections 8]`
//
// A product page through Sortie's page path against a hand-written hono/jsx route rendering
// the same markup from the same data (bench/pages/worker.tsx), in one workerd (Miniflare), the
// two routes back to back in alternating order per round; the throughput ratio is the median of
// the rounds' ratios. Then the first and the last byte of a page whose query takes 300 ms,
// against the same page without the wait. The same page with a form that posts to a server
// function runs beside them (Sortie adds its hidden fields; the hand-written route has none),
// and so does the hand-written route with Sortie's security headers (what those cost by themselves).
// Then the same pages in turn on one connection (bench/in-turn.ts): the µs each adds to the
// hand-written route's, which the throughput rounds on a noisy machine cannot resolve.
// Targets (issue 17): ≥ 0.95× the hand-written route, and the slow page's first byte within
// 20 ms of the fast page's. Exits 1 when one is missed.
import { autocannon } from "../autocannon.ts";
import { inTurnReport } from "../in-turn.ts";
import { pageCases } from "./cases.ts";
import { loadOptions, median, pinServer, serveWorker } from "../workerd.ts";

const { seconds, rounds, connections } = loadOptions();
const IN_TURN_ROUNDS = 3000;
const { miniflare, compatibility } = await serveWorker(new URL("./worker.tsx", import.meta.url));

try {
  const origin = (await miniflare.ready).origin;
  const pinning = pinServer();
  const { cases, streamed } = pageCases(origin);
  for (const target of cases) {
    const response = await fetch(target.url);
    const html = await response.text();
    if (target.url.includes("/action/") && !html.includes('name="$return"')) throw new Error(`${target.name}: the form has no hidden fields`);
    if (!response.ok || !html.includes("<h1>Trail Runner</h1>")) throw new Error(`${target.name}: unexpected answer ${response.status} ${html.slice(0, 200)}`);
  }
  const load = (url: string, duration: number) => autocannon({ url, connections, duration });
  for (const target of cases) await load(target.url, 2); // warm-up: JIT on both sides

  const totals = cases.map(() => ({ requests: 0, errors: 0 }));
  // Per round, each Sortie case's count over the hand-written route's; the order rotates.
  const ratios: number[][] = cases.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const counts: number[] = [];
    for (let step = 0; step < cases.length; step++) {
      const index = (round + step) % cases.length;
      const result = await load(cases[index]!.url, seconds);
      totals[index]!.requests += result.requests.total;
      totals[index]!.errors += result.errors + result.non2xx;
      counts[index] = result.requests.total;
    }
    for (let index = 1; index < cases.length; index++) ratios[index]!.push(counts[index]! / counts[0]!);
  }

  // The µs of server work each case adds to the hand-written route's, to a few µs (bench/in-turn.ts).
  const inTurn = await inTurnReport(cases, IN_TURN_ROUNDS, (rounds * seconds * 1e6) / totals[0]!.requests);

  // First and last byte, one request at a time. Uncompressed: workerd's local gzip (Miniflare
  // compresses text/html as Cloudflare would) holds a streamed body until it ends, which would
  // time the compressor, not the Worker (docs/queries-and-pages.md).
  const timeBytes = async (url: string) => {
    const started = performance.now();
    const response = await fetch(url, { headers: { "Accept-Encoding": "identity" } });
    const reader = response.body!.getReader();
    let first: number | undefined;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) first ??= performance.now() - started;
    return { first: first ?? performance.now() - started, last: performance.now() - started };
  };
  const fast: { first: number; last: number }[] = [];
  const slow: { first: number; last: number }[] = [];
  for (let n = 0; n < 10; n++) {
    fast.push(await timeBytes(`${origin}/products/1`));
    slow.push(await timeBytes(`${origin}/slow/1`));
  }

  console.log(
    `pages benchmark: ${rounds} rounds × ${seconds} s per route, ${connections} connections, one workerd (Miniflare) on loopback, ` +
      `compatibility ${compatibility.date} [${compatibility.flags.join(", ")}]; ${pinning}`,
  );
  for (const [index, target] of cases.entries()) {
    const total = totals[index]!;
    console.log(`  ${target.name.padEnd(34)} ${(total.requests / (rounds * seconds)).toFixed(0).padStart(6)} req/s   (${total.requests} requests, ${total.errors} errors)`);
  }
  const ratio = median(ratios[streamed]!);
  const fastFirst = median(fast.map((t) => t.first));
  const slowFirst = median(slow.map((t) => t.first));
  const throughputMet = ratio >= 0.95;
  const firstByteMet = slowFirst - fastFirst <= 20;
  for (let index = 1; index < cases.length; index++) {
    const list = ratios[index]!;
    const target = index === streamed ? `; target ≥ 0.95×: ${throughputMet ? "met" : "MISSED"}` : "";
    console.log(`  ${cases[index]!.name} / hand-written throughput: ${median(list).toFixed(2)}× (median of ${rounds} rounds; range ${Math.min(...list).toFixed(2)}–${Math.max(...list).toFixed(2)}${target})`);
  }
  for (const line of inTurn) console.log(`  ${line}`);
  console.log(`  page without a wait: first byte ${fastFirst.toFixed(1)} ms, last byte ${median(fast.map((t) => t.last)).toFixed(1)} ms (medians of 10)`);
  console.log(
    `  page with a 300 ms query: first byte ${slowFirst.toFixed(1)} ms, last byte ${median(slow.map((t) => t.last)).toFixed(1)} ms; first byte ${(slowFirst - fastFirst).toFixed(1)} ms after the fast page's (target ≤ 20 ms: ${firstByteMet ? "met" : "MISSED"})`,
  );
  if (!throughputMet || !firstByteMet || totals.some((total) => total.errors > 0)) process.exitCode = 1;
} finally {
  await miniflare.dispose();
}
