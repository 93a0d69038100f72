// hono/jsx/dom's own form handling with a Sortie stub: <form action={fn}>, useActionState
// with a .with()-bound stub, and useFormStatus inside that form. Without JavaScript the form
// posts to the permalink (the same function with the initial state bound).
import { useActionState } from "hono/jsx";
import { useFormStatus, useSubmission } from "sortie";
import { addNote } from "../products.ts";

function Adding() {
  const { pending } = useFormStatus();
  return <span id="adding">{pending ? "adding" : "idle"}</span>;
}

export default function Notes({ id, permalink }: { id: string; permalink: string }) {
  const [notes, submit] = useActionState(addNote.with(id), useSubmission(addNote)?.result ?? [], permalink);
  return (
    <form id="notes" action={submit as (form: FormData) => Promise<void>}>
      <input name="note" />
      <button id="add">Add</button>
      <Adding />
      <ul id="note-list">
        {(notes as string[]).map((note) => (
          <li>{note}</li>
        ))}
      </ul>
    </form>
  );
}
