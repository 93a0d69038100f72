// The product page: no island, so the browser loads only Sortie's small client entry. The
// name is a <QueryValue>, which start() keeps current from the rename's single-flight response.
// The rename form shows to everyone, like the posts page's form: updateProduct itself refuses a
// signed-out visitor ("Unauthorized", 401) and the form shows why. The hint says so beforehand.
// The review form's action is declared inside the page and uses the page's product (a closure,
// as in the Next.js seed's createPost inside a page): the build passes the product to it as a
// hidden argument, sealed in the form's URL, so the browser can neither read nor change it.
import { action, QueryValue, redirect, revalidate, ServerError, type PageArgs } from "sortie";
import * as v from "valibot";
import { signedIn } from "../auth/user.ts";
import { db } from "../db.ts";
import { postLimit } from "../limits.ts";
import { listPosts } from "../posts/actions.ts";
import { FormError } from "../ui/form-error.tsx";
import { getProduct, updateProduct } from "./data.ts";
import { formatPrice } from "./list-page.tsx";

const reviewInput = v.object({
  content: v.pipe(v.string(), v.trim(), v.minLength(1, "Write a few words"), v.maxLength(2000, "A review has at most 2000 characters")),
});

export async function ProductPage({ params }: PageArgs<"/products/:id">) {
  const product = await getProduct(params.id);
  if (!product) throw new ServerError(`There is no product ${params.id}`, { status: 404 });
  const rename = updateProduct.with(params.id);

  const review = action(async ({ content }) => {
    "use server";
    // `product` is the one this page rendered, opened from the form's sealed URL.
    const user = signedIn.value();
    await db()
      .prepare("INSERT INTO posts (title, content, author, author_id, created_at) VALUES (?, ?, ?, ?, ?)")
      .bind(`Review: ${product.name}`, content, user.name, user.id, Date.now())
      .run();
    revalidate(listPosts.key);
    throw redirect("/posts");
  }, { use: [signedIn, postLimit], input: reviewInput });

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
      <form class="stacked-form" method="post" action={review} data-testid="review-form">
        <label for="review-content">Review this product</label>
        <textarea id="review-content" name="content" rows={2} maxlength={2000}></textarea>
        <p class="field-issue" data-sortie-issue="content"></p>
        <FormError action={review} />
        <button type="submit">Post review</button>
      </form>
    </article>
  );
}
