import { listProducts } from "./data.ts";

export async function ProductListPage() {
  const products = await listProducts();
  return (
    <section>
      <h1>Products</h1>
      <ul class="cards">
        {products.map((product) => (
          <li class="card product">
            <a href={`/products/${product.id}`}>{product.name}</a>
            <span class="price">{formatPrice(product.priceCents)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function formatPrice(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
