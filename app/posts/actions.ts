// Posts, as in Next.js's "Mutating Data" page: `"use server"` at the top of each function,
// an auth check inside every one (they are reachable by a direct POST), and an ownership
// check before deleting.
import { query, redirect, revalidate, ServerError } from "sortie";
import { requireUser } from "../auth/user.ts";
import { db } from "../db.ts";

export interface Post {
  id: number;
  title: string;
  content: string;
  author: string;
  createdAt: number;
}

export const listPosts = query(async () => {
  "use server";
  const { results } = await db()
    .prepare("SELECT id, title, content, author, created_at AS createdAt FROM posts ORDER BY id DESC LIMIT 50")
    .all<Post>();
  return results;
}, "posts");

export async function createPost(formData: FormData) {
  "use server";
  const user = await requireUser();
  const title = text(formData, "title", 120);
  const content = text(formData, "content", 2000);
  await db()
    .prepare("INSERT INTO posts (title, content, author, created_at) VALUES (?, ?, ?, ?)")
    .bind(title, content, user.name, Date.now())
    .run();
  // Next.js: revalidatePath('/posts') then redirect('/posts'). Here the redirect target's
  // preload runs again and its fresh posts travel in this same response.
  revalidate(listPosts.key);
  throw redirect("/posts");
}

export async function deletePost(formData: FormData) {
  "use server";
  const user = await requireUser();
  const id = Number(formData.get("id"));
  const post = await db().prepare("SELECT author FROM posts WHERE id = ?").bind(id).first<{ author: string }>();
  if (!post) throw new ServerError("This post does not exist (any more)", { status: 404 });
  if (post.author !== user.name) throw new ServerError("Only its author can delete a post", { status: 403 });
  await db().prepare("DELETE FROM posts WHERE id = ?").bind(id).run();
  revalidate(listPosts.key);
}

/** A required text field, trimmed, at most `max` characters. */
function text(formData: FormData, name: string, max: number): string {
  const value = String(formData.get(name) ?? "").trim();
  if (!value) throw new ServerError(`The ${name} is required`);
  if (value.length > max) throw new ServerError(`The ${name} has at most ${max} characters`);
  return value;
}
