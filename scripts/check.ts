// `npm run check`: build, then `wrangler deploy --dry-run` offline into a temporary folder,
// and print what would be uploaded (file sizes, raw and gzip).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { wranglerEnv } from "./wrangler-env.ts";

const outdir = mkdtempSync(join(tmpdir(), "sortie-dry-run-"));
const env = wranglerEnv();
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
  console.log(`${name.padEnd(40)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KiB  gzip ${(gz / 1024).toFixed(1).padStart(7)} KiB`);
}
console.log(`Worker upload size: ${(raw / 1024).toFixed(1)} KiB, gzip ${(gzip / 1024).toFixed(1)} KiB (limit 64 MiB uncompressed)`);
