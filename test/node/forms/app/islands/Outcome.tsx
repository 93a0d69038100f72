// The latest submission of one of the page's forms, as the browser knows it.
import { useSubmission } from "sortie";
import { createProduct, renameProduct, shoutName } from "../products.ts";

/** The function each form (or button) posts to; `rename` writes #outcome, the others #<name>-outcome. */
const ACTIONS = {
  rename: (id: string) => renameProduct.with(id),
  shout: (id: string) => shoutName.with(id),
  create: (_id: string) => createProduct,
};

export default function Outcome({ id, of = "rename" }: { id: string; of?: keyof typeof ACTIONS }) {
  const submission = useSubmission(ACTIONS[of](id));
  // A redirect's result is the Redirect: its location shows.
  const result = submission?.result as { renamed?: string; location?: string } | undefined;
  const text = !submission
    ? "none"
    : submission.pending
      ? "pending"
      : submission.error
        ? `error: ${submission.error.message}`
        : `result: ${result?.renamed ?? result?.location}`;
  return <output id={of === "rename" ? "outcome" : `${of}-outcome`}>{text}</output>;
}
