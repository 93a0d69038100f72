import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { serverFunctionId } from "../../../build/ids.ts";
import { ServerFunctionTransform } from "../../../build/plugin.ts";
import { sortieSpecifiers } from "../../../build/specifiers.ts";
import type { Target } from "../../../build/transform.ts";
import { referenceInfo } from "../../../common/reference.ts";
import { directiveCount, FIXTURES, lineCount, REPO, stringArguments, transformFixture } from "./helpers.ts";

const idOf = (fixture: string, name: string) => serverFunctionId(`test/fixtures/transform/${fixture}`, name);

describe("file-level directive", () => {
  const fixture = "file-level.ts";
  const names = ["getProduct", "saveProduct", "removeProduct", "default"];

  it("leaves only the stubs of the exports in the client module", () => {
    const { code } = transformFixture(`transform/${fixture}`, "client");
    expect(stringArguments(code!, "createServerReference", "ts").sort()).toEqual(names.map((name) => idOf(fixture, name)).sort());
    for (const gone of ["file-level-secret-7f3a", "db.server", "sign(", "db.find", "use server"]) expect(code).not.toContain(gone);
    // Every export name survives, aliases included; types need no runtime export.
    const exported = /export \{ (.*) \};/.exec(code!)![1]!.split(", ").map((entry) => entry.split(" as ").at(-1));
    expect(exported.sort()).toEqual(["default", "deleteProduct", "getProduct", "removeProduct", "saveProduct"]);
  });

  it("registers each export once in the worker module and keeps the code", () => {
    const { code, source } = transformFixture(`transform/${fixture}`, "worker");
    expect(stringArguments(code!, "registerServerFunction", "ts").sort()).toEqual(names.map((name) => idOf(fixture, name)).sort());
    expect(code).toContain(`registerServerFunction("${idOf(fixture, "getProduct")}", getProduct);`);
    expect(code).toContain(`export const saveProduct = registerServerFunction("${idOf(fixture, "saveProduct")}", async (product: Product)`);
    expect(code).toContain(`export default registerServerFunction("${idOf(fixture, "default")}", async function ()`);
    expect(code).toContain("file-level-secret-7f3a");
    // Nothing moved: the lines line up with the source, so no source map is needed.
    expect(code).not.toContain("sourceMappingURL");
    expect(lineCount(code!)).toBe(lineCount(source));
  });

  it('counts "use server" after "use strict"', () => {
    const client = transformFixture("transform/strict-first.ts", "client").code!;
    expect(stringArguments(client, "createServerReference", "ts")).toEqual([idOf("strict-first.ts", "ping")]);
    expect(client).not.toContain("pong-strict-first");
  });
});

describe("inserted code", () => {
  it("goes after the prologue on the same line, valid without semicolons and after a hashbang", () => {
    const cases = [
      ["no-semicolons.ts", "pong-no-semicolons"],
      ["function-no-semicolon.ts", "pong-function-no-semicolon"],
      ["hashbang.ts", "pong-hashbang"],
    ] as const;
    for (const [fixture, needle] of cases) {
      const id = idOf(fixture, "ping");
      const worker = transformFixture(`transform/${fixture}`, "worker");
      expect(stringArguments(worker.code!, "registerServerFunction", "ts")).toEqual([id]);
      expect(worker.code).toContain(needle);
      const client = transformFixture(`transform/${fixture}`, "client");
      expect(stringArguments(client.code!, "createServerReference", "ts")).toEqual([id]);
      expect(client.code).not.toContain(needle);
    }
    const { code, source } = transformFixture("transform/no-semicolons.ts", "worker");
    expect(code!.startsWith('#!/usr/bin/env node\n"use strict"\n"use server";import { registerServerFunction } from "sortie/runtime";')).toBe(true);
    expect(lineCount(code!)).toBe(lineCount(source));
    const hashbang = transformFixture("transform/hashbang.ts", "worker");
    expect(hashbang.code!.startsWith("#!/usr/bin/env node\nimport { registerServerFunction }")).toBe(true);
    expect(lineCount(hashbang.code!)).toBe(lineCount(hashbang.source) + 1); // the line break after the hashbang
  });
});

