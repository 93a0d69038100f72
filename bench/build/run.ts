// `node bench/build/run.ts [pairs]`: the build step with the "use server" transform against
// plain esbuild (same entries, same options, no plugins) on a synthetic app of ~500 modules
// and 2,000 server functions. Prints the median of each and of the per-pair ratios; exits
// non-zero when either misses its target. See bench/README.md.
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { build, bundleOptions, type BuildOptions } from "../../build/build.ts";
import { generateApp } from "./generate.ts";

const pairs = Number(process.argv[2] ?? 11);
/** The build with the transform may take at most this multiple of plain esbuild's time… */
const TARGET_RATIO = 1.5;
/** …and at most this long (ms). */
const TARGET_MS = 3000;
const repo = fileURLToPath(new URL("../../", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "sortie-bench-build-"));
symlinkSync(join(repo, "node_modules"), join(root, "node_modules"), "dir");
const modules = generateApp(root, repo);

const options: BuildOptions = { root, workerEntry: "worker.ts", clientEntry: "client.ts" };
const plainOptions: BuildOptions = { ...options, outDir: "dist-plain" };

const builds = {
  plain: async () => {
    await esbuild.build(bundleOptions(plainOptions, "client"));
    await esbuild.build(bundleOptions(plainOptions, "worker"));
  },
  transform: async () => (await build(options)).serverFunctions.length,
};
type Kind = keyof typeof builds;

// Wall time, and this process's CPU time: the plugins' share (esbuild runs in its own process).
const wall: Record<Kind, number[]> = { plain: [], transform: [] };
const cpu: Record<Kind, number[]> = { plain: [], transform: [] };

async function measure(kind: Kind): Promise<void> {
  const usage = process.cpuUsage();
  const started = performance.now();
  await builds[kind]();
  wall[kind].push(performance.now() - started);
  const { user, system } = process.cpuUsage(usage);
  cpu[kind].push((user + system) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const format = (values: number[], digits = 0) => values.map((value) => value.toFixed(digits)).join(", ");

// One warm-up each (esbuild's service, the parser's native module), then the two back to back,
// alternating which goes first: each pair sees about the same machine load, so the median of
// the per-pair ratios is steadier than the ratio of medians on a shared machine.
const serverFunctions = await builds.transform();
await builds.plain();
for (let pair = 0; pair < pairs; pair++) {
  for (const kind of pair % 2 === 0 ? (["plain", "transform"] as const) : (["transform", "plain"] as const)) await measure(kind);
}
rmSync(root, { recursive: true, force: true });

const ratios = wall.transform.map((value, index) => value / wall.plain[index]!);
const ratio = median(ratios);
const absolute = median(wall.transform);
const verdict = (within: boolean) => (within ? "within" : "MISSED");
console.log(`synthetic app: ${modules} modules, ${serverFunctions} server functions; ${pairs} pairs of builds (client + worker bundles)`);
console.log(`plain esbuild:      median ${median(wall.plain).toFixed(0)} ms  (${format(wall.plain)})`);
console.log(`with "use server":  median ${absolute.toFixed(0)} ms  (${format(wall.transform)})`);
console.log(`ratio per pair:     median ${ratio.toFixed(2)}  (${format(ratios, 2)})  target ≤ ${TARGET_RATIO}: ${verdict(ratio <= TARGET_RATIO)}`);
console.log(`with "use server", absolute: ${(absolute / 1000).toFixed(2)} s (target < ${TARGET_MS / 1000} s: ${verdict(absolute < TARGET_MS)})`);
console.log(`CPU time of this process per build (the plugins' work): plain ${median(cpu.plain).toFixed(0)} ms, with "use server" ${median(cpu.transform).toFixed(0)} ms`);
if (ratio > TARGET_RATIO || absolute >= TARGET_MS) process.exitCode = 1;
