/// <reference types="vite/client" />
// The demo app's auth rules (app/auth, app/products, app/posts), in workerd against the built
// Worker (dist/worker/index.js, wrangler.toml's `main`; `npm test` builds it first) with the
// real KV and D1: a signed-out rename is refused, every sign-in is a user of its own, and a
// sign-in replaces the browser's login row instead of piling rows up or signing it out.
import { applyD1Migrations, env, SELF } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { ServerError } from "../../common/errors.ts";
import { ORIGIN } from "./endpoint/serve.ts";
import { Visitor } from "./session/visitor.ts";

const db = (env as unknown as { DB: D1Database }).DB;

// The app's migrations, in order, applied the way `wrangler d1 migrations apply` would (each
// once: applyD1Migrations records them). Statements end with `;`; comments go first, as they
// may hold a `;` of their own.
const MIGRATIONS = Object.entries(
  import.meta.glob<string>("../../app/db/migrations/*.sql", { query: "?raw", import: "default", eager: true }),
)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, sql]) => ({
    name: path.slice(path.lastIndexOf("/") + 1),
    queries: sql
      .replace(/--.*$/gm, "")
      .split(";")
      .map((statement) => statement.trim())
      .filter(Boolean),
  }));

beforeEach(async () => {
  await applyD1Migrations(db, MIGRATIONS);
});

/** The built Worker, as workerd calls it. */
const app = (input: string | Request, init?: RequestInit) => SELF.fetch(input, init);

const newVisitor = () => new Visitor(app);

/** A page of the app as this visitor's browser would get it (with its cookies). */
async function pageHtml(visitor: Visitor, path: string): Promise<string> {
  const cookie = [...visitor.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const response = await app(new URL(path, ORIGIN).href, { headers: cookie ? { Cookie: cookie } : {} });
  expect(response.status).toBe(200);
  return new TextDecoder().decode(await response.arrayBuffer());
}

/** The action of the form on `path` that posts to the server function `name` (its id is the build's). */
async function formAction(name: string, path: string): Promise<string> {
  const found = new RegExp(`action="(/_server/${name}_[^"]+)"`).exec(await pageHtml(newVisitor(), path));
  if (!found) throw new Error(`no form on ${path} posts to ${name}`);
  return found[1]!.replaceAll("&amp;", "&").replaceAll("&quot;", '"');
}

/** The id the build gave the server function `name`, read from a form on `path` that posts to it. */
async function functionId(name: string, path: string): Promise<string> {
  return decodeURIComponent(new URL(await formAction(name, path), ORIGIN).pathname.slice("/_server/".length));
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

async function productName(id: number): Promise<string | null> {
  return (await db.prepare("SELECT name FROM products WHERE id = ?").bind(id).first<{ name: string }>())?.name ?? null;
}

async function loginRows(): Promise<Map<string, string | null>> {
  const { results } = await db.prepare("SELECT id, user_id FROM sessions").all<{ id: string; user_id: string | null }>();
  return new Map(results.map((row) => [row.id, row.user_id]));
}

/**
 * Signs `visitor` in as `name` (a stub call, as the page's form makes with JavaScript) and
 * returns the login rows it added and removed.
 */
async function signIn(visitor: Visitor, name: string): Promise<{ added: string[]; removed: string[] }> {
  const before = await loginRows();
  await visitor.call(await functionId("signIn", "/"), form({ name }));
  expect(visitor.status).toBe(200);
  const after = await loginRows();
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
  };
}

/** Renames product `id` as `visitor` (bound id first, as `updateProduct.with(id)` sends it). */
async function rename(visitor: Visitor, id: number, name: string): Promise<unknown> {
  return visitor.call(await functionId("updateProduct", `/products/${id}`), String(id), form({ name }));
}

describe("renaming a product", () => {
  it("is refused for a signed-out visitor: 401 Unauthorized, the name unchanged", async () => {
    const before = await productName(1);
    const visitor = newVisitor();
    const refusal = await rename(visitor, 1, "Renamed by nobody").catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ServerError);
    expect((refusal as ServerError).message).toBe("Unauthorized");
    expect((refusal as ServerError).status).toBe(401);
    expect(visitor.status).toBe(401);
    expect(await productName(1)).toBe(before);
  });

  it("is refused for a plain form post too, and the name stays", async () => {
    const before = await productName(1);
    // What the browser sends for the page's form (the server-rendered form carries `$return`).
    const body = new URLSearchParams({ name: "Renamed by a form", $return: "/products/1" });
    const response = await app(ORIGIN + (await formAction("updateProduct", "/products/1")), {
      method: "POST",
      headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body,
      redirect: "manual",
    });
    // Without JavaScript the refusal travels as the flash of a 303 back to the page, which shows it.
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/products/1");
    expect(await productName(1)).toBe(before);
    const visitor = newVisitor();
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      visitor.jar.set(pair!.slice(0, pair!.indexOf("=")), pair!.slice(pair!.indexOf("=") + 1));
    }
    expect(await pageHtml(visitor, "/products/1")).toMatch(/<p role="alert" data-sortie-error="[^"]*">Unauthorized<\/p>/);
  });

  it("works once signed in", async () => {
    const visitor = newVisitor();
    await signIn(visitor, "Ada");
    await rename(visitor, 3, "Summit Pack 2");
    expect(visitor.status).toBe(200);
    expect(await productName(3)).toBe("Summit Pack 2");
  });
});

