// Fixture folders for the parser tests: the shared real-payload set (when this workplace has it)
// and the repository's own small fixtures, written for what the shared set lacks.
import { fileURLToPath } from "node:url";
import path from "node:path";
import { existingDir, jsonFiles, sharedFixturesDir } from "../testing/reference-files.js";

export type FixtureProvider = "telegram" | "whatsapp" | "messenger" | "instagram";

export const sharedFixtures = (provider: FixtureProvider): { dir: string; present: boolean } => {
  const dir = path.join(sharedFixturesDir, provider);
  return { dir, present: existingDir(dir) !== null };
};

export const ownFixturesDir = (provider: FixtureProvider): string => fileURLToPath(new URL(`../fixtures/${provider}/`, import.meta.url));

export const loadShared = (provider: FixtureProvider): Array<[string, unknown]> => jsonFiles(sharedFixtures(provider).dir);
export const loadOwn = (provider: FixtureProvider): Array<[string, unknown]> => jsonFiles(ownFixturesDir(provider));
export const ownFixture = (provider: FixtureProvider, name: string): unknown => {
  const found = loadOwn(provider).find(([f]) => f === name);
  if (!found) throw new Error(`no fixture ${provider}/${name}`);
  return found[1];
};

/** The name of the suite over a shared folder: says so plainly when the folder is absent and the suite is skipped. */
export const sharedSuiteName = (provider: FixtureProvider): string => {
  const { dir, present } = sharedFixtures(provider);
  return present ? `every shared ${provider} fixture (${dir})` : `every shared ${provider} fixture: skipped, the folder ${dir} is absent`;
};
