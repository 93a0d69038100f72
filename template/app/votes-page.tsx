// The page. Each form posts to `vote` bound to one choice. With JavaScript, Sortie sends one
// request and updates the counts from its answer; without, the browser posts the form and
// follows the 303 back here. <QueryValue> shows a query's value and keeps it current.
import { QueryValue, useSubmission } from "sortie";
import { CHOICES, getVotes, vote } from "./votes.ts";

export async function VotesPage() {
  await getVotes(); // already started by the preload; awaiting it renders the counts at once
  const cobol = vote.with("cobol");
  return (
    <>
      <h1>Tabs or spaces?</h1>
      <ul class="choices">
        {CHOICES.map((choice) => (
          <li>
            <form method="post" action={vote.with(choice)}>
              <button type="submit">Vote {choice}</button>{" "}
              <span data-testid={`votes-${choice}`}>
                <QueryValue query={getVotes} select={choice} />
              </span>{" "}
              votes
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={cobol}>
        <button type="submit" class="link">Vote COBOL</button>
        <p role="alert" data-sortie-error>{useSubmission(cobol)?.error?.message}</p>
      </form>
    </>
  );
}
