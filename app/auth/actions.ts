// Sign-in and sign-out, written the way SolidStart's docs write `logoutAction`: server
// functions declared inline with `action(async () => { "use server"; … })`.
import { action, query, redirect, ServerError, useSession } from "sortie";
import { db } from "../db.ts";
import { currentUser, type SessionData } from "./user.ts";

/** The signed-in user for the UI (null when signed out); every page preloads it. */
export const getViewer = query(async () => {
  "use server";
  return await currentUser();
}, "viewer");

export const signIn = action(async (form: FormData) => {
  "use server";
  const name = String(form.get("name") ?? "").trim();
  if (!name) throw new ServerError("Please enter a name to sign in");
  if (name.length > 40) throw new ServerError("A name has at most 40 characters");

  const session = await useSession<SessionData>();
  if (session.data.sessionId) await db().prepare("DELETE FROM sessions WHERE id = ?").bind(session.data.sessionId).run();
  // A new session id on sign-in: an id planted in this browser before is worth nothing.
  session.regenerate();
  const sessionId = crypto.randomUUID();
  await db().prepare("INSERT INTO sessions (id, user_name, created_at) VALUES (?, ?, ?)").bind(sessionId, name, Date.now()).run();
  session.update({ sessionId });
  throw redirect("/");
}, "signIn");

// SolidStart's logoutAction: read the session, delete its row, clear it, go home.
export const signOut = action(async () => {
  "use server";
  const session = await useSession<SessionData>();
  const { sessionId } = session.data;
  if (sessionId) {
    await db().prepare("DELETE FROM sessions WHERE id = ?").bind(sessionId).run();
    session.clear();
  }
  throw redirect("/");
}, "signOut");
