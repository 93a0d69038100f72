// The product page: no island, so the browser loads only Sortie's small client entry. The
// name is a <QueryValue>, which start() keeps current from the rename's single-flight response.
// The rename form shows to everyone, like the posts page's form: updateProduct itself refuses a
// signed-out visitor ("Unauthorized", 401) and the form shows why. The hint says so beforehand.
import { QueryValue, ServerError, type PageArgs } from "sortie";
import { FormError } from "../ui/form-error.tsx";
import { getProduct, updateProduct } from "./data.ts";
import { formatPrice } from "./list-page.tsx";

export async function ProductPage({ params }: PageArgs<"/products/:id">) {
  const product = await getProduct(params.id);
  if (!product) throw new ServerError(`There is no product ${params.id}`, { status: 404 });
  const rename = updateProduct.with(params.id);
  return (
    <article class="card">
      <p class="muted"><a href="/products">← All products</a></p>
      <h1 data-testid="product-name">
        <QueryValue query={getProduct} args={[params.id]} select="name" />
      </h1>
      <p class="price">{formatPrice(product.priceCents)}</p>
      <p class="hint signed-out-only" data-testid="rename-hint">
        <a href="/#sign-in">Sign in</a> to rename this product.
      </p>
      <form class="inline-form" method="post" action={rename}>
        <label for="product-name-input">New name</label>
        <input id="product-name-input" name="name" placeholder="New name" required maxlength={80} />
        <button type="submit">Save</button>
        {/* The name's message when the input schema refuses it: Sortie fills it in and ties the input to it. */}
        <p class="field-issue" data-sortie-issue="name" data-testid="name-issue"></p>
        <FormError action={rename} />
      </form>
    </article>
  );
}
