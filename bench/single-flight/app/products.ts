// The data the benchmark changes: one product, kept in the Worker's memory.
import { query } from "sortie";

const products = new Map<string, { id: string; name: string }>([["1", { id: "1", name: "Lamp" }]]);

export const getProduct = query(async (id: string) => {
  "use server";
  return products.get(id) ?? null;
}, "product");

export async function renameProduct(id: string, name: string) {
  "use server";
  products.set(id, { id, name });
  return { renamed: name };
}
