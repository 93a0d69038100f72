"use server";
"public";
// Every export of this file is a server function (the directive at the top of the file, as
// in Next.js's app/actions.ts); the islands of the home page import them and call them from
// an event handler and an effect. "public": anyone may call them (strict mode asks).
// Each is held by action() only to declare its input, none: a call with arguments is a 422.
import { action, cookies, revalidate } from "sortie";
import { db } from "../db.ts";

export type Theme = "light" | "dark";

export const incrementLike = action(async (): Promise<number> => bump("likes"), { input: [] });

export const incrementViews = action(async (): Promise<number> => bump("views"), { input: [] });

/** Next.js's cookies example: get, then set or delete. Light is the default: no cookie. */
export const toggleTheme = action(async (): Promise<Theme> => {
  const jar = cookies();
  if (jar.get("theme") === "dark") {
    jar.delete("theme");
    return "light";
  }
  jar.set("theme", "dark", { maxAge: 60 * 60 * 24 * 365 });
  return "dark";
}, { input: [] });

async function bump(counter: "likes" | "views"): Promise<number> {
  const row = await db()
    .prepare("UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value")
    .bind(counter)
    .first<{ value: number }>();
  // The caller gets the new count as the result; nothing the page preloads has changed.
  revalidate(false);
  return row!.value;
}
