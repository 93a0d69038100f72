// `node bench/single-flight/size.ts`: builds the benchmark's product page with the real build
// and prints the JavaScript it loads (entry + statically imported chunks), gzip -9, against
// the 12 KB budget. Islands would add lazy chunks; this page has none.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildProject } from "../../test/node/queries/project.ts";

const BUDGET = 12 * 1024;
const project = await buildProject({ workerEntry: "bench/single-flight/app/worker.ts", clientEntry: "bench/single-flight/app/client.ts" });
try {
  let total = 0;
  for (const url of [project.manifest.entry, ...project.manifest.imports]) {
    const gzip = gzipSync(await readFile(join(project.root, "client", url)), { level: 9 }).length;
    total += gzip;
    console.log(`${url.padEnd(40)} ${(gzip / 1024).toFixed(2)} KB gzip`);
  }
  console.log(`/products/:id loads ${(total / 1024).toFixed(2)} KB gzip of JavaScript (budget ${BUDGET / 1024} KB: ${total <= BUDGET ? "within" : "OVER"})`);
  if (total > BUDGET) process.exitCode = 1;
} finally {
  await project.remove();
}
