// Where the workplace's reference folder is: `../shared` beside the repository (fixtures from
// public sources, provider specs). It is absent in a fresh clone, and every user of it says so.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** The repository root (this file is workers/src/channels/testing/ in source and workers/dist/channels/testing/ when built). */
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const referenceDir = path.resolve(repoRoot, "../shared");
export const sharedSpecsDir = path.join(referenceDir, "specs");
export const sharedFixturesDir = path.join(referenceDir, "fixtures");

/** The folder if it exists, else null. */
export function existingDir(dir: string): string | null {
  return existsSync(dir) ? dir : null;
}

/** `*.json` files of a folder, sorted, as [name, parsed JSON]. */
export function jsonFiles(dir: string): Array<[string, unknown]> {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), "utf8")) as unknown]);
}
