// Next.js's LikeButton as an island: the click handler calls the server function and shows
// the count it returns. Without JavaScript the same button posts the form instead.
import { useState } from "hono/jsx";
import { incrementLike } from "./actions.ts";

export default function LikeButton({ initialLikes }: { initialLikes: number }) {
  const [likes, setLikes] = useState(initialLikes);
  return (
    <form method="post" action={incrementLike} class="counter">
      <p data-testid="likes">Total Likes: {likes}</p>
      <button
        type="submit"
        onClick={async (event: Event) => {
          event.preventDefault();
          const updatedLikes = await incrementLike();
          setLikes(updatedLikes);
        }}
      >
        Like
      </button>
    </form>
  );
}
