// Products, as in SolidStart's single-flight example: a query the product page preloads and
// an action bound to the product's id with `.with(id)`. After a rename the Worker re-runs the
// page's preload and sends the fresh product in the same response as the action's result.
// Anyone may read products; only a signed-in user may rename one. Each function declares its
// input: a direct POST with another shape is a 422, and the function gets the checked values.
import { action, query, revalidate, ServerError } from "sortie";
import * as v from "valibot";
import { signedIn } from "../auth/user.ts";
import { db } from "../db.ts";

export interface Product {
  id: number;
  name: string;
  priceCents: number;
}

const COLUMNS = "id, name, price_cents AS priceCents";

/** A product id as URLs carry it. */
const productId = v.pipe(v.string(), v.regex(/^\d{1,9}$/, "A product id is a number"));

export const listProducts = query(async () => {
  "use server";
  "public";
  const { results } = await db().prepare(`SELECT ${COLUMNS} FROM products ORDER BY id`).all<Product>();
  return results;
}, "products", { input: [] });

export const getProduct = query(async (id) => {
  "use server";
  "public";
  return await db().prepare(`SELECT ${COLUMNS} FROM products WHERE id = ?`).bind(Number(id)).first<Product>();
}, "product", { input: [productId] });

const rename = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, "A product needs a name"), v.maxLength(80, "A product name has at most 80 characters")),
});

export const updateProduct = action(async (id, { name }) => {
  "use server";
  // signedIn ran first, then the input was checked (a direct POST reaches this function as well as the form).
  const { meta } = await db().prepare("UPDATE products SET name = ? WHERE id = ?").bind(name, Number(id)).run();
  if (meta.changes === 0) throw new ServerError(`There is no product ${id}`, { status: 404 });
  // Only this product changed: the response carries just its fresh value.
  revalidate(getProduct.keyFor(id));
}, "updateProduct", { use: [signedIn], input: [productId, rename] });
