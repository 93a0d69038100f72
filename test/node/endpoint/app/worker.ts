import { createSortie } from "sortie/worker";
import "./actions.ts";

export default createSortie();