describe("function-level directive", () => {
  const fixture = "function-level.tsx";
  const names = ["getProduct", "updateProduct", "deleteProduct", "ProductPage.rename", "ProductPage.archive", "ProductPage.$1"];

  it("names each function by export, declarator, enclosing chain or position", () => {
    for (const target of ["client", "worker"] as const) {
      const callee = target === "client" ? "createServerReference" : "registerServerFunction";
      const { code } = transformFixture(`transform/${fixture}`, target);
      expect(stringArguments(code!, callee).sort()).toEqual(names.map((name) => idOf(fixture, name)).sort());
    }
  });

  it("replaces bodies with stubs in the client, drops server-only imports, keeps the rest and the line numbers", () => {
    const { code, source } = transformFixture(`transform/${fixture}`, "client");
    expect(directiveCount(code!)).toBe(0);
    for (const gone of ["db.server", "db.find", "db.save", "db.rename", "db.archive", "db.touch"]) expect(code).not.toContain(gone);
    for (const kept of [`import { action, query } from "./api.ts";`, `import { formatPrice } from "./format.ts";`, "formatPrice(price)", "archive.with(id)"]) {
      expect(code).toContain(kept);
    }
    expect(code).toContain(`export const getProduct = query(createServerReference("${idOf(fixture, "getProduct")}")`);
    expect(code).toContain(`export const deleteProduct = createServerReference("${idOf(fixture, "deleteProduct")}");`);
    expect(code).toContain("<form action={ProductPage$rename}>");
    expect(lineCount(code!)).toBe(lineCount(source));
  });

  it("hoists nested functions in the worker before the statement that held them", () => {
    const { code } = transformFixture(`transform/${fixture}`, "worker");
    const page = code!.indexOf("export function ProductPage");
    expect(code!.indexOf(`async function ProductPage$rename(data: FormData)`)).toBeGreaterThan(0);
    expect(code!.indexOf(`async function ProductPage$rename(`)).toBeLessThan(page);
    // archive's `const` moves too, with the action(…) around the function.
    expect(code!.indexOf(`const ProductPage$archive = action(registerServerFunction(`)).toBeLessThan(page);
    expect(code!.indexOf(`const ProductPage$$1 = registerServerFunction(`)).toBeLessThan(page);
    expect(code).toContain("const archive = ProductPage$archive;");
    expect(code).toContain("formAction={ProductPage$$1}");
    expect(code).toContain(`registerServerFunction("${idOf(fixture, "deleteProduct")}", deleteProduct);`);
    expect(directiveCount(code!)).toBe(names.length);
    expect(code).toMatch(/\n\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,[\w+/=]+\n$/);
  });

  it("names anonymous ones by position and a default export `default`", () => {
    const { code } = transformFixture("transform/default-export.ts", "client");
    expect(stringArguments(code!, "createServerReference", "ts")).toEqual(["default", "$1", "$2"].map((name) => idOf("default-export.ts", name)));
    expect(code).toContain(`export default createServerReference("${idOf("default-export.ts", "default")}");`);
  });
});

describe("default exports and function expressions", () => {
  // Each as the client stub and the worker registration, with the same id.
  const cases = [
    ["app/catalog.ts", "getPrice", ['export const getPrice = query(createServerReference("$id")'], ['export const getPrice = query(registerServerFunction("$id", async function (id: string) {']],
    ["app/catalog.ts", "removeProduct", ['const removeProduct = createServerReference("$id");', "export default removeProduct;"], ['registerServerFunction("$id", removeProduct);', "export default removeProduct;"]],
    ["app/reports.ts", "default", ['const defaultExport = createServerReference("$id");', "export { defaultExport as default };"], ['export default registerServerFunction("$id", async (id: string) =>']],
    ["transform/default-name.ts", "archive", ['const archive = createServerReference("$id");', "export { archive as default };"], ['registerServerFunction("$id", archive);', "export default archive;"]],
  ] as const;

  it("query(async function …), export default by name (function-level and file-level), a file-level default arrow", () => {
    for (const [fixture, name, client, worker] of cases) {
      const id = serverFunctionId(`test/fixtures/${fixture}`, name);
      const code = { client: transformFixture(fixture, "client").code!, worker: transformFixture(fixture, "worker").code! };
      for (const line of client) expect(code.client, fixture).toContain(line.replace("$id", id));
      for (const line of worker) expect(code.worker, fixture).toContain(line.replace("$id", id));
      expect(code.client, fixture).not.toContain("db.server");
    }
  });
});

