import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { build, type BuildResult } from "../../../build/build.ts";
import { BuildConfigError, BuildFailedError } from "../../../build/errors.ts";
import { serverFunctionId } from "../../../build/ids.ts";
import { referenceInfo } from "../../../common/reference.ts";
import { FIXTURES, REPO } from "./helpers.ts";

const SECRET = "secret-e2b7c9a1f04d";
const SERVER_ONLY = "server-only-module-d41c8f0b";

/** A copy of the fixture app at `depth` folders below a fresh temp dir, with the repo's node_modules. */
function project(depth: string[] = [], fixture = "app"): string {
  const root = join(mkdtempSync(join(tmpdir(), "sortie-build-")), ...depth, "project");
  mkdirSync(root, { recursive: true });
  cpSync(join(FIXTURES, fixture), root, { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"), "dir");
  return root;
}

function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the build to fail");
}

describe("build() of the fixture app", () => {
  let root: string;
  let result: BuildResult;

  beforeAll(async () => {
    root = project();
    result = await build({ root, workerEntry: "worker.ts", clientEntry: "client.ts" });
  });

  it("writes the worker bundle, the hashed client files and the manifest, with source maps", () => {
    expect(result.workerFile).toBe(join(root, "dist/worker/index.js"));
    expect(existsSync(join(root, "dist/worker/index.js.map"))).toBe(true);
    expect(result.manifest.entry).toMatch(/^\/assets\/client-[A-Z0-9]{8}\.js$/);
    expect(result.manifest.imports.length).toBeGreaterThan(0); // shared.ts: a chunk shared with the lazy island
    for (const url of [result.manifest.entry, ...result.manifest.imports]) {
      expect(url).toMatch(/^\/assets\/[\w-]+-[A-Z0-9]{8}\.js$/);
      expect(existsSync(join(root, "dist/client", url))).toBe(true);
      expect(existsSync(join(root, "dist/client", `${url}.map`))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(root, "dist/manifest.json"), "utf8"))).toEqual(result.manifest);
    // Minified: the entry has a handful of long lines, not one per statement.
    expect(readFileSync(join(root, "dist/client", result.manifest.entry), "utf8").split("\n").length).toBeLessThan(10);
  });

  it("keeps server code and server-only modules out of everything under dist/client, source maps included", () => {
    const files = listFiles(join(root, "dist/client"));
    expect(files.some((file) => file.endsWith(".map"))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toContain(SECRET);
      expect(text, file).not.toContain(SERVER_ONLY);
      expect(text, file).not.toContain("db.server");
      if (file.endsWith(".map")) {
        const map = JSON.parse(text) as { sources: string[]; sourcesContent: string[] };
        expect(map.sources.some((source) => source.includes("db.server"))).toBe(false);
        expect(map.sourcesContent.join("\n")).not.toContain("use server");
      }
    }
    // The same strings are in the Worker bundle, so the checks above could fail.
    const worker = readFileSync(result.workerFile, "utf8");
    expect(worker).toContain(SECRET);
    expect(worker).toContain(SERVER_ONLY);
  });

  it("client source maps of a module with server functions hold no comment or type declaration of it", () => {
    expect(readFileSync(join(root, "page.tsx"), "utf8")).toContain("sortie-comment-4b1e");
    const maps = listFiles(join(root, "dist/client")).filter((file) => file.endsWith(".map"));
    const contents = maps.flatMap((file) => (JSON.parse(readFileSync(file, "utf8")) as { sourcesContent: string[] }).sourcesContent).join("\n");
    expect(contents).toContain("createServerReference(");
    expect(contents).not.toContain("sortie-comment-4b1e");
    expect(contents).not.toContain("LedgerRow_9c1");
  });

  it("maps the client bundle back to the transformed modules, line for line", () => {
    const map = JSON.parse(readFileSync(join(root, "dist/client", `${result.manifest.entry}.map`), "utf8")) as { sources: string[]; sourcesContent: string[] };
    const index = map.sources.findIndex((source) => source.endsWith("/page.tsx"));
    expect(index).toBeGreaterThanOrEqual(0);
    const original = readFileSync(join(root, "page.tsx"), "utf8");
    expect(map.sourcesContent[index]!.split("\n").length).toBe(original.split("\n").length);
    expect(map.sourcesContent[index]).toContain("createServerReference(");
  });

  it("bundles the client with hono/jsx/dom in place of hono/jsx", () => {
    const chunks = [result.manifest.entry, ...result.manifest.imports].map((url) => join(root, "dist/client", `${url}.map`));
    const sources = chunks.flatMap((file) => (JSON.parse(readFileSync(file, "utf8")) as { sources: string[] }).sources);
    expect(sources.some((source) => source.includes("hono/dist/jsx/dom/hooks"))).toBe(true);
    expect(sources.some((source) => source.endsWith("hono/dist/jsx/jsx-runtime.js"))).toBe(false);
  });

  it("registers every server function in the Worker bundle, callable and the same function server code uses", async () => {
    const worker = await import(pathToFileURL(result.workerFile).href);
    expect(result.serverFunctions.map((fn) => fn.name).sort()).toEqual(
      ["ProductPage.$1", "ProductPage.rename", "Widget.save", "default", "getName", "getPrice", "getProduct", "removeProduct", "saveProduct"].sort(),
    );
    const id = (name: string) => result.serverFunctions.find((fn) => fn.name === name)!.id;
    for (const fn of result.serverFunctions) expect(typeof worker.findServerFunction(fn.id)).toBe("function");
    expect(worker.findServerFunction(id("getProduct"))).toBe(worker.getProduct);
    expect(await worker.findServerFunction(id("getProduct"))("1")).toEqual({ id: "1", name: "Lamp", marker: SERVER_ONLY, signature: `1:${SECRET}` });
    expect(await worker.saveProduct("1", "Desk")).toBe(`saved 1 with ${SECRET.length}`);
    expect(await worker.getName("1")).toBe("Desk");
    expect(worker.Widget()).toBe(worker.findServerFunction(id("Widget.save")));
    expect(await worker.Widget()("x")).toBe("widget saved x");
    expect(worker.manifest).toEqual(result.manifest);
  });

  it("gives the browser stubs that carry the same ids", async () => {
    await import(pathToFileURL(join(root, "dist/client", result.manifest.entry)).href);
    const fixture = (globalThis as Record<string, any>).fixture;
    const id = (name: string) => result.serverFunctions.find((fn) => fn.name === name)!.id;
    expect(referenceInfo(fixture.getProduct)).toEqual({ id: id("getProduct"), bound: [] });
    expect(referenceInfo(fixture.saveProduct)?.id).toBe(id("saveProduct"));
    expect(referenceInfo(fixture.getName)?.id).toBe(id("getName"));
    expect(referenceInfo(fixture.Widget())?.id).toBe(id("Widget.save"));
    expect(fixture.shared("a")).toBe("shared:a");
    expect(typeof (await fixture.loadCounter()).Counter).toBe("function");
  });

  it("follows an ordinary barrel's re-exports in both bundles to the defining module's ids", async () => {
    const worker = await import(pathToFileURL(result.workerFile).href);
    await import(pathToFileURL(join(root, "dist/client", result.manifest.entry)).href);
    const fixture = (globalThis as Record<string, any>).fixture;
    // Through barrel.ts: a file-level export, a query(async function …), a default export by
    // name and a file-level default arrow.
    const cases = [
      ["getProduct", "actions.ts", "getProduct"],
      ["getPrice", "catalog.ts", "getPrice"],
      ["removeProduct", "catalog.ts", "removeProduct"],
      ["monthlyReport", "reports.ts", "default"],
    ] as const;
    for (const [exported, file, name] of cases) {
      const id = serverFunctionId(file, name);
      expect(result.serverFunctions).toContainEqual(expect.objectContaining({ id, name, file }));
      expect(worker.findServerFunction(id), exported).toBe(worker[exported]);
      expect(referenceInfo(fixture[exported])?.id, exported).toBe(id);
    }
    expect(await worker.getPrice("1")).toBe(`${SERVER_ONLY.length} cents`);
    expect(await worker.removeProduct("9")).toBe("removed 9");
    expect(await worker.monthlyReport("1")).toBe("report for 1");
  });
});

