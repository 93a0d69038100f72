import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";
import { modulePath } from "./ids.ts";
import type { ClientManifest } from "./manifest.ts";
import type { Target } from "./transform.ts";

/**
 * Sortie's own folder: the specifiers below point into it. In this repository that is the
 * root with the TypeScript sources; in the published package, `lib/` with the compiled
 * JavaScript (the same layout, see tsconfig.package.json).
 */
const SORTIE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const EXTENSION = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** What app code imports, per bundle (docs/ARCHITECTURE.md has the table). */
const SPECIFIERS: Record<Target, Record<string, string>> = {
  worker: { sortie: `worker/index${EXTENSION}`, "sortie/worker": `worker/app${EXTENSION}`, "sortie/runtime": `worker/endpoint/registry${EXTENSION}` },
  client: { sortie: `client/api${EXTENSION}`, "sortie/client": `client/index${EXTENSION}`, "sortie/runtime": `client/stub${EXTENSION}` },
};

export const MANIFEST_SPECIFIER = "sortie:manifest";

const present = new Map<string, boolean>();

/** Whether one of Sortie's files exists (checked once per file and process). */
function existing(file: string): boolean {
  if (!present.has(file)) present.set(file, existsSync(join(SORTIE_ROOT, file)));
  return present.get(file)!;
}

/**
 * Resolves `sortie`, `sortie/worker`, `sortie/client`, `sortie/runtime` and `sortie:manifest`
 * for one bundle (and, in the client, hono/jsx to hono/jsx/dom). A specifier meant for the
 * other bundle is a build error naming the importer.
 * `manifest` (worker only) supplies the virtual module's content.
 */
export function sortieSpecifiers(target: Target, root: string, manifest?: ClientManifest): Plugin {
  const other: Target = target === "worker" ? "client" : "worker";
  return {
    name: `sortie-specifiers-${target}`,
    setup(build) {
      // Every transformed module imports sortie/runtime: an alias resolves it inside esbuild,
      // without a round trip to this plugin per module. The plugin sees every other sortie*.
      if (existing(SPECIFIERS[target]["sortie/runtime"]!)) {
        build.initialOptions.alias = { ...build.initialOptions.alias, "sortie/runtime": join(SORTIE_ROOT, SPECIFIERS[target]["sortie/runtime"]!) };
      }
      build.onResolve({ filter: new RegExp(`^sortie(?:$|:.*|/${allBut("runtime")})`) }, ({ path, importer }) => {
        if (path === MANIFEST_SPECIFIER && manifest) return { path, namespace: "sortie-manifest" };
        const file = SPECIFIERS[target][path];
        if (file && existing(file)) return { path: join(SORTIE_ROOT, file) };
        const from = importer ? modulePath(root, importer) : "an entry point";
        if (path === MANIFEST_SPECIFIER) {
          return failure(`${from} imports ${path}, which exists only in the Worker bundle`, `read the manifest on the server (it lists the client's script files) and pass what the page needs to the browser`);
        }
        if (file) {
          return failure(`${path} resolves to ${file} in the ${target} bundle, but that file does not exist in ${SORTIE_ROOT}`, `Sortie's own files are incomplete: reinstall the sortie package (or, working on Sortie itself, check the checkout)`);
        }
        if (SPECIFIERS[other][path]) {
          return failure(
            `${from} imports ${path}, which is only for the ${other} bundle, but ${from} is part of the ${target} bundle`,
            target === "client"
              ? `import ${path} only from the Worker entry and server-only modules; code the browser loads uses "sortie"`
              : `import ${path} only from the client entry and browser-only modules; code the Worker runs uses "sortie"`,
          );
        }
        return failure(`${from} imports ${path}, which Sortie does not provide`, `use one of: ${[...new Set([...Object.keys(SPECIFIERS.worker), ...Object.keys(SPECIFIERS.client), MANIFEST_SPECIFIER])].join(", ")}`);
      });
      if (target === "client") {
        // Components shared with SSR import hooks (and, through tsconfig's jsxImportSource, the
        // JSX runtime) from hono/jsx; in the browser they need hono/jsx/dom. Exact paths only:
        // hono/jsx/dom itself must stay as it is.
        build.onResolve({ filter: /^hono\/jsx(?:\/jsx-runtime|\/jsx-dev-runtime)?$/ }, ({ path, kind, importer, resolveDir }) =>
          build.resolve(path.replace("hono/jsx", "hono/jsx/dom"), { kind, importer, resolveDir }),
        );
      }
      build.onLoad({ filter: /.*/, namespace: "sortie-manifest" }, () => ({
        contents: `export default ${JSON.stringify(manifest)};\n`,
        loader: "js",
      }));
    },
  };
}

/**
 * A regular expression source matching any string except exactly `word` (esbuild's Go
 * regular expressions have no lookahead): a proper prefix of it, a string that leaves it at
 * some character, or it followed by more.
 */
function allBut(word: string): string {
  const alternatives = [...word].map((char, index) => `${word.slice(0, index)}(?:$|[^${char}].*)`);
  return `(?:${[...alternatives, `${word}.+`].join("|")})`;
}

function failure(text: string, hint: string) {
  return { errors: [{ text, detail: { hint } }] };
}
