// The route table. Every preload starts the `viewer` query (the header shows it) and the
// queries the page shows, so a mutation on the page can send them back fresh (single flight).
import { defineRoutes } from "sortie";
import { getViewer } from "./auth/actions.ts";
import { HomePage } from "./home/page.tsx";
import { listPosts } from "./posts/actions.ts";
import { PostsPage } from "./posts/page.tsx";
import { getProduct, listProducts } from "./products/data.ts";
import { ProductPage } from "./products/detail-page.tsx";
import { ProductListPage } from "./products/list-page.tsx";

export const routes = defineRoutes([
  { path: "/", title: "Sortie demo", preload: () => getViewer(), component: HomePage },
  { path: "/products", title: "Products", preload: () => Promise.all([getViewer(), listProducts()]), component: ProductListPage },
  {
    path: "/products/:id",
    title: ({ params }) => `Product ${params.id}`,
    preload: ({ params }) => Promise.all([getViewer(), getProduct(params.id)]),
    component: ProductPage,
  },
  { path: "/posts", title: "Posts", preload: () => Promise.all([getViewer(), listPosts()]), component: PostsPage },
]);
