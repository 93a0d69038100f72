// Where a form shows why its server function failed. Without JavaScript the Worker renders
// the message the post left (useSubmission); with it, Sortie writes the message into the
// form's [data-sortie-error] element.
import { useSubmission } from "sortie";

export function FormError({ action }: { action: (...args: any[]) => Promise<unknown> }) {
  return (
    <p role="alert" data-sortie-error>
      {useSubmission(action)?.error?.message}
    </p>
  );
}
