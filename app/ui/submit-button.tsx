// Next.js's pending-state example as an island: a submit button that follows the status of
// the server-rendered form it sits in (Sortie marks that form pending while its call runs).
import { useFormStatus } from "sortie";

export default function SubmitButton({ label, pendingLabel }: { label: string; pendingLabel: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending}>
      {pending ? pendingLabel : label}
    </button>
  );
}
