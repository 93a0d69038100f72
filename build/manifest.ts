import { relative, resolve, sep } from "node:path";
import type { Metafile } from "esbuild";
import { BuildConfigError } from "./errors.ts";

/** The hashed client files a page needs; the Worker imports it as `sortie:manifest`. */
export interface ClientManifest {
  /** URL of the client entry, e.g. `/assets/client-3KXQ2ZJ4.js`. */
  readonly entry: string;
  /** URLs of the chunks the entry imports statically, transitively (for modulepreload). */
  readonly imports: readonly string[];
  /** URLs of the entry's CSS bundle, if it imports CSS. */
  readonly css: readonly string[];
}

/**
 * The manifest from the client build's metafile. Paths in the metafile are relative to
 * `root` (esbuild's working directory); URLs are relative to `clientDir`, the assets root.
 */
export function clientManifest(metafile: Metafile, root: string, clientDir: string, entry: string): ClientManifest {
  const outputs = metafile.outputs;
  const url = (output: string) => `/${relative(clientDir, resolve(root, output)).split(sep).join("/")}`;
  const entryOutput = Object.keys(outputs).find((output) => {
    const entryPoint = outputs[output]!.entryPoint;
    return entryPoint !== undefined && resolve(root, entryPoint) === resolve(root, entry);
  });
  if (!entryOutput) throw new BuildConfigError(`The client build produced no output for its entry ${entry}`);

  const imports: string[] = [];
  const pending = [entryOutput];
  for (let output = pending.shift(); output; output = pending.shift()) {
    for (const imported of outputs[output]!.imports) {
      if (imported.kind !== "import-statement" || imported.external || imports.includes(imported.path)) continue;
      imports.push(imported.path);
      pending.push(imported.path);
    }
  }
  const cssBundle = outputs[entryOutput]!.cssBundle;
  return { entry: url(entryOutput), imports: imports.map(url), css: cssBundle ? [url(cssBundle)] : [] };
}

