// Session benchmark: the per-request cost of a server-function call that reads the session
// (unseal the cookie + one KV read) against the same call without a session, both through
// the real endpoint in workerd (wrangler dev, local KV), loaded over loopback with autocannon.
// A third case carries an expired cookie: it is unsealed but never reaches KV, which splits
// the session's cost into crypto and KV. Rounds rotate the order of the cases so drift on a
// shared machine hits them alike; ratios are medians of per-round ratios.
//
//   node bench/session/run.ts [--seconds 2] [--rounds 7] [--connections 4]
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { unstable_dev } from "wrangler";
import { encodeArguments } from "../../common/wire.ts";
import { autocannon } from "../autocannon.ts";
import { deriveSessionKey } from "../../worker/session/keys.ts";
import { newSessionId, sealTicket } from "../../worker/session/ticket.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "2" },
    rounds: { type: "string", default: "7" },
    connections: { type: "string", default: "4" },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const secret = randomBytes(32).toString("base64url");

// wrangler dev's own path: wrangler bundles the Worker and runs it in workerd with local KV.
const worker = await unstable_dev("bench/session/worker.ts", {
  config: "bench/session/wrangler.toml",
  ip: "127.0.0.1",
  port: 0,
  local: true,
  persistTo: "bench/.out/session-state",
  vars: { SESSION_SECRET: secret },
  logLevel: "error",
  experimental: { disableExperimentalWarning: true, disableDevRegistry: true },
});

try {
  const origin = `http://127.0.0.1:${worker.port}`;
  const headers = { "X-Sortie": "1", "Content-Type": "application/json", Origin: origin, "Sec-Fetch-Site": "same-origin" };
  const body = encodeArguments([]);
  const call = (id: string, cookie?: string) =>
    fetch(`${origin}/_server/${id}`, { method: "POST", headers: cookie ? { ...headers, Cookie: cookie } : headers, body });

  const signIn = await call("bench/sign-in");
  const cookie = signIn.headers.getSetCookie()[0]?.split(";")[0];
  if (!signIn.ok || !cookie) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  // On http://127.0.0.1 the cookie is plain `session` (no __Host- prefix).
  const expired = `session=${await sealTicket({ id: newSessionId(), expiresAt: 1 }, await deriveSessionKey(secret), "session")}`;

  // `knowsUser`: whether the answer names the signed-in user (an expired cookie opens nothing).
  const cases = [
    { name: "no session", id: "bench/plain", cookie: undefined, knowsUser: true },
    { name: "session read", id: "bench/session", cookie, knowsUser: true },
    { name: "unseal only", id: "bench/session", cookie: expired, knowsUser: false },
  ];
  // Each case must really do what it claims before it is timed.
  for (const { id, cookie, knowsUser, name } of cases) {
    const response = await call(id, cookie);
    const text = await response.text();
    if (!response.ok || text.includes('"ada"') !== knowsUser) throw new Error(`${name}: unexpected answer ${response.status} ${text}`);
  }

  const load = (target: (typeof cases)[number], duration: number) =>
    autocannon({
      url: `${origin}/_server/${target.id}`,
      method: "POST",
      headers: target.cookie ? { ...headers, Cookie: target.cookie } : headers,
      body,
      connections,
      duration,
    });

  // Per case: every round's mean latency (rounds rotate the order of the cases).
  const latencies = cases.map((): number[] => []);
  const totals = cases.map(() => ({ requests: 0, errors: 0 }));
  for (const target of cases) await load(target, 1); // warm-up: JIT, key derivation, KV's first reads
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < cases.length; step++) {
      const index = (round + step) % cases.length;
      const result = await load(cases[index]!, seconds);
      latencies[index]!.push(result.latency.mean);
      totals[index]!.requests += result.requests.total;
      totals[index]!.errors += result.errors + result.non2xx;
    }
  }

  // Ratios are taken round by round (the cases of one round ran back to back), then the
  // median: a burst of load from elsewhere on the machine skews one round, not the figure.
  console.log(`session benchmark: ${rounds} rounds × ${seconds} s per case, ${connections} connection(s), workerd via wrangler dev (local KV)`);
  for (const [index, target] of cases.entries()) {
    const ratios = latencies[index]!.map((latency, round) => latency / latencies[0]![round]!).sort((a, b) => a - b);
    const { requests, errors } = totals[index]!;
    console.log(
      `  ${target.name.padEnd(13)} ${(requests / (rounds * seconds)).toFixed(0).padStart(5)} req/s   ` +
        `mean latency ${median(latencies[index]!).toFixed(2).padStart(6)} ms   ` +
        `${median(ratios).toFixed(2)}× the baseline (rounds: ${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)})   ` +
        `${requests} requests, ${errors} errors`,
    );
  }
  if (totals.some((total) => total.errors > 0)) process.exitCode = 1;
} finally {
  await worker.stop();
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
