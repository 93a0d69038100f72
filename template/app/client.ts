// The browser's entry: the stylesheet, then start(): the page's data into the client cache,
// forms that post to server functions taken over (one request, fresh data back), and
// <QueryValue> text kept current. Pages keep working without it.
import "./styles.css";
import { start } from "sortie/client";

start().catch((error: unknown) => console.error(error));
