// Server functions: a query the page preloads and an action its forms post to. The
// "use server" lines keep their bodies on the Worker; the browser gets typed stubs.
import { action, getRequestEvent, query, ServerError } from "sortie";

export const CHOICES = ["tabs", "spaces"] as const;
export type Choice = (typeof CHOICES)[number];
export type Votes = Record<Choice, number>;

/** The DATA KV namespace; its type comes from `wrangler types` (worker-configuration.d.ts). */
function data() {
  return getRequestEvent().env.DATA;
}

export const getVotes = query(async (): Promise<Votes> => {
  "use server";
  "public"; // anyone may read the counts (`sortie build --strict` asks every function to say)
  const counts = await Promise.all(CHOICES.map(async (choice) => Number((await data().get(`votes:${choice}`)) ?? 0)));
  return { tabs: counts[0]!, spaces: counts[1]! };
}, "votes");

// Bound with vote.with(choice) in the page. Every argument comes from the browser, so check it.
// (KV allows one write per second per key and is not a counter: fine for an example; use
// D1 or a Durable Object for real counts.)
export const vote = action(async (choice: string) => {
  "use server";
  "public"; // anyone may vote; a guard would be { use: [requireUser] } after the function
  if (!CHOICES.includes(choice as Choice)) {
    // A deliberate error: its message reaches the page, with or without JavaScript.
    throw new ServerError(`"${choice}" is not on the ballot: vote for tabs or spaces`);
  }
  const key = `votes:${choice}`;
  await data().put(key, String(Number((await data().get(key)) ?? 0) + 1));
});
