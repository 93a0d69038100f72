// The signed-in user's name, kept current by start() with no island: after a sign-in or
// sign-out the fresh `viewer` query arrives with the action's response and rewrites it.
// styles.css shows `.signed-in-only` / `.signed-out-only` by whether this name is empty.
import { QueryValue } from "sortie";
import { getViewer } from "../auth/actions.ts";

export function ViewerName() {
  return (
    <span class="viewer-name" data-testid="viewer-name">
      <QueryValue query={getViewer} select="name" />
    </span>
  );
}
