// `node bench/build/run.ts [pairs]`: the build step with the "use server" transform against
// plain esbuild (same entries, same options, no plugins) on a synthetic app of ~500 modules
// and 2,000 server functions. Prints the median of each and of the per-pair ratios.
// See bench/README.md.
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { build, bundleOptions, type BuildOptions } from "../../build/build.ts";
import { generateApp } from "./generate.ts";

const runs = Number(process.argv[2] ?? 11);
const repo = fileURLToPath(new URL("../../", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "sortie-bench-build-"));
symlinkSync(join(repo, "node_modules"), join(root, "node_modules"), "dir");
const modules = generateApp(root, repo);

const options: BuildOptions = { root, workerEntry: "worker.ts", clientEntry: "client.ts" };
const plainOptions: BuildOptions = { ...options, outDir: "dist-plain" };

async function withTransform(): Promise<number> {
  return (await build(options)).serverFunctions.length;
}

async function plain(): Promise<void> {
  await esbuild.build(bundleOptions(plainOptions, "client"));
  await esbuild.build(bundleOptions(plainOptions, "worker"));
}

async function time(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// One warm-up each (esbuild's service, the parser's native module), then the two back to back,
// alternating which goes first: each pair sees about the same machine load, so the median of
// the per-pair ratios is steadier than the ratio of medians on a shared machine.
const serverFunctions = await withTransform();
await plain();
const transformTimes: number[] = [];
const plainTimes: number[] = [];
for (let run = 0; run < runs; run++) {
  if (run % 2 === 0) {
    plainTimes.push(await time(plain));
    transformTimes.push(await time(withTransform));
  } else {
    transformTimes.push(await time(withTransform));
    plainTimes.push(await time(plain));
  }
}
rmSync(root, { recursive: true, force: true });

const ratios = transformTimes.map((value, index) => value / plainTimes[index]!);
const withMedian = median(transformTimes);
const format = (values: number[], digits = 0) => values.map((value) => value.toFixed(digits)).join(", ");
console.log(`synthetic app: ${modules} modules, ${serverFunctions} server functions; ${runs} pairs of builds (client + worker bundles)`);
console.log(`plain esbuild:      median ${median(plainTimes).toFixed(0)} ms  (${format(plainTimes)})`);
console.log(`with "use server":  median ${withMedian.toFixed(0)} ms  (${format(transformTimes)})`);
console.log(`ratio per pair:     median ${median(ratios).toFixed(2)}  (${format(ratios, 2)})  target ≤ 1.5`);
console.log(`with "use server", absolute: ${(withMedian / 1000).toFixed(2)} s (target < 3 s)`);
