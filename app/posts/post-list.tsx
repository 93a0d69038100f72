// An island: the list follows the client cache, so the posts a create or delete sends back
// (single flight) show at once. Delete buttons use `formAction` and appear on your own posts
// (same user id, not just the same name: deletePost checks the same on the server).
// The delete action comes as a prop, as in the Next.js seed's "Passing actions as props": the
// page hands the server function over, and the island gets a working stub of it.
import { useActionState } from "hono/jsx";
import { actionUrl, useQuery } from "sortie";
import { getViewer } from "../auth/actions.ts";
import { listPosts, type deletePost } from "./actions.ts";

type DeleteAction = typeof deletePost;

export default function PostList({ deleteAction }: { deleteAction: DeleteAction }) {
  const posts = useQuery(listPosts);
  const viewer = useQuery(getViewer);
  if (!posts) return <p class="muted">Loading posts…</p>;
  if (!posts.length) return <p class="muted">No posts yet.</p>;
  return (
    <ul class="cards" data-testid="posts">
      {posts.map((post) => (
        <li class="card post" data-post-id={String(post.id)}>
          <h2>{post.title}</h2>
          <p>{post.content}</p>
          <footer class="muted">
            by {post.author}
            {viewer && post.authorId === viewer.id && <DeleteButton id={post.id} deleteAction={deleteAction} />}
          </footer>
        </li>
      ))}
    </ul>
  );
}

/**
 * The Next.js seed's useActionState pattern: the button's action calls deletePost (one request;
 * the list refreshes from the same response) and keeps its refusal to show it. The permalink
 * makes the server render `formaction`, so the button also posts without JavaScript.
 */
function DeleteButton({ id, deleteAction }: { id: number; deleteAction: DeleteAction }) {
  const [error, remove] = useActionState(
    async (_previous: string | null, data: FormData) => {
      try {
        await deleteAction(data);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
    null,
    actionUrl(deleteAction),
  );
  return (
    <form method="post">
      <input type="hidden" name="id" value={String(id)} />
      <button type="submit" class="link danger" formAction={remove}>
        Delete
      </button>
      {error && <span role="alert">{error}</span>}
    </form>
  );
}
