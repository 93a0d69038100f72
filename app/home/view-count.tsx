// Next.js's ViewCount as an island: an effect calls the server function once, when the page
// mounts. (Without JavaScript nothing runs, so the count shows but does not grow.)
import { useEffect, useState, useTransition } from "hono/jsx";
import { incrementViews } from "./actions.ts";

export default function ViewCount({ initialViews }: { initialViews: number }) {
  const [views, setViews] = useState(initialViews);
  const [isPending, startTransition] = useTransition();

  useEffect(() => {
    startTransition(async () => {
      const updatedViews = await incrementViews();
      setViews(updatedViews);
    });
  }, []);

  return (
    <div class="counter">
      <p data-testid="views" aria-busy={isPending ? "true" : undefined}>
        Total Views: {views}
      </p>
    </div>
  );
}
