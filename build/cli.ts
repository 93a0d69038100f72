#!/usr/bin/env node
// `sortie <command>`: the package's bin (npm scripts, wrangler's [build] command, npx).
//   sortie build [--dev] [--strict] [--worker <file>] [--client <file>] [--out-dir <dir>]
//   sortie dev [wrangler dev flags…]
//   sortie init <folder>
// A problem prints one line (a build error: file:line:column plus a hint) and exits 1.
import { CliError } from "./cli/arguments.ts";
import { BuildConfigError, BuildFailedError } from "./errors.ts";

const USAGE = `Usage:
  sortie build [--dev] [--strict] [--worker <file>] [--client <file>] [--out-dir <dir>]
                  build the app in this folder into dist/worker and dist/client
  sortie dev [wrangler dev flags…]
                  wrangler dev with a development build that follows your changes
  sortie init <folder>
                  write a new Sortie app into <folder>`;

// Loaded on use: `sortie init` must not wait for esbuild and the parser (nor need them).
const COMMANDS: Record<string, () => Promise<(args: string[]) => Promise<void> | void>> = {
  build: async () => (await import("./cli/build-command.ts")).buildCommand,
  dev: async () => (await import("./cli/dev-command.ts")).devCommand,
  init: async () => (await import("./cli/init-command.ts")).initCommand,
};

const [command, ...args] = process.argv.slice(2);
if (command === undefined || command === "--help" || command === "-h" || command === "help") {
  console.log(USAGE);
  if (command === undefined) process.exitCode = 1;
} else if (!Object.hasOwn(COMMANDS, command)) {
  console.error(`sortie: unknown command "${command}": use sortie build, sortie dev or sortie init (sortie --help says more)`);
  process.exitCode = 1;
} else {
  try {
    await (await COMMANDS[command]!())(args);
  } catch (error) {
    if (!(error instanceof CliError || error instanceof BuildFailedError || error instanceof BuildConfigError)) throw error;
    console.error(`sortie ${command}: ${error.message}`);
    process.exitCode = 1;
  }
}
