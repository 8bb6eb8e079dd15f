// npm run eval:intents -- --data <csv> [--errors <k>]
// Classifies every `instruction` of a Bitext-style CSV, maps its `intent` to a product intent and
// prints per-intent scores, the largest confusions, timings, and as the last line
// `accuracy=<x> macro_f1=<x> n=<rows>`.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { trainIntentClassifier } from "../intents/trainer.js";
import { isIntent, type Intent } from "../intents/types.js";
import { parseCsvRecords } from "./intents-csv.js";
import { BITEXT_TO_PRODUCT, formatReport, scorePredictions, type LabelledPrediction } from "./intents-report.js";

export class EvalUsageError extends Error {
  override readonly name = "EvalUsageError";
}

interface CliOptions {
  data: string;
  errors: number;
}

function parseArgs(argv: readonly string[]): CliOptions {
  let data: string | undefined;
  let errors = 0;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === "--data" && value !== undefined) {
      data = value;
      i += 1;
    } else if (arg === "--errors" && value !== undefined) {
      errors = Number.parseInt(value, 10);
      if (!Number.isFinite(errors) || errors < 0) throw new EvalUsageError(`--errors needs a count, got "${value}"`);
      i += 1;
    } else if (arg?.startsWith("--data=")) data = arg.slice("--data=".length);
    else throw new EvalUsageError(`unknown argument "${arg ?? ""}"`);
  }
  if (data === undefined) throw new EvalUsageError("usage: eval:intents -- --data <csv with columns instruction,intent> [--errors <k>]");
  return { data, errors };
}

/** Gold product intent for a CSV label: a Bitext intent, or already a product intent. */
export function productIntentFor(label: string): Intent | undefined {
  const key = label.trim().toLowerCase();
  return BITEXT_TO_PRODUCT[key] ?? (isIntent(key) ? key : undefined);
}

export function runIntentEval(argv: readonly string[], print: (line: string) => void): void {
  const options = parseArgs(argv);
  const records = parseCsvRecords(readFileSync(options.data, "utf8"));
  if (records.length === 0) throw new EvalUsageError(`${options.data}: no rows`);
  const first = records[0] ?? {};
  if (!("instruction" in first) || !("intent" in first)) throw new EvalUsageError(`${options.data}: needs columns "instruction" and "intent"`);
  const gold = records.map((r, i) => {
    const intent = productIntentFor(r.intent ?? "");
    if (intent === undefined) throw new EvalUsageError(`${options.data}: row ${i + 2}: unknown intent "${r.intent ?? ""}"`);
    return { text: r.instruction ?? "", intent };
  });

  const trainStart = performance.now();
  const classifier = trainIntentClassifier();
  const trainMs = performance.now() - trainStart;

  const classifyStart = performance.now();
  const rows: Array<LabelledPrediction & { text: string; confidence: number }> = gold.map((g) => {
    const result = classifier.classify(g.text);
    return { gold: g.intent, predicted: result.intent, text: g.text, confidence: result.confidence };
  });
  const classifyMs = performance.now() - classifyStart;

  print(`data=${options.data} rows=${rows.length}`);
  print(`train_ms=${trainMs.toFixed(0)} examples=${classifier.exampleCount}`);
  print(`classify_ms_total=${classifyMs.toFixed(0)} classify_ms_per_message=${(classifyMs / rows.length).toFixed(3)}`);
  if (options.errors > 0) {
    print(`first ${options.errors} errors:`);
    for (const r of rows.filter((x) => x.gold !== x.predicted).slice(0, options.errors)) {
      print(`  [${r.gold} -> ${r.predicted} ${r.confidence.toFixed(2)}] ${r.text}`);
    }
  }
  for (const line of formatReport(scorePredictions(rows))) print(line);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    runIntentEval(process.argv.slice(2), (line) => process.stdout.write(line + "\n"));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof EvalUsageError ? 2 : 1;
  }
}
