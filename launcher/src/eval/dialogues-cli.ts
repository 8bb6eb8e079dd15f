// npm run eval:dialogues -- --catalog <json> --policies <json> --dialogues <json> [--verbose]
// Runs every dialogue through the real /widget protocol against a fresh embedded store (see
// dialogue-eval.ts) and prints failures, per-language figures and, as the last line,
// `dialogue_success=<x> turn_success=<x> invented_numbers=<n> n=<dialogues>`.
import path from "node:path";
import { parseArgs } from "node:util";
import { catalogFileSchema, dialoguesFileSchema, policiesFileSchema, readJson } from "./dialogue-files.js";
import { runDialogueEval } from "./dialogue-eval.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      catalog: { type: "string" },
      policies: { type: "string" },
      dialogues: { type: "string" },
      verbose: { type: "boolean", short: "v", default: false },
    },
  });
  if (!values.catalog || !values.policies || !values.dialogues) {
    console.error("usage: npm run eval:dialogues -- --catalog <catalog.json> --policies <policies.json> --dialogues <dialogues.json> [--verbose]");
    process.exit(2);
  }
  await runDialogueEval({
    catalog: readJson(values.catalog, catalogFileSchema),
    policies: readJson(values.policies, policiesFileSchema),
    dialogues: readJson(values.dialogues, dialoguesFileSchema).dialogues,
    verbose: values.verbose,
  });
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
