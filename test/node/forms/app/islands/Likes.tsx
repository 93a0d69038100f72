// useOptimistic around a .with()-bound stub called from a hono/jsx/dom form action.
import { useOptimistic, useState } from "hono/jsx";
import { like } from "../products.ts";

export default function Likes({ id }: { id: string }) {
  const [likes, setLikes] = useState(0);
  const [shown, addOptimistic] = useOptimistic(likes, (count: number, added: number) => count + added);
  const action = async (form: FormData) => {
    addOptimistic(1);
    setLikes(await like.with(id)(form));
  };
  return (
    <form id="likes" action={action}>
      <button id="like">♥ {shown}</button>
    </form>
  );
}
