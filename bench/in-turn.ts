// Requests in turn on one keep-alive connection: the routes alternate request by request (in a
// new order each turn), so each sees the same machine at the same moments, and with nothing
// queued a request's latency is the server's work for it plus fixed costs both routes share.
// The difference of two routes' medians is then the work one adds, to a few µs, where
// throughput rounds on a shared machine scatter by ±20 %.
import http from "node:http";
import { median } from "./workerd.ts";
import { prng } from "../test/worker/endpoint/random.ts";

export interface InTurnRequest {
  name: string;
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

/** Median latency in µs of each request over `rounds` turns (after a warm-up of 1,000 turns); throws on a non-2xx answer. */
export async function latencyInTurn(requests: readonly InTurnRequest[], rounds: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (request: InTurnRequest) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(request.url);
      const headers = { ...request.headers, ...(request.body === undefined ? {} : { "Content-Length": String(Buffer.byteLength(request.body)) }) };
      const started = process.hrtime.bigint();
      const outgoing = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: request.method ?? "GET", agent, headers }, (response) => {
        response.resume();
        response.on("end", () => {
          if (response.statusCode! >= 300) reject(new Error(`${request.name}: status ${response.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - started) / 1000);
        });
      });
      outgoing.on("error", reject);
      outgoing.end(request.body);
    });
  try {
    for (let turn = 0; turn < 1000; turn++) for (const request of requests) await send(request);
    const latencies = requests.map(() => [] as number[]);
    // A new order each turn (shuffled, seeded: the same in every run): a request right after
    // another route's pays for what that one left behind (≈ 10 µs measured), so each should
    // follow each other equally often, which a fixed or rotated order does not give.
    const random = prng(17);
    const order = requests.map((_, index) => index);
    for (let turn = 0; turn < rounds; turn++) {
      for (let last = order.length - 1; last > 0; last--) {
        const pick = Math.floor(random() * (last + 1));
        [order[last], order[pick]] = [order[pick]!, order[last]!];
      }
      for (const index of order) latencies[index]!.push(await send(requests[index]!));
    }
    return latencies.map(median);
  } finally {
    agent.destroy();
  }
}

/**
 * latencyInTurn's lines for a report: each request's median, and what it adds to the first
 * (the baseline), with the throughput ratio that would give at `baselineCost` µs per baseline
 * request under load (measured in the same run).
 */
export async function inTurnReport(requests: readonly InTurnRequest[], rounds: number, baselineCost: number): Promise<string[]> {
  const medians = await latencyInTurn(requests, rounds);
  const width = Math.max(...requests.map((request) => request.name.length));
  return [
    `in turn on one connection, ${rounds} requests each (median latency; what each adds to the first; the ratio that makes at ${baselineCost.toFixed(0)} µs per first request under load):`,
    ...requests.map((request, index) => {
      const added = medians[index]! - medians[0]!;
      const rest = index ? `   ${added >= 0 ? "+" : ""}${added.toFixed(1)} µs, ≈ ${(baselineCost / (baselineCost + added)).toFixed(2)}×` : "";
      return `  ${request.name.padEnd(width)} ${medians[index]!.toFixed(1).padStart(7)} µs${rest}`;
    }),
  ];
}