describe("signing in", () => {
  it("makes a new user with a random id each time, even under the same name", async () => {
    const first = newVisitor();
    const second = newVisitor();
    const a = await signIn(first, "Ada");
    const b = await signIn(second, "Ada");
    expect(a.added).toHaveLength(1);
    expect(b.added).toHaveLength(1);
    const rows = await loginRows();
    const [idA, idB] = [rows.get(a.added[0]!), rows.get(b.added[0]!)];
    expect(idA).toMatch(/^[0-9a-f-]{36}$/);
    expect(idB).toMatch(/^[0-9a-f-]{36}$/);
    expect(idA).not.toBe(idB);
    const users = await db.prepare("SELECT id, name FROM users WHERE id IN (?, ?)").bind(idA, idB).all<{ id: string; name: string }>();
    expect(users.results.map((user) => user.name)).toEqual(["Ada", "Ada"]);
    // Each page shows its own user (the preloaded viewer carries the id).
    expect(await pageHtml(first, "/")).toContain(idA);
    expect(await pageHtml(second, "/")).toContain(idB);
  });

  it("replaces the browser's login row: the old one deleted, exactly one new one", async () => {
    const visitor = newVisitor();
    const first = await signIn(visitor, "Grace");
    expect(first.added).toHaveLength(1);
    expect(first.removed).toEqual([]);
    const oldUser = (await loginRows()).get(first.added[0]!)!;

    const again = await signIn(visitor, "Grace");
    expect(again.added).toHaveLength(1);
    expect(again.removed).toEqual(first.added);
    const newUser = (await loginRows()).get(again.added[0]!)!;
    expect(newUser).not.toBe(oldUser);
    // The browser is signed in as the new user (and no longer as the old one).
    const html = await pageHtml(visitor, "/");
    expect(html).toContain(newUser);
    expect(html).not.toContain(oldUser);
  });

  it("keeps the visitor signed in when the old row cannot be deleted", async () => {
    const visitor = newVisitor();
    const first = await signIn(visitor, "Lin");
    await db.prepare("CREATE TRIGGER keep_logins BEFORE DELETE ON sessions BEGIN SELECT RAISE(ABORT, 'logins are kept'); END").run();
    try {
      const again = await signIn(visitor, "Lin");
      expect(again.added).toHaveLength(1);
      expect(again.removed).toEqual([]);
      // Signed in under the new login: a rename goes through.
      await rename(visitor, 2, "Rain Shell by Lin");
      expect(visitor.status).toBe(200);
      expect(await pageHtml(visitor, "/")).toContain((await loginRows()).get(again.added[0]!));
    } finally {
      await db.prepare("DROP TRIGGER keep_logins").run();
    }
    // The row left behind is named by no session any more: nobody signs in with it.
    expect((await loginRows()).has(first.added[0]!)).toBe(true);
  });
});

/** The id the build gives `name` in `file` (build/ids.ts), computed the same way here. */
async function demoFunctionId(file: string, name: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${file}#${name}`)));
  return `${name}_${[...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("").slice(0, 10)}`;
}

