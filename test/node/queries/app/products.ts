// Server functions of the browser-test app: products in the Worker's memory.
import { query, redirect } from "sortie";

// Every id starts as a "Lamp", so each test renames a product of its own.
const products = new Map<string, { id: string; name: string }>();

export const getProduct = query(async (id: string) => {
  "use server";
  return products.get(id) ?? { id, name: "Lamp" };
}, "product");

export async function renameProduct(id: string, name: string) {
  "use server";
  products.set(id, { id, name });
  return { renamed: name };
}

export async function renameAndLeave(id: string, name: string) {
  "use server";
  products.set(id, { id, name });
  throw redirect("/done");
}
