import { start } from "sortie/client";

const started = start({
  islands: {
    Likes: () => import("./islands/Likes.tsx"),
    Notes: () => import("./islands/Notes.tsx"),
    Outcome: () => import("./islands/Outcome.tsx"),
    SubmitButton: () => import("./islands/SubmitButton.tsx"),
  },
});
// The test waits on this: islands are up (or failed, with the reason).
(globalThis as { sortieStarted?: Promise<void> }).sortieStarted = started;
