import { start } from "sortie/client";
import { renameAndLeave, renameProduct } from "./products.ts";

const started = start({ islands: { Likes: () => import("./islands/Likes.tsx") } });
// The test waits on this: islands are up (or failed, with the reason).
(globalThis as { sortieStarted?: Promise<void> }).sortieStarted = started;

const id = location.pathname.split("/").pop()!;
document.getElementById("rename")?.addEventListener("click", () => void renameProduct(id, "Brass lamp"));
document.getElementById("leave")?.addEventListener("click", () => void renameAndLeave(id, "Gone lamp"));
