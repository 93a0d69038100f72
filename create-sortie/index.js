#!/usr/bin/env node
// `npm create sortie@latest my-app` runs this: the same as `npx sortie init my-app`, done by
// the sortie package this one depends on, so the two can never write different apps.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const manifestPath = createRequire(import.meta.url).resolve("sortie/package.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const cli = join(dirname(manifestPath), manifest.bin.sortie);
const run = spawnSync(process.execPath, [cli, "init", ...process.argv.slice(2)], { stdio: "inherit" });
process.exitCode = run.status ?? 1;
