import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface SortiePackage {
  /** The folder holding Sortie's package.json: the repository, or node_modules/sortie. */
  readonly root: string;
  readonly manifest: {
    name: string;
    version: string;
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
}

/** Sortie's own package, found from this file (sources in the repository, lib/ in the package). */
export function sortiePackage(): SortiePackage {
  for (let folder = dirname(fileURLToPath(import.meta.url)); ; folder = dirname(folder)) {
    const file = join(folder, "package.json");
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, "utf8")) as SortiePackage["manifest"];
      if (manifest.name === "sortie") return { root: folder, manifest };
    }
    if (dirname(folder) === folder) throw new Error(`sortie's package.json was not found above ${fileURLToPath(import.meta.url)}`);
  }
}