describe("ids", () => {
  it("are identical for copies of a project in different directories", async () => {
    const roots = [project(["a"]), project(["b"]), project(["c", "deeper", "still"])];
    const [one, two, three] = await Promise.all(roots.map((root) => build({ root, workerEntry: "worker.ts", clientEntry: "client.ts" })));
    expect(two!.serverFunctions).toEqual(one!.serverFunctions);
    expect(three!.serverFunctions).toEqual(one!.serverFunctions);
    for (const fn of one!.serverFunctions) expect(fn.id).toMatch(/^[\w$.]+_[0-9a-f]{10}$/);
    // Same client bytes too. (Only at the same depth: the source maps, which feed the content
    // hashes, point at Sortie's runtime by relative path, and here it lives outside the project.)
    const js = (root: string) => listFiles(join(root, "dist/client")).filter((file) => file.endsWith(".js")).map((file) => [file.slice(root.length), readFileSync(file, "utf8")]);
    expect(js(roots[1]!)).toEqual(js(roots[0]!));
    expect(two!.manifest).toEqual(one!.manifest);
    expect(js(roots[0]!).join("")).not.toContain(roots[0]);
  });
});

describe("build errors", () => {
  it("names a missing entry", async () => {
    const error = await failure(build({ root: project(), workerEntry: "missing-worker.ts", clientEntry: "client.ts" }));
    expect(error).toBeInstanceOf(BuildConfigError);
    expect(error.message).toContain("The Worker entry missing-worker.ts does not exist");
  });

  it("reports a transform error with its location", async () => {
    const root = project();
    writeFileSync(join(root, "shared.ts"), `export function shared(value: string) {\n  "use server";\n  return value;\n}\n`);
    const error = await failure(build({ root, workerEntry: "worker.ts", clientEntry: "client.ts" }));
    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toContain("shared.ts:1:8: the server function shared is not async");
    expect(error.message).toContain("hint: make it async");
  });

  it("rejects sortie/worker in the client bundle, naming the importer", async () => {
    const root = project();
    writeFileSync(join(root, "client.ts"), `import { createSortie } from "sortie/worker";\nconsole.log(createSortie);\n`);
    const error = await failure(build({ root, workerEntry: "worker.ts", clientEntry: "client.ts" }));
    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toMatch(/^client\.ts:1:\d+: client\.ts imports sortie\/worker, which is only for the worker bundle/m);
    expect(error.message).toContain("hint: import sortie/worker only from the Worker entry");
  });

  it("rejects sortie/client and a misspelt specifier in the worker bundle", async () => {
    const root = project();
    writeFileSync(join(root, "worker.ts"), `import { start } from "sortie/client";\nimport x from "sortie/nope";\nexport default { start, x };\n`);
    const error = (await failure(build({ root, workerEntry: "worker.ts", clientEntry: "client.ts" }))) as BuildFailedError;
    expect(error.errors.map((entry) => `${entry.file}:${entry.line}`)).toEqual(["worker.ts:1", "worker.ts:2"]);
    expect(error.message).toContain("worker.ts imports sortie/client, which is only for the client bundle");
    expect(error.message).toContain("worker.ts imports sortie/nope, which Sortie does not provide");
  });

  it("rejects sortie:manifest in the client bundle", async () => {
    const root = project();
    writeFileSync(join(root, "client.ts"), `import manifest from "sortie:manifest";\nconsole.log(manifest);\n`);
    const error = await failure(build({ root, workerEntry: "worker.ts", clientEntry: "client.ts" }));
    expect(error.message).toContain("client.ts:1:");
    expect(error.message).toContain("imports sortie:manifest, which exists only in the Worker bundle");
  });

  it("rejects client stubs whose module the Worker never imports", async () => {
    const root = project();
    writeFileSync(join(root, "worker.ts"), `export default { fetch: () => new Response("no actions here") };\n`);
    const error = await failure(build({ root, workerEntry: "worker.ts", clientEntry: "client.ts" }));
    expect(error.message).toContain("actions.ts:6:8: the client bundle calls server functions of actions.ts");
    expect(error.message).toContain("but the Worker bundle never imports actions.ts");
    expect(error.message).toContain("hint: import actions.ts from the Worker entry");
  });
});

