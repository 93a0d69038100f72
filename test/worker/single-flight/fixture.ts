// The app single-flight tests run: products in the real D1, a page preloading its queries,
// server functions registered as the build would, and their client stubs.
import { env } from "cloudflare:test";
import { query as clientQuery } from "../../../client/query.ts";
import { createServerReference } from "../../../client/stub.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { ServerError } from "../../../common/errors.ts";
import { cookies } from "../../../worker/request/cookies.ts";
import { query } from "../../../worker/queries/query.ts";
import { redirect } from "../../../worker/request/redirect.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { revalidate } from "../../../worker/queries/revalidate.ts";
import { useSession } from "../../../worker/session/session.ts";

const db = () => (env as unknown as { DB: D1Database }).DB;

export async function resetProducts(): Promise<void> {
  await db().exec("CREATE TABLE IF NOT EXISTS sf_products (id TEXT PRIMARY KEY, name TEXT NOT NULL)");
  await db().exec("DELETE FROM sf_products");
  await db().exec("INSERT INTO sf_products (id, name) VALUES ('1', 'Lamp'), ('2', 'Chair'), ('3', 'Desk')");
}

/** How often each query function ran in this isolate (reset per test). */
export const runs = new Map<string, number>();
const ran = (name: string) => runs.set(name, (runs.get(name) ?? 0) + 1);

/** A gate the slow query waits on, opened by the test: proves what arrives before the query finishes. */
export const gate = { open: () => {}, opened: Promise.resolve() };
export function closeGate(): void {
  gate.opened = new Promise((resolve) => (gate.open = resolve));
}

export const getProduct = query(
  registerServerFunction("sf/getProduct", async (id: string) => {
    ran("product");
    return db().prepare("SELECT id, name FROM sf_products WHERE id = ?").bind(id).first<{ id: string; name: string }>();
  }),
  "product",
);

export const getReviews = query(
  registerServerFunction("sf/getReviews", async (id: string) => {
    ran("reviews");
    return [`review of ${id}`];
  }),
  "reviews",
);

export const getSlowStock = query(
  registerServerFunction("sf/getSlowStock", async (id: string) => {
    ran("stock");
    await gate.opened;
    return { id, stock: 7 };
  }),
  "stock",
);

/** What the visitor's request carries: a cookie and a session field, as the query sees them. */
export const getVisitor = query(
  registerServerFunction("sf/getVisitor", async () => {
    ran("visitor");
    const session = await useSession<{ user?: string }>();
    return { theme: cookies().get("theme") ?? null, user: session.data.user ?? null };
  }),
  "visitor",
);

export const getBroken = query(
  registerServerFunction("sf/getBroken", async () => {
    ran("broken");
    throw new Error("database exploded: secret detail");
  }),
  "broken",
);

export const getNumber = query(
  registerServerFunction("sf/getNumber", async (n: number) => {
    ran(`number ${n}`);
    return n;
  }),
  "number",
);

registerServerFunction("sf/rename", async (id: string, name: string, choice?: "narrow" | "narrow-call" | "none") => {
  // Read first: the per-request cache now holds the old value, which the re-run must not reuse.
  const before = await getProduct(id);
  await db().prepare("UPDATE sf_products SET name = ? WHERE id = ?").bind(name, id).run();
  if (choice === "narrow") revalidate(getProduct.key);
  if (choice === "narrow-call") revalidate(getReviews.keyFor(id));
  if (choice === "none") revalidate(false);
  return { renamed: before?.name ?? null };
});

registerServerFunction("sf/rename-and-go", async (id: string, name: string, to: string) => {
  await db().prepare("UPDATE sf_products SET name = ? WHERE id = ?").bind(name, id).run();
  throw redirect(to);
});

registerServerFunction("sf/sign-in", async (user: string) => {
  cookies().set("theme", "dark");
  (await useSession<{ user?: string }>()).update({ user });
  return "signed in";
});

registerServerFunction("sf/sign-out", async () => {
  cookies().delete("theme");
  (await useSession()).clear();
  return "signed out";
});

registerServerFunction("sf/fail", async () => {
  throw new ServerError("name is required");
});

export const routes = defineRoutes([
  {
    path: "/products/:id",
    component: () => "product page",
    preload: ({ params }) => {
      void getProduct(params.id);
      void getReviews(params.id);
    },
  },
  { path: "/slow/:id", component: () => "slow page", preload: ({ params }) => Promise.all([getProduct(params.id), getSlowStock(params.id)]) },
  { path: "/account", component: () => "account page", preload: () => getVisitor() },
  {
    path: "/broken/:id",
    component: () => "broken page",
    preload: ({ params }) => Promise.all([getProduct(params.id), getBroken()]),
  },
  {
    path: "/numbers",
    component: () => "numbers page",
    // Dependent and parallel calls: five distinct queries in all.
    preload: async () => {
      const first = await getNumber(1);
      await Promise.all([2, 3, 4, 5].map((n) => getNumber(first + n - 1)));
    },
  },
  {
    path: "/numbers-unawaited",
    component: () => "numbers page",
    // Fire and forget: the preload never sees a call fail.
    preload: () => {
      for (const n of [1, 2, 3, 4, 5]) void getNumber(n);
    },
  },
]);

export const manifest = { entry: "/assets/entry.js", imports: [], css: [] };

/** The client side, as the build would emit it for the browser. */
export const client = {
  getProduct: clientQuery(createServerReference<(id: string) => Promise<{ id: string; name: string } | null>>("sf/getProduct"), "product"),
  rename: createServerReference<(id: string, name: string, choice?: "narrow" | "narrow-call" | "none") => Promise<{ renamed: string | null }>>(
    "sf/rename",
  ),
  renameAndGo: createServerReference<(id: string, name: string, to: string) => Promise<unknown>>("sf/rename-and-go"),
  signIn: createServerReference<(user: string) => Promise<string>>("sf/sign-in"),
  signOut: createServerReference<() => Promise<string>>("sf/sign-out"),
  fail: createServerReference<() => Promise<never>>("sf/fail"),
};