describe('"use server" that is not a directive', () => {
  it("changes nothing in a comment, a string, a later statement or an expression body", () => {
    for (const target of ["client", "worker"] as const) {
      expect(transformFixture("transform/not-directives.ts", target).code).toBeUndefined();
    }
  });
});

describe("client pruning", () => {
  it("drops imports and declarations only server code used, iteratively, and nothing else", () => {
    const { code, source } = transformFixture("transform/prune.ts", "client");
    for (const gone of ["db.server", "secrets.server", "secrets.key", "signer", "rotate", "audit", "first", "db.ping", "internal"]) expect(code).not.toContain(gone);
    for (const kept of [`import { shared, clientOnly } from "./shared.ts";`, `import "./side-effect.ts";`, `const label = shared("label");`, "untouched-constant", "let kept = clientOnly();"]) {
      expect(code).toContain(kept);
    }
    // `internal` is a server function only `save` calls: no stub either (the Worker has it).
    expect(stringArguments(code!, "createServerReference", "ts")).toEqual([idOf("prune.ts", "save")]);
    expect(stringArguments(transformFixture("transform/prune.ts", "worker").code!, "registerServerFunction", "ts").sort()).toEqual(
      [idOf("prune.ts", "internal"), idOf("prune.ts", "save")].sort(),
    );
    expect(lineCount(code!)).toBe(lineCount(source));
  });
});