describe("every demo server function declares its input", () => {
  // Wrong shapes a fuzzer would send straight to the endpoint, by function. Each must be a
  // 422 naming the problem (never a 500), and change nothing.
  const wrongShapes: [file: string, name: string, args: unknown[]][] = [
    ["app/products/data.ts", "updateProduct", [form({ name: "No bound id" })]],
    ["app/products/data.ts", "updateProduct", ["abc", form({ name: "Not a number id" })]],
    ["app/products/data.ts", "updateProduct", ["1", form({ name: "   " })]],
    ["app/products/data.ts", "updateProduct", ["1", { name: 42 }]],
    ["app/products/data.ts", "updateProduct", []],
    ["app/products/data.ts", "getProduct", [{ id: 1 }]],
    ["app/products/data.ts", "listProducts", ["extra"]],
    ["app/posts/actions.ts", "createPost", [form({ title: "Only a title" })]],
    ["app/posts/actions.ts", "createPost", ["a string"]],
    ["app/posts/actions.ts", "deletePost", [form({ id: "abc" })]],
    ["app/posts/actions.ts", "deletePost", [null]],
    ["app/posts/actions.ts", "listPosts", [1, 2]],
    ["app/auth/actions.ts", "signIn", [form({ name: "x".repeat(41) })]],
    ["app/auth/actions.ts", "signOut", ["now"]],
    ["app/auth/actions.ts", "getViewer", [true]],
    ["app/home/actions.ts", "incrementLike", [1]],
    ["app/home/actions.ts", "incrementViews", [{}]],
    ["app/home/actions.ts", "toggleTheme", ["dark"]],
  ];

  it("a wrong shape sent directly is a 422 with its issues, never a 500, and changes nothing", async () => {
    const visitor = newVisitor();
    await signIn(visitor, "Fuzzer");
    const names = await productName(1);
    const { count } = (await db.prepare("SELECT count(*) AS count FROM posts").first<{ count: number }>())!;
    for (const [file, name, args] of wrongShapes) {
      const error = await visitor.call(await demoFunctionId(file, name), ...args).catch((thrown: unknown) => thrown);
      expect([name, visitor.status], JSON.stringify(args)).toEqual([name, 422]);
      expect(error, name).toMatchObject({ name: "ValidationError", status: 422 });
      expect((error as { issues: unknown[] }).issues.length, name).toBeGreaterThan(0);
    }
    expect(await productName(1)).toBe(names);
    expect((await db.prepare("SELECT count(*) AS count FROM posts").first<{ count: number }>())!.count).toBe(count);
  });

  it("the same function with the right shape still works (the checked values reach it)", async () => {
    const visitor = newVisitor();
    await signIn(visitor, "Checked");
    await visitor.call(await demoFunctionId("app/products/data.ts", "updateProduct"), "2", form({ name: "  Trimmed Name  " }));
    expect(visitor.status).toBe(200);
    expect(await productName(2)).toBe("Trimmed Name");
  });
});

describe("the product page's review form (a closure capturing the page's product)", () => {
  async function reviewAction(visitor: Visitor): Promise<string> {
    const html = await pageHtml(visitor, "/products/3");
    // The captured product is sealed: the form's URL carries one opaque token, no bound value in clear.
    const action = /<form[^>]*action="([^"]+)"[^>]*data-testid="review-form"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    expect(action).toMatch(/^\/_server\/ProductPage\.review_\w+\?sealed=v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    return action!;
  }

  async function reviews(): Promise<string[]> {
    const { results } = await db.prepare("SELECT content FROM posts WHERE title LIKE 'Review: Summit Pack%'").all<{ content: string }>();
    return results.map((row) => row.content);
  }

  function post(visitor: Visitor, action: string, content: string): Promise<Response> {
    const cookie = [...visitor.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    return app(ORIGIN + action, {
      method: "POST",
      headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body: new URLSearchParams({ content, $return: "/products/3" }),
      redirect: "manual",
    });
  }

  it("posts without JavaScript: the Worker opens the product from the sealed URL", async () => {
    const visitor = newVisitor();
    await signIn(visitor, "Reviewer");
    const answer = await post(visitor, await reviewAction(visitor), "Sturdy zips.");
    expect([answer.status, answer.headers.get("Location")]).toEqual([303, "/posts"]);
    expect(await reviews()).toContain("Sturdy zips.");
  });

  it("a changed seal, or a call by id without it, is a 400 and posts nothing", async () => {
    const visitor = newVisitor();
    await signIn(visitor, "Tamperer");
    const action = await reviewAction(visitor);
    const before = await reviews();
    const changed = action.replace(/(sealed=v1\.[\w-]+\.[\w-]+\.)(.)/, (_, head: string, letter: string) => head + (letter === "A" ? "B" : "A"));
    expect((await post(visitor, changed, "Forged.")).status).toBe(400);
    const id = decodeURIComponent(new URL(action, ORIGIN).pathname.slice("/_server/".length));
    const error = await visitor.call(id, { content: "No seal." }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ status: 400, message: expect.stringMatching(/uses values of the component that rendered it/) });
    expect(await reviews()).toEqual(before);
  });
});
