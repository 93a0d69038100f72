import { hash } from "node:crypto";
import { relative, sep } from "node:path";

/**
 * The id of a server function: readable, URL-safe and the same on every machine, because it
 * depends only on the file's path inside the project and the function's name there:
 * `<name>_<first 10 hex digits of sha256("<path>#<name>")>`. It stays stable while the file
 * and the name do, so a deploy that keeps them does not strand open pages.
 */
export function serverFunctionId(modulePath: string, name: string): string {
  const digest = hash("sha256", `${modulePath}#${name}`, "hex").slice(0, 10);
  return `${name.replace(/[^\w$.]/g, "_")}_${digest}`;
}

/** A file's path relative to the project root, with `/` separators on every platform. */
export function modulePath(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
}