// Bundles a transform fixture through the real plugins (transform, the sortie specifiers) and imports it.
async function load(fixture: string, target: Target): Promise<Record<string, any>> {
  const transform = new ServerFunctionTransform(REPO);
  const result = await esbuild.build({
    stdin: { contents: `export * from "./${fixture}";\nexport * from "sortie/runtime";`, resolveDir: join(FIXTURES, "transform"), loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    jsx: "automatic",
    jsxImportSource: "hono/jsx",
    logLevel: "silent",
    plugins: [sortieSpecifiers(target, REPO), transform.plugin(target)],
  });
  const file = join(mkdtempSync(join(tmpdir(), "sortie-hoisting-")), `${target}.mjs`);
  writeFileSync(file, result.outputFiles[0]!.text);
  return import(pathToFileURL(file).href);
}

describe("hoisting, bundled and run", () => {

  it("registers the hoisted declaration in the worker; it stays callable, hoisted and the same function", async () => {
    const worker = await load("hoisting.tsx", "worker");
    const { early, shorthand, saveTwice, same } = worker.Widget();
    expect(same).toBe(true);
    expect(shorthand.save).toBe(early);
    expect(await early("x")).toBe("saved:x");
    expect(await saveTwice("y")).toEqual(["saved:y", "saved:y"]);
    expect(worker.findServerFunction(idOf("hoisting.tsx", "Widget.saveTwice"))).toBe(saveTwice);
    expect(referenceInfo(early)?.id).toBe(idOf("hoisting.tsx", "Widget.save"));
    expect(worker.findServerFunction(idOf("hoisting.tsx", "Widget.save"))).toBe(early);
    const action = worker.nested()();
    expect(await action()).toBe("deep");
    expect(worker.findServerFunction(idOf("hoisting.tsx", "nested.inner.action"))).toBe(action);
  });

  it("gives the client the stub with the same id, in the same places", async () => {
    const client = await load("hoisting.tsx", "client");
    const { early, shorthand, saveTwice, same } = client.Widget();
    expect(same).toBe(true);
    expect(shorthand.save).toBe(early);
    expect(referenceInfo(early)).toMatchObject({ id: idOf("hoisting.tsx", "Widget.save"), bound: [] });
    expect(referenceInfo(saveTwice)?.id).toBe(idOf("hoisting.tsx", "Widget.saveTwice"));
    expect(referenceInfo(client.nested()())?.id).toBe(idOf("hoisting.tsx", "nested.inner.action"));
    expect(client.findServerFunction).toBeUndefined();
    expect(typeof client.createServerReference).toBe("function");
  });
});

describe("constants holding nested server functions", () => {
  const fixture = "hoisting-const.tsx";
  const id = (name: string) => idOf(fixture, name);
  const names = ["Shop.price", "Shop.record", "Shop.label", "Shop.checkout"];

  it("move to module scope in the worker with their function, action(…) / query(…) call included", () => {
    const { code } = transformFixture(`transform/${fixture}`, "worker");
    expect(stringArguments(code!, "registerServerFunction")).toEqual(names.map(id));
    const shop = code!.indexOf("export function Shop");
    for (const [name, start] of [["Shop$price", "query(registerServerFunction("], ["Shop$record", "action(registerServerFunction("], ["Shop$label", "registerServerFunction("]]) {
      expect(code!.indexOf(`const ${name} = ${start}`)).toBeGreaterThan(0);
      expect(code!.indexOf(`const ${name} = ${start}`)).toBeLessThan(shop);
    }
    expect(code).toContain(`}), "price");\n`); // the key moved with the call
    expect(code).toContain("const steps = { record: Shop$record, label: Shop$label };");
    expect(code).toContain("price: await Shop$price(id)");
    expect(code).toContain("const record = Shop$record;");
  });

  it("leave the client's component as it was, with stubs in place of the functions", () => {
    const { code, source } = transformFixture(`transform/${fixture}`, "client");
    expect(stringArguments(code!, "createServerReference")).toEqual(names.map(id));
    expect(code).toContain("const record = action(Shop$record");
    expect(code).toContain(", \"price\");");
    expect(directiveCount(code!)).toBe(0);
    expect(lineCount(code!)).toBe(lineCount(source));
  });

  it("run in the worker: one server function calls the others through their constants", async () => {
    const worker = await load(fixture, "worker");
    const shop = worker.Shop();
    expect(await shop.checkout("abc")).toEqual({ price: 30, record: "recorded:abc", label: "label:abc" });
    expect(worker.findServerFunction(id("Shop.checkout"))).toBe(shop.checkout);
    expect(worker.findServerFunction(id("Shop.record"))).toBe(shop.record);
    expect(worker.findServerFunction(id("Shop.label"))).toBe(shop.label);
    // The query(…) wrapper moved too: one per module, marked as a read under its key.
    expect(worker.Shop().price).toBe(shop.price);
    expect(shop.price.key).toBe("price");
    expect(referenceInfo(worker.findServerFunction(id("Shop.price")))).toMatchObject({ id: id("Shop.price"), query: { key: "price" } });
    expect(await worker.findServerFunction(id("Shop.price"))("abcd")).toBe(40);
  });

  it("are stubs with the same ids in the client", async () => {
    const client = await load(fixture, "client");
    const shop = client.Shop();
    for (const name of ["record", "label", "checkout"]) expect(referenceInfo(shop[name])?.id).toBe(id(`Shop.${name}`));
    expect(shop.price.key).toBe("price");
    expect(client.findServerFunction).toBeUndefined();
  });
});

describe("options written with the function ({ input, use })", () => {
  const id = (fixture: string, name: string) => idOf(fixture, name);

  it("move up with a nested function's call in the worker, and run there: the input is checked", async () => {
    const { code } = transformFixture("transform/options.tsx", "worker");
    const editor = code!.indexOf("export function Editor");
    expect(code!.indexOf("{ input: note, use: [audited] }")).toBeLessThan(editor);
    expect(code!.indexOf(`"lookup", { input: v.string() }`)).toBeLessThan(editor);
    const worker = await load("options.tsx", "worker");
    const { save, lookup } = worker.Editor({ id: "1" });
    expect(await save({ title: "  Draft " })).toBe("saved Draft");
    await expect(save({ title: " " })).rejects.toMatchObject({ name: "ValidationError", status: 422, fields: { title: "A title is required" } });
    expect(worker.findServerFunction(id("options.tsx", "Editor.save"))).toBeDefined();
    expect(lookup.key).toBe("lookup");
  });

  it("leave the client: no schema, no middleware, no library; the stubs stay, a query keeps its key", async () => {
    const { code, source } = transformFixture("transform/options.tsx", "client");
    for (const gone of ["valibot", "note", "audited", "input:", "use:"]) expect(code).not.toContain(gone);
    expect(code).toContain(`"lookup")`);
    expect(lineCount(code!)).toBe(lineCount(source));
    const client = await load("options.tsx", "client");
    const { save, lookup } = client.Editor({ id: "1" });
    expect(referenceInfo(save)?.id).toBe(id("options.tsx", "Editor.save"));
    expect(lookup.key).toBe("lookup");
  });

  it("stay in the client with precheck: true, where the stub checks before sending", async () => {
    const { code } = transformFixture("transform/precheck.tsx", "client");
    expect(code).toContain("valibot");
    expect(code).toContain("precheck: true");
    const client = await load("precheck.tsx", "client");
    // Refused in the browser: a ValidationError, and no request (there is no server here:
    // a request would fail with a fetch error instead).
    await expect(client.save({ title: "" })).rejects.toMatchObject({ name: "ValidationError", fields: { title: "A title is required" } });
    await expect(client.save({ title: "ok" })).rejects.toThrow(TypeError);
  });

  it('in a "use server" file: action() and query() hold exports; the client gets stubs, a query marked with its key', async () => {
    const fixture = "file-level-options.ts";
    const { code } = transformFixture(`transform/${fixture}`, "client");
    expect(code).not.toContain("valibot");
    expect(code).toContain(`(${JSON.stringify(id(fixture, "find"))}), "find");`);
    const client = await load(fixture, "client");
    expect(client.find.key).toBe("find");
    expect(referenceInfo(client.ping)?.id).toBe(id(fixture, "ping"));
    const worker = await load(fixture, "worker");
    expect(await worker.find("abc")).toBe("found abc");
    await expect(worker.find("a")).rejects.toMatchObject({ name: "ValidationError" });
    expect(await worker.plain()).toBe("plain");
  });
});

describe("closures: nested server functions that use the variables around them", () => {
  const fixture = "closure.tsx";
  const id = (name: string) => idOf(fixture, name);

  it("take the captured variables as first parameters in the worker, registered with their count, bound where they stood", () => {
    const { code } = transformFixture(`transform/${fixture}`, "worker");
    expect(code).toContain(`registerServerFunction("${id("Greeting.greet")}", async (prefix, name, suffix, form: FormData) =>`);
    expect(code).toContain(`}, 3));`);
    expect(code).toContain(`const greet = closureOf(Greeting$greet, [prefix, name, suffix], "test/fixtures/transform/closure.tsx:7:24 (Greeting.greet, capturing prefix, name, suffix)");`);
    expect(code).toContain(`async (id, n: number) =>`);
    expect(code).toContain(`async function Declared$remove(id) {`);
    expect(code).toContain(`const early = closureOf(Declared$remove, [id]`);
    expect(code).toContain(`async function (options) {`);
    expect(code).toContain(`import { closureOf } from "sortie/runtime";`);
  });

  it("run in the worker: the reference carries the captured values, calling it uses them", async () => {
    const worker = await load(fixture, "worker");
    const { greet } = worker.Greeting({ name: "Ada", prefix: "Hi" });
    expect(referenceInfo(greet)).toMatchObject({ id: id("Greeting.greet"), bound: ["Hi", "Ada", "!"], captured: 3 });
    const form = new FormData();
    form.set("x", "there");
    expect(await greet(form)).toBe("Hi Ada! there");
    expect(await worker.Inline({ id: 40 })(2)).toBe(42);
    const declared = worker.Declared({ id: "p1" });
    expect(await declared.early()).toBe("removed p1");
    expect(await declared.remove()).toBe("removed p1");
    expect(await worker.Bare({ tag: "t" })()).toBe("t");
    // The registered function takes the captured values first.
    expect(await worker.findServerFunction(id("Greeting.greet"))("Yo", "Lin", "?", form)).toBe("Yo Lin? there");
  });

  it("a captured value that cannot be sealed fails where the component renders, naming the function and its place", async () => {
    const worker = await load(fixture, "worker");
    expect(() => worker.Bare({ tag: () => 1 })).toThrow(/closure\.tsx:31:10 \(Bare\.\$2, capturing options\): a captured value cannot travel with the function/);
  });

  it("are plain stubs in the client: the body and the captured names' uses in it are gone", () => {
    const { code, source } = transformFixture(`transform/${fixture}`, "client");
    expect(stringArguments(code!, "createServerReference")).toEqual(["Greeting.greet", "Inline.$1", "Declared.remove", "Bare.$2"].map(id));
    expect(code).not.toContain("closureOf");
    expect(code).not.toContain("form.get");
    expect(lineCount(code!)).toBe(lineCount(source));
  });
});
