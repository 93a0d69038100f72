// The like and view counts as the page is rendered (the islands take it from there). Server-only.
import { db } from "../db.ts";

export async function readCounters(): Promise<{ likes: number; views: number }> {
  const { results } = await db().prepare("SELECT name, value FROM counters").all<{ name: string; value: number }>();
  const value = (name: string) => results.find((row) => row.name === name)?.value ?? 0;
  return { likes: value("likes"), views: value("views") };
}
