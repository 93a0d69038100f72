// Server functions of the forms browser-test app: products, notes and likes in the Worker's memory.
import { action, query, redirect, ServerError } from "sortie";

const products = new Map<string, { id: string; name: string }>();
const likes = new Map<string, number>();

// A name or note starting with "slow" takes a while, so a test can see the pending state.
const pause = (text: string) => (text.startsWith("slow") ? new Promise((resolve) => setTimeout(resolve, 1_500)) : undefined);

export const getProduct = query(async (id: string) => {
  "use server";
  return products.get(id) ?? { id, name: "Lamp" };
}, "product");

export const renameProduct = action(async (id: string, form: FormData) => {
  "use server";
  const name = String(form.get("name") ?? "").trim();
  if (!name) throw new ServerError("Give the product a name", { status: 422 });
  await pause(name);
  products.set(id, { id, name });
  return { renamed: name };
});

/** Renames to the form's name shouted: the rename form's second button posts here (formAction). */
export const shoutName = action(async (id: string, form: FormData) => {
  "use server";
  const name = `${String(form.get("name") ?? "").toUpperCase()}!`;
  products.set(id, { id, name });
  return { renamed: name };
});

/** Redirects to the new product's page, which may be the page the form is on. */
export async function createProduct(form: FormData) {
  "use server";
  const id = String(form.get("id") ?? "");
  const name = String(form.get("name") ?? "");
  if (!name) throw new ServerError("Give the new product a name", { status: 422 });
  products.set(id, { id, name });
  throw redirect(`/products/${encodeURIComponent(id)}`);
}

export const addNote = action(async (id: string, notes: string[], form: FormData) => {
  "use server";
  const note = String(form.get("note") ?? "");
  await pause(note);
  return [...notes, `${id}: ${note}`];
});

export const like = action(async (id: string, _form: FormData) => {
  "use server";
  await pause("slow");
  likes.set(id, (likes.get(id) ?? 0) + 1);
  return likes.get(id)!;
});
