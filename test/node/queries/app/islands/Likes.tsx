// An island: rendered on the server inside the page, then by hono/jsx/dom in the browser.
import { useState } from "hono/jsx";
import { useQuery } from "sortie";
import { getProduct } from "../products.ts";

export default function Likes({ id, start }: { id: string; start: number }) {
  const product = useQuery(getProduct, id);
  const [likes, setLikes] = useState(start);
  return (
    <button type="button" id="like" onClick={() => setLikes(likes + 1)}>
      {likes} likes for {product?.name ?? "…"}
    </button>
  );
}
