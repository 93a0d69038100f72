// The built Worker's local cold start (`npm run check` prints it): a fresh workerd (Miniflare)
// loads dist/worker/index.js and answers its first request, five times; the median counts.
// The request needs no binding (an unknown function's 404), so what is measured is starting
// the isolate, evaluating the bundle and one trip through the endpoint.
import { readFileSync } from "node:fs";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { projectCompatibility } from "./compatibility.ts";

export async function measureColdStart(workerFile: string, runs = 5): Promise<{ median: number; runs: number[] }> {
  const script = readFileSync(workerFile, "utf8");
  const compatibility = projectCompatibility();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const miniflare = new Miniflare(
      convertV4MiniflareOptions({ modules: true, script, compatibilityDate: compatibility.date, compatibilityFlags: compatibility.flags, bindings: { SORTIE_ENV: "production" } }),
    );
    try {
      const response = await miniflare.dispatchFetch("http://localhost/_server/cold-start-probe", { method: "POST", headers: { "X-Sortie": "1" } });
      await response.arrayBuffer();
      if (response.status !== 404) throw new Error(`the cold-start probe expected the endpoint's 404, got ${response.status}`);
      times.push(performance.now() - started);
    } finally {
      await miniflare.dispose();
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, runs: times };
}
