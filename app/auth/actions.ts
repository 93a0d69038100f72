// Sign-in and sign-out, written the way SolidStart's docs write `logoutAction`: server
// functions declared inline with `action(async () => { "use server"; … })`.
import { action, getRequestEvent, query, redirect, useSession } from "sortie";
import * as v from "valibot";
import { db } from "../db.ts";
import { signInLimit } from "../limits.ts";
import { currentUser, type SessionData } from "./user.ts";

/** The signed-in user for the UI (null when signed out); every page preloads it. */
export const getViewer = query(async () => {
  "use server";
  "public";
  return await currentUser();
}, "viewer", { input: [] });

const credentials = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, "Please enter a name to sign in"), v.maxLength(40, "A name has at most 40 characters")),
});

export const signIn = action(async ({ name }) => {
  "use server";

  const session = await useSession<SessionData>();
  const previous = session.data.sessionId;

  // The demo has no passwords, so nothing proves that two sign-ins under one name are the same
  // person: every sign-in is a new user with a fresh random id, and owns only what it creates.
  // Both rows go in one batch (a transaction): no login without its user, no user without a login.
  const userId = crypto.randomUUID();
  const sessionId = crypto.randomUUID();
  const now = Date.now();
  await db().batch([
    db().prepare("INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)").bind(userId, name, now),
    // user_name: a column of the first migration, still NOT NULL; the app reads users.name.
    db()
      .prepare("INSERT INTO sessions (id, user_id, user_name, created_at) VALUES (?, ?, ?, ?)")
      .bind(sessionId, userId, name, now),
  ]);

  // A new session id on sign-in: an id planted in this browser before is worth nothing.
  session.regenerate();
  session.update({ sessionId });
  // The login this browser had goes only after the new session is saved (see below).
  if (previous) deleteLoginAfterSave(previous);
  throw redirect("/");
}, "signIn", { use: [signInLimit], input: credentials });

// SolidStart's logoutAction: read the session, delete its row, clear it, go home.
export const signOut = action(async () => {
  "use server";
  "public";
  const session = await useSession<SessionData>();
  const { sessionId } = session.data;
  if (sessionId) {
    await db().prepare("DELETE FROM sessions WHERE id = ?").bind(sessionId).run();
    session.clear();
  }
  throw redirect("/");
}, "signOut", { input: [] });

/**
 * Deletes the `sessions` row of the browser's previous login once the new session is saved,
 * never before: deleting it first signed the visitor out whenever the sign-in failed later.
 *
 * Sortie saves a session in a `beforeResponse` hook that useSession() registers when it opens
 * the session, before the `await useSession()` in signIn resolves (worker/session/session.ts).
 * Hooks run one at a time in registration order, and one that throws stops the rest
 * (finishRequestEvent in worker/request/event.ts). So this hook, registered later, runs only after the
 * session's KV write has succeeded; if that write fails, it never runs, the old KV entry and
 * the old row stay, and the visitor is still signed in as before. (`waitUntil()` would not do:
 * it starts the work at once, alongside the save, not after it.)
 *
 * By the time this runs the new session is saved, so a failure here must not fail the sign-in:
 * it is logged, and the old row is left unused (the old session id that named it is retired).
 */
function deleteLoginAfterSave(sessionId: string): void {
  getRequestEvent().beforeResponse(async () => {
    try {
      await db().prepare("DELETE FROM sessions WHERE id = ?").bind(sessionId).run();
    } catch (error) {
      console.error("signIn: the previous login's sessions row could not be deleted; the new session is saved", error);
    }
  });
}
