// The product page's script: boot the page, rename on click (one request: single flight).
import { start } from "sortie/client";
import { renameProduct } from "./products.ts";

void start();
document.getElementById("rename")?.addEventListener("click", () => {
  void renameProduct("1", `Lamp ${new Date().toLocaleTimeString()}`);
});
