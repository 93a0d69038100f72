import { defineRoutes, QueryValue } from "sortie";
import { getProduct } from "./products.ts";

export const routes = defineRoutes([
  {
    path: "/products/:id",
    title: ({ params }) => `Product ${params.id}`,
    preload: ({ params }) => getProduct(params.id),
    component: ({ params }) => (
      <main>
        <h1>
          <QueryValue query={getProduct} args={[params.id]} select="name" />
        </h1>
        <button type="button" id="rename">Rename</button>
      </main>
    ),
  },
]);
