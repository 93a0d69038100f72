// Products, as in SolidStart's single-flight example: a query the product page preloads and
// an action bound to the product's id with `.with(id)`. After a rename the Worker re-runs the
// page's preload and sends the fresh product in the same response as the action's result.
// Anyone may read products; only a signed-in user may rename one.
import { action, query, revalidate, ServerError } from "sortie";
import { signedIn } from "../auth/user.ts";
import { db } from "../db.ts";

export interface Product {
  id: number;
  name: string;
  priceCents: number;
}

const COLUMNS = "id, name, price_cents AS priceCents";

export const listProducts = query(async () => {
  "use server";
  "public";
  const { results } = await db().prepare(`SELECT ${COLUMNS} FROM products ORDER BY id`).all<Product>();
  return results;
}, "products");

export const getProduct = query(async (id: string) => {
  "use server";
  "public";
  return await db().prepare(`SELECT ${COLUMNS} FROM products WHERE id = ?`).bind(Number(id)).first<Product>();
}, "product");

export const updateProduct = action(async (id: string, formData: FormData) => {
  "use server";
  // signedIn ran first (a direct POST reaches this function as well as the form).
  const name = formData.get("name")?.toString().trim();
  if (!name) throw new ServerError("A product needs a name");
  if (name.length > 80) throw new ServerError("A product name has at most 80 characters");
  const { meta } = await db().prepare("UPDATE products SET name = ? WHERE id = ?").bind(name, Number(id)).run();
  if (meta.changes === 0) throw new ServerError(`There is no product ${id}`, { status: 404 });
  // Only this product changed: the response carries just its fresh value.
  revalidate(getProduct.keyFor(id));
}, "updateProduct", { use: [signedIn] });
