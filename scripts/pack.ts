// `npm pack` / `npm publish` run this first (prepack): worker/, client/, common/ and build/
// compiled to ESM JavaScript and .d.ts in lib/ (tsconfig.package.json), so the package runs
// where Node will not strip types (under node_modules). package.json's `files` then takes
// lib/, template/, README.md and LICENSE.
import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const lib = join(root, "lib");
rmSync(lib, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.package.json")], {
  stdio: ["ignore", process.stderr, process.stderr], // stdout stays clean for `npm pack --json`
});
if (tsc.status !== 0) {
  console.error("prepack: compiling the package (tsconfig.package.json) failed");
  process.exit(tsc.status ?? 1);
}

// What must hold for the package to work once installed.
const cli = join(lib, "build", "cli.js");
if (!readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node")) throw new Error(`prepack: ${cli} lost its #! line`);
chmodSync(cli, 0o755);
const leftover = (readdirSync(lib, { recursive: true }) as string[]).filter(
  (file) => file.endsWith(".js") && statSync(join(lib, file)).isFile() && /from "\.{1,2}\/[^"]*\.tsx?"/.test(readFileSync(join(lib, file), "utf8")),
);
if (leftover.length > 0) throw new Error(`prepack: these files still import .ts paths: ${leftover.join(", ")}`);
console.error(`prepack: compiled lib/ (${readdirSync(lib, { recursive: true }).length} entries)`);