describe("strict mode", () => {
  it("fails naming each server function that declares neither a guard nor \"public\", with file:line and a hint", async () => {
    const root = project([], "strict");
    const error = await failure(build({ root, workerEntry: "worker.ts", clientEntry: "client.ts", strict: true }));
    const lines = error.message.split("\n").filter((line) => line.includes("declares no guard"));
    expect(lines).toEqual([
      expect.stringContaining("actions.ts:16:8: the server function forgotten declares no guard"),
      expect.stringContaining("actions.ts:21:33: the server function emptyList declares no guard"),
    ]);
    expect(error.message).toContain('hint: declare a guard with it: action(async (…) => { "use server"; … }, { use: [requireUser] })');
    expect(error.message).toContain('write "public" after "use server"');
  });

  it("is off unless asked for, and reports who may call each function", async () => {
    const result = await build({ root: project([], "strict"), workerEntry: "worker.ts", clientEntry: "client.ts" });
    expect(Object.fromEntries(result.serverFunctions.map((fn) => [fn.name, fn.protection ?? "none"]))).toEqual({
      guarded: "guarded",
      readable: "public",
      forgotten: "none",
      emptyList: "none",
    });
  });
});

describe("the CLI", () => {
  const cli = join(REPO, "build/cli.ts");

  it("fails with the missing entry's name when there is no app/", () => {
    const root = mkdtempSync(join(tmpdir(), "sortie-cli-"));
    const run = spawnSync(process.execPath, [cli, "build"], { cwd: root, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Missing the Worker entry: create app/worker.ts (or app/worker.tsx)");
  });

  it("builds app/worker.ts and app/client.ts of the current directory", () => {
    const root = project();
    const app = join(root, "..", "with-app");
    mkdirSync(app);
    cpSync(root, join(app, "app"), { recursive: true, filter: (path) => !path.endsWith("node_modules") });
    symlinkSync(join(REPO, "node_modules"), join(app, "node_modules"), "dir");
    const run = spawnSync(process.execPath, [cli, "build"], { cwd: app, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/sortie build: dist\/worker\/index\.js, dist\/client\/assets\/client-\w+\.js \(\+1 chunks\), 9 server functions/);
    expect(existsSync(join(app, "dist/worker/index.js"))).toBe(true);
  });
});
