import { decodeSubmission, submissionsOf, SUBMISSION_DATA_ID, type Submission } from "../common/forms.ts";
import { STUB_REFERENCES } from "./stub.ts";

/**
 * The browser's latest submission per server function and bound arguments: the one a plain
 * form post left for this page (embedded by the Worker), then those of enhanced forms.
 */
const latest = new Map<string, { id: string; bound: string | undefined; submission: Submission }>();
const listeners = new Set<() => void>();

export function recordSubmission(id: string, bound: string | undefined, submission: Submission): void {
  const key = `${id} ${bound ?? ""}`;
  // Newest last: findSubmission keeps the last match.
  latest.delete(key);
  latest.set(key, { id, bound, submission });
  for (const listener of listeners) listener();
}

/** The latest submission of `action` (see common/forms.ts submissionsOf). */
export function findSubmission(action: (...args: any[]) => Promise<unknown>): Submission | undefined {
  const isOf = submissionsOf(action);
  let found: Submission | undefined;
  for (const entry of latest.values()) if (isOf(entry.id, entry.bound)) found = entry.submission;
  return found;
}

export function subscribeSubmissions(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** start(): the submissions the Worker embedded after plain form posts to this page, oldest first. */
export function readEmbeddedSubmission(): void {
  const text = document.getElementById(SUBMISSION_DATA_ID)?.textContent;
  if (!text) return;
  for (const { id, bound, value } of JSON.parse(text) as { id: string; bound: string | undefined; value: never }[]) {
    recordSubmission(id, bound, decodeSubmission(value, STUB_REFERENCES));
  }
}
