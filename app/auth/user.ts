// Who is signed in. The KV session holds only the id of a `sessions` row in D1; the row is
// the truth. Signing out deletes it, which every location sees at once (a KV change can take
// up to a minute to reach other locations, so a copied cookie stops working right away).
import { ServerError, useSession } from "sortie";
import { db } from "../db.ts";

export type SessionData = { sessionId?: string };

export interface User {
  name: string;
}

export async function currentUser(): Promise<User | null> {
  const { sessionId } = (await useSession<SessionData>()).data;
  if (!sessionId) return null;
  const row = await db().prepare("SELECT user_name FROM sessions WHERE id = ?").bind(sessionId).first<{ user_name: string }>();
  return row ? { name: row.user_name } : null;
}

/** The signed-in user, or the deliberate "Unauthorized" error every protected function throws. */
export async function requireUser(): Promise<User> {
  const user = await currentUser();
  if (!user) throw new ServerError("Unauthorized", { status: 401 });
  return user;
}
