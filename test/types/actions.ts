"use server";
// A server module as client code sees it: through its source, so with its real signatures.

export interface Product {
  id: string;
  name: string;
}

export async function updateProduct(id: string, data: FormData): Promise<Product> {
  return { id, name: String(data.get("name")) };
}

export const getProduct = async (id: string, options?: { fresh: boolean }): Promise<Product | undefined> =>
  options?.fresh ? { id, name: "fresh" } : undefined;
