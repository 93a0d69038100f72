// Posts, as in Next.js's "Mutating Data" page: `"use server"` at the top of each function, an
// auth check for every one (they are reachable by a direct POST: here the signedIn guard,
// declared with the function so strict mode sees it), and an ownership check before deleting.
// A post belongs to its author's user id (app/auth/user.ts), not to the name shown with it:
// signing in again under the same name does not make you its author.
import { action, query, redirect, revalidate, ServerError } from "sortie";
import * as v from "valibot";
import { postLimit } from "../limits.ts";
import { signedIn } from "../auth/user.ts";
import { db } from "../db.ts";

export interface Post {
  id: number;
  title: string;
  content: string;
  /** The author's name at the time of writing, shown with the post. */
  author: string;
  /** The author's user id; null for posts written before users had ids (nobody may delete them). */
  authorId: string | null;
  createdAt: number;
}

export const listPosts = query(async () => {
  "use server";
  "public";
  const { results } = await db()
    .prepare("SELECT id, title, content, author, author_id AS authorId, created_at AS createdAt FROM posts ORDER BY id DESC LIMIT 50")
    .all<Post>();
  return results;
}, "posts", { input: [] });

/** A required text field, trimmed, at most `max` characters. */
const text = (label: string, max: number) =>
  v.pipe(v.string(), v.trim(), v.minLength(1, `The ${label} is required`), v.maxLength(max, `The ${label} has at most ${max} characters`));

const newPost = v.object({ title: text("title", 120), content: text("content", 2000) });

/** A post's id as its delete button posts it (text), read as a positive integer. */
const postId = v.object({ id: v.pipe(v.string(), v.transform(Number), v.integer("A post id is a whole number"), v.minValue(1, "A post id is positive")) });

// Wrapped in action() to declare its guard and rate limit; the "use server" body is as in
// Next.js's example.
export const createPost = action(async function createPost({ title, content }) {
  "use server";
  const user = signedIn.value();
  await db()
    .prepare("INSERT INTO posts (title, content, author, author_id, created_at) VALUES (?, ?, ?, ?, ?)")
    .bind(title, content, user.name, user.id, Date.now())
    .run();
  // Next.js: revalidatePath('/posts') then redirect('/posts'). Here the redirect target's
  // preload runs again and its fresh posts travel in this same response.
  revalidate(listPosts.key);
  throw redirect("/posts");
}, { use: [signedIn, postLimit], input: newPost });

// Wrapped in action() to declare its guard; the "use server" body is as in Next.js's example.
export const deletePost = action(async function deletePost({ id }) {
  "use server";
  const user = signedIn.value();
  const post = await db().prepare("SELECT author_id AS authorId FROM posts WHERE id = ?").bind(id).first<{ authorId: string | null }>();
  if (!post) throw new ServerError("This post does not exist (any more)", { status: 404 });
  // The id, never the name: names repeat. A post without an author id (written before
  // migration 0002) matches no user, so nobody can delete it.
  if (post.authorId === null || post.authorId !== user.id) throw new ServerError("Only its author can delete a post", { status: 403 });
  await db().prepare("DELETE FROM posts WHERE id = ?").bind(id).run();
  revalidate(listPosts.key);
}, { use: [signedIn], input: postId });
