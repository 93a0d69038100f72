import type { Child } from "hono/jsx";
import { defineRoutes, getRequestEvent, island, QueryValue, redirect, ServerError } from "sortie";
import LikesComponent from "./islands/Likes.tsx";
import { getProduct } from "./products.ts";

const Likes = island("Likes", LikesComponent);

// A strict CSP: the page must boot without inline scripts or eval.
function Strict({ children }: { children: Child }) {
  getRequestEvent().response.headers.set("Content-Security-Policy", "default-src 'self'; script-src 'self'");
  return <div id="app">{children}</div>;
}

function ProductName({ id }: { id: string }) {
  return (
    <h1>
      <QueryValue query={getProduct} args={[id]} select="name" />
    </h1>
  );
}

export const routes = defineRoutes([
  {
    path: "/products/:id",
    preload: ({ params }) => getProduct(params.id),
    component: ({ params }) => (
      <Strict>
        <ProductName id={params.id} />
        <Likes id={params.id} start={3} />
        <button type="button" id="rename">Rename</button>
        <button type="button" id="leave">Rename and leave</button>
      </Strict>
    ),
  },
  {
    path: "/plain/:id",
    preload: ({ params }) => getProduct(params.id),
    component: ({ params }) => (
      <Strict>
        <ProductName id={params.id} />
        <button type="button" id="rename">Rename</button>
      </Strict>
    ),
  },
  { path: "/done", component: () => <p id="done">Done</p> },
  // What a component does after the streamed document's head went out (docs/queries-and-pages.md).
  {
    path: "/late/redirect",
    component: () => (
      <Strict>
        <Late then={() => redirect("/done")} />
        <p id="after">never shown</p>
      </Strict>
    ),
  },
  {
    path: "/late/error",
    component: () => (
      <Strict>
        <Late then={() => new ServerError("The shelf is empty", { status: 404 })} />
        <p id="after">The rest of the page</p>
      </Strict>
    ),
  },
]);

/** Throws what `then` gives, once the response has started. */
async function Late({ then }: { then: () => unknown }): Promise<Child> {
  await new Promise((resolve) => setTimeout(resolve, 30));
  throw then();
}
