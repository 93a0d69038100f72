// An island: the list follows the client cache, so the posts a create or delete sends back
// (single flight) show at once. Delete buttons use `formAction` and appear on your own posts.
import { useQuery } from "sortie";
import { getViewer } from "../auth/actions.ts";
import { deletePost, listPosts } from "./actions.ts";

export default function PostList() {
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
            {viewer?.name === post.author && (
              <form method="post">
                <input type="hidden" name="id" value={String(post.id)} />
                <button type="submit" class="link danger" formAction={deletePost}>
                  Delete
                </button>
              </form>
            )}
          </footer>
        </li>
      ))}
    </ul>
  );
}
