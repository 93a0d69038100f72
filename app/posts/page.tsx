// Posts: a plain form for creating one (it works without JavaScript; with it, Sortie sends it
// as one request and marks it aria-busy while it runs) and the list as an island.
import { island } from "sortie";
import { createPost } from "./actions.ts";
import PostListComponent from "./post-list.tsx";

const PostList = island("PostList", PostListComponent);

export function PostsPage() {
  return (
    <>
      <h1>Posts</h1>
      <form class="card stacked-form" method="post" action={createPost}>
        <h2>New post</h2>
        <label for="post-title">Title</label>
        <input id="post-title" name="title" required maxlength={120} />
        <label for="post-content">Content</label>
        <textarea id="post-content" name="content" required maxlength={2000} rows={3}></textarea>
        <button type="submit">Create post</button>
      </form>
      <PostList />
    </>
  );
}
