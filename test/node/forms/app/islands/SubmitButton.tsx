// Follows the status of the server-rendered form it sits in.
import { useFormStatus } from "sortie";

export default function SubmitButton() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" id="save" disabled={pending}>
      {pending ? "Saving…" : "Save"}
    </button>
  );
}
