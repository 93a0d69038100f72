// The latest submission of the rename form, as the browser knows it.
import { useSubmission } from "sortie";
import { renameProduct } from "../products.ts";

export default function Outcome({ id }: { id: string }) {
  const submission = useSubmission(renameProduct.with(id));
  const text = !submission
    ? "none"
    : submission.pending
      ? "pending"
      : submission.error
        ? `error: ${submission.error.message}`
        : `result: ${submission.result?.renamed}`;
  return <output id="outcome">{text}</output>;
}
