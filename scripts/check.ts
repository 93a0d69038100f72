// `npm run check`: what would ship.
// 1. The package: `npm pack --dry-run` (prepack compiles lib/), its file list and size.
// 2. The demo Worker: build, then `wrangler deploy --dry-run` offline into a temporary folder,
//    and the upload's file sizes, raw and gzip.
// 3. Its local cold start to a first answer (scripts/cold-start.ts), the median of five.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { measureColdStart } from "./cold-start.ts";
import { wranglerEnv } from "./wrangler-env.ts";

const env = wranglerEnv();
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const packed = spawnSync("npm", ["pack", "--dry-run", "--json"], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
if (packed.status !== 0) process.exit(packed.status ?? 1);
const [tarball] = JSON.parse(packed.stdout) as { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] }[];
console.log(`Package ${tarball!.filename}: ${tarball!.files.length} files`);
for (const file of tarball!.files) console.log(`  ${file.path.padEnd(56)} ${kib(file.size).padStart(10)}`);
console.log(`Package size: ${kib(tarball!.size)} packed, ${kib(tarball!.unpackedSize)} unpacked\n`);

const outdir = mkdtempSync(join(tmpdir(), "sortie-dry-run-"));
const result = spawnSync("wrangler", ["deploy", "--dry-run", "--outdir", outdir], { stdio: "inherit", env });
if (result.status !== 0) process.exit(result.status ?? 1);

let raw = 0;
let gzip = 0;
for (const name of readdirSync(outdir, { recursive: true }) as string[]) {
  const path = join(outdir, name);
  if (!statSync(path).isFile() || name.endsWith(".map")) continue;
  const bytes = readFileSync(path);
  const gz = gzipSync(bytes).length;
  raw += bytes.length;
  gzip += gz;
  console.log(`${name.padEnd(40)} ${kib(bytes.length).padStart(10)}  gzip ${kib(gz).padStart(9)}`);
}
console.log(`Worker upload size: ${kib(raw)}, gzip ${kib(gzip)} (limit 64 MiB uncompressed)`);

const coldStart = await measureColdStart(join(outdir, "index.js"));
console.log(`Local cold start to first answer: ${Math.round(coldStart.median)} ms median (runs: ${coldStart.runs.map((ms) => Math.round(ms)).join(", ")} ms)`);
