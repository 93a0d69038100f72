// The `sortie` command's answers to what it cannot do: one line on stderr, exit 1, saying what
// to do. (Building, scaffolding and `sortie dev` that work are proven in test/node/package.)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers.ts";

const CLI = join(REPO, "build/cli.ts");

function sortie(args: string[], cwd = mkdtempSync(join(tmpdir(), "sortie-cli-"))) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, lines: run.stderr.trim().split("\n") };
}

/** A folder with the repository's node_modules (so wrangler resolves) and `files`. */
function folder(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), "sortie-cli-"));
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"), "dir");
  writeFileSync(join(root, "package.json"), `{ "name": "cli-test", "private": true, "type": "module" }\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

function expectOneLine(run: ReturnType<typeof sortie>, text: string): void {
  expect(run.status).toBe(1);
  expect(run.lines).toHaveLength(1);
  expect(run.lines[0]).toContain(text);
}

describe("sortie", () => {
  it("without a command prints the usage and exits 1; --help exits 0", () => {
    const bare = sortie([]);
    expect(bare.status).toBe(1);
    expect(bare.stdout).toContain("sortie build [--dev]");
    expect(sortie(["--help"]).status).toBe(0);
  });

  it("names the commands there are for an unknown one", () => {
    expectOneLine(sortie(["serve"]), `sortie: unknown command "serve": use sortie build, sortie dev or sortie init`);
  });
});

describe("sortie build", () => {
  it("refuses an unknown option, naming the options there are", () => {
    expectOneLine(sortie(["build", "--watch"]), "sortie build: unknown option --watch (the options are --dev, --strict, --worker <value>, --client <value>, --out-dir <value>)");
  });

  it("refuses an option without its value", () => {
    expectOneLine(sortie(["build", "--worker"]), "sortie build: --worker needs a value");
  });

  it("names a missing entry and the option that picks another", () => {
    expectOneLine(sortie(["build"]), "or name yours with --worker <file>");
    expectOneLine(sortie(["build", "--worker", "src/index.ts"]), "The Worker entry src/index.ts (--worker) does not exist");
  });
});

describe("sortie init", () => {
  it("needs one folder", () => {
    expectOneLine(sortie(["init"]), "sortie init: name the folder to create: sortie init my-app");
  });

  it("refuses a folder that is not empty, and a name no Worker can have", () => {
    const root = mkdtempSync(join(tmpdir(), "sortie-cli-"));
    mkdirSync(join(root, "taken"));
    writeFileSync(join(root, "taken", "notes.txt"), "mine");
    expectOneLine(sortie(["init", "taken"], root), "already exists and is not empty: choose a new folder");
    expect(readFileSync(join(root, "taken", "notes.txt"), "utf8")).toBe("mine");
    expectOneLine(sortie(["init", "My App"], root), `"My App" cannot name a Worker and a package`);
  });

  it("writes the app with .gitignore, a package.json pinning this Sortie's versions, and no .dev.vars", () => {
    const root = mkdtempSync(join(tmpdir(), "sortie-cli-"));
    const run = sortie(["init", "shop"], root);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("cd shop\n  npm install\n  npm run dev");
    const own = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
    const app = JSON.parse(readFileSync(join(root, "shop", "package.json"), "utf8"));
    expect(app.name).toBe("shop");
    expect(app.dependencies.sortie).toBe(`^${own.version}`);
    expect(app.devDependencies.wrangler).toBe(own.devDependencies.wrangler);
    expect(app.devDependencies.node).toBe(own.devDependencies.node);
    expect(app.scripts).toMatchObject({ dev: "sortie dev", build: "sortie build --strict", deploy: "sortie build --strict && wrangler deploy" });
    expect(readFileSync(join(root, "shop", ".gitignore"), "utf8")).toContain(".dev.vars");
    expect(readFileSync(join(root, "shop", "wrangler.toml"), "utf8")).toContain(`name = "shop"`);
    expect(() => readFileSync(join(root, "shop", ".dev.vars"))).toThrow();
  });
});

describe("sortie dev", () => {
  it("needs a wrangler config", () => {
    expectOneLine(sortie(["dev"], folder()), "no wrangler.toml (or wrangler.json/.jsonc) in");
  });

  it("needs the config's [build] command, naming the file", () => {
    const root = folder({ "wrangler.toml": `name = "x"\nmain = "dist/worker/index.js"\ncompatibility_date = "2026-10-20"\n` });
    expectOneLine(sortie(["dev"], root), `wrangler.toml has no [build] command, so wrangler dev would serve whatever dist/ holds: add [build] command = "sortie build"`);
  });

  it("needs wrangler installed in the app", () => {
    const root = mkdtempSync(join(tmpdir(), "sortie-cli-"));
    writeFileSync(join(root, "wrangler.toml"), `name = "x"\n`);
    expectOneLine(sortie(["dev"], root), "wrangler is not installed in");
  });
});
