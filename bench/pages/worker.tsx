// The Worker the pages benchmark runs: a product page through Sortie's page path (route table,
// preloaded query, layout, document, page data, security headers), and a hand-written hono/jsx
// route rendering the same product markup from the same data beside it. The same page whose
// form posts to a server function shows what readying that form costs, and the hand-written
// route sending the security headers every Sortie page carries (issue 11) what those cost.
// A second Sortie page has a query that takes 300 ms, to time its first and last byte.
import type { Child } from "hono/jsx";
import { defineRoutes } from "../../common/routes.ts";
import { createSortie } from "../../worker/app.ts";
import { query } from "../../worker/queries/query.ts";
import { registerServerFunction } from "../../worker/endpoint/registry.ts";
import { DEFAULT_SECURITY_HEADERS } from "../../worker/pages/security-headers.ts";

interface Product {
  id: string;
  name: string;
  priceCents: number;
}

const PRODUCTS = new Map<string, Product>([
  ["1", { id: "1", name: "Trail Runner", priceCents: 12900 }],
  ["2", { id: "2", name: "Rain Shell", priceCents: 18900 }],
]);

const getProduct = query(async (id: string) => PRODUCTS.get(id) ?? null, "product");
const getSlowProduct = query(async (id: string) => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  return PRODUCTS.get(id) ?? null;
}, "slowProduct");

// What the build registers for a "use server" function: the form of the fourth case posts to it.
const renameProduct = registerServerFunction("bench/renameProduct", async (form: FormData) => String(form.get("name")));

function ProductView({ product, action = "/plain/rename" }: { product: Product | null; action?: string | typeof renameProduct }) {
  if (!product) return <p>No such product</p>;
  return (
    <article class="card">
      <h1>{product.name}</h1>
      <p class="price">${(product.priceCents / 100).toFixed(2)}</p>
      <form method="post" action={action}>
        <label for="name">New name</label>
        <input id="name" name="name" />
        <button type="submit">Save</button>
      </form>
    </article>
  );
}

function Layout({ children }: { children: Child }) {
  return (
    <div class="app">
      <header class="top">
        <a href="/">Shop</a>
      </header>
      <main>{children}</main>
    </div>
  );
}

const manifest = { entry: "/assets/entry-abc123.js", imports: ["/assets/chunk-def456.js"], css: ["/assets/app-789.css"] };
const routes = defineRoutes([
  { path: "/products/:id", title: "Product", preload: ({ params }) => getProduct(params.id), component: async ({ params }) => <ProductView product={await getProduct(params.id)} /> },
  // The same page sent whole, to show what streaming costs.
  { path: "/whole/products/:id", title: "Product", stream: false, preload: ({ params }) => getProduct(params.id), component: async ({ params }) => <ProductView product={await getProduct(params.id)} /> },
  // Its form posts to a server function: Sortie adds the enctype and the hidden fields as it renders.
  { path: "/action/products/:id", title: "Product", preload: ({ params }) => getProduct(params.id), component: async ({ params }) => <ProductView product={await getProduct(params.id)} action={renameProduct} /> },
  { path: "/slow/:id", title: "Product", preload: ({ params }) => getSlowProduct(params.id), component: async ({ params }) => <ProductView product={await getSlowProduct(params.id)} /> },
]);

const app = createSortie({ routes, manifest, layout: Layout });

// The same markup by hand: document shell, layout and product, no Sortie in the way.
function productDocument(id: string) {
  return (
    "<!doctype html>" +
    (
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Product</title>
          <link rel="stylesheet" href={manifest.css[0]} />
          <link rel="modulepreload" href={manifest.imports[0]} />
          <script type="module" src={manifest.entry}></script>
        </head>
        <body>
          <Layout>
            <ProductView product={PRODUCTS.get(id) ?? null} />
          </Layout>
        </body>
      </html>
    )
  );
}
app.get("/plain/products/:id", (c) => c.html(productDocument(c.req.param("id"))));
// With Sortie's default security headers, made once and copied by each Response as Sortie's pages do.
const securedHtml = new Headers({ ...DEFAULT_SECURITY_HEADERS, "Content-Type": "text/html; charset=UTF-8" });
app.get("/plain-headers/products/:id", (c) => new Response(productDocument(c.req.param("id")), { headers: securedHtml }));

export default app;
