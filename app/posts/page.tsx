// Posts: a server-rendered form for creating one (it works without JavaScript; with it, Sortie
// sends it as one request and the island button shows the pending state), and the list as an island.
import { island, useSubmission } from "sortie";
import { FormError } from "../ui/form-error.tsx";
import SubmitButtonComponent from "../ui/submit-button.tsx";
import { createPost, deletePost } from "./actions.ts";
import PostListComponent from "./post-list.tsx";

const PostList = island("PostList", PostListComponent);
const SubmitButton = island("SubmitButton", SubmitButtonComponent);

export function PostsPage() {
  // After a failed post without JavaScript: what was typed, to fill the form again.
  const input = useSubmission(createPost)?.input;
  return (
    <>
      <h1>Posts</h1>
      <form class="card stacked-form" method="post" action={createPost}>
        <h2>New post</h2>
        <label for="post-title">Title</label>
        <input id="post-title" name="title" required maxlength={120} value={input?.get("title")?.toString()} />
        <p class="field-issue" data-sortie-issue="title"></p>
        <label for="post-content">Content</label>
        <textarea id="post-content" name="content" required maxlength={2000} rows={3}>
          {input?.get("content")?.toString()}
        </textarea>
        <p class="field-issue" data-sortie-issue="content"></p>
        <FormError action={createPost} />
        <SubmitButton label="Create post" pendingLabel="Creating…" />
      </form>
      {/* Why a delete posted without JavaScript failed (the list's buttons post to deletePost). */}
      <FormError action={deletePost} />
      <PostList deleteAction={deletePost} />
    </>
  );
}
