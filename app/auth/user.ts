// Who is signed in. The KV session holds only the id of a `sessions` row in D1; the row is
// the truth. Signing out deletes it, and the check reads the primary database (the binding
// itself, not the request's replica session), so every location sees it at once (a KV change
// can take up to a minute to reach other locations): a copied cookie stops working right away.
// The row names a `users` row: what a user owns (their posts) points at the user's id, never
// at the display name, which anyone may choose again.
import type { D1Database } from "@cloudflare/workers-types";
import { createMiddleware, getRequestEvent, ServerError, useSession } from "sortie";

export type SessionData = { sessionId?: string };

export interface User {
  /** Random, made at sign-in (app/auth/actions.ts); what ownership checks compare. */
  id: string;
  /** The display name typed at sign-in; not unique. */
  name: string;
}

export async function currentUser(): Promise<User | null> {
  const { sessionId } = (await useSession<SessionData>()).data;
  if (!sessionId) return null;
  // A login from before users had ids (sessions.user_id NULL) joins no user: signed out.
  // The primary: D1 runs queries on the binding itself there (replicas serve only sessions).
  const primary = getRequestEvent().env.DB as D1Database;
  return await primary
    .prepare("SELECT users.id AS id, users.name AS name FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = ?")
    .bind(sessionId)
    .first<User>();
}

/**
 * The guard of every protected function: a signed-out call is the deliberate "Unauthorized"
 * error before the function runs; a signed-in one hands the function its user
 * (`signedIn.value()`). Declared with the function (`{ use: [signedIn] }`), so strict mode
 * sees it.
 */
export const signedIn = createMiddleware<User>(async (_call, next) => {
  const user = await currentUser();
  if (!user) throw new ServerError("Unauthorized", { status: 401 });
  return next(user);
}, "signedIn");
