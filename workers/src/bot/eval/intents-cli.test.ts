import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EvalUsageError, productIntentFor, runIntentEval } from "./intents-cli.js";
import { parseCsv, parseCsvRecords } from "./intents-csv.js";
import { BITEXT_TO_PRODUCT, scorePredictions } from "./intents-report.js";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const devSet = resolve(repoRoot, "../shared/eval/bitext-intents-dev.csv");
const LAST_LINE = /^accuracy=(0(?:\.\d+)?|1(?:\.0+)?) macro_f1=(0(?:\.\d+)?|1(?:\.0+)?) n=(\d+)$/;

describe("CSV parsing", () => {
  it("handles quotes, doubled quotes, commas and line breaks inside fields, CRLF and a BOM", () => {
    const text = '\uFEFFinstruction,intent\r\n"hi, there",greeting\r\n"say ""hello""\nplease",greeting\nplain,other\n';
    expect(parseCsv(text)).toEqual([["instruction", "intent"], ["hi, there", "greeting"], ['say "hello"\nplease', "greeting"], ["plain", "other"]]);
    expect(parseCsvRecords(text)[0]).toEqual({ instruction: "hi, there", intent: "greeting" });
  });
});

describe("label mapping and scores", () => {
  it("maps all 27 Bitext intents, and accepts product intents as they are", () => {
    expect(Object.keys(BITEXT_TO_PRODUCT)).toHaveLength(27);
    expect(productIntentFor("contact_customer_service")).toBe("human");
    expect(productIntentFor("check_cancellation_fee")).toBe("returns_refunds");
    expect(productIntentFor("Set_Up_Shipping_Address")).toBe("shipping");
    expect(productIntentFor("greeting")).toBe("greeting");
    expect(productIntentFor("weather")).toBeUndefined();
  });

  it("computes accuracy, per-intent precision/recall/F1 and macro F1 over gold intents", () => {
    const s = scorePredictions([
      { gold: "a", predicted: "a" },
      { gold: "a", predicted: "b" },
      { gold: "b", predicted: "b" },
      { gold: "c", predicted: "b" },
    ]);
    expect(s.accuracy).toBe(0.5);
    const b = s.perIntent.find((p) => p.intent === "b");
    expect(b?.precision).toBeCloseTo(1 / 3);
    expect(b?.recall).toBe(1);
    expect(b?.f1).toBeCloseTo(0.5);
    const a = s.perIntent.find((p) => p.intent === "a");
    expect(a?.f1).toBeCloseTo(2 / 3);
    // a: 2/3, b: 1/2, c: 0 → macro = 7/18
    expect(s.macroF1).toBeCloseTo(7 / 18);
    expect(s.confusion.get("c")?.get("b")).toBe(1);
  });
});

describe("npm run eval:intents", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kaleem-intents-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints the report and, last, the exact score line for a 4-row file", async () => {
    const csv = join(dir, "four.csv");
    // Three rows the classifier gets right; the fourth is deliberately labelled `review` (→ feedback)
    // while it asks to cancel, so it is predicted order_change.
    // Predictions: order_change ×2, order_status, account. Gold: order_change, order_status, account, feedback.
    // accuracy = 3/4. F1: order_change P=1/2 R=1 → 2/3; order_status 1; account 1; feedback 0.
    // macro F1 = (2/3 + 1 + 1 + 0) / 4 = 0.66667.
    await writeFile(
      csv,
      [
        "instruction,intent,category,tags",
        "I want to cancel order 12345,cancel_order,ORDER,B",
        '"where is my order 556677, it\'s late",track_order,ORDER,B',
        "how do I reset my password,recover_password,ACCOUNT,B",
        '"I want to cancel order 98765",review,FEEDBACK,B',
      ].join("\n") + "\n",
    );
    const { stdout } = await run("npm", ["run", "-s", "eval:intents", "--", "--data", csv], { cwd: repoRoot, timeout: 120_000 });
    const lines = stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("accuracy=0.7500 macro_f1=0.6667 n=4");
    expect(stdout).toMatch(/train_ms=\d+/);
    expect(stdout).toMatch(/classify_ms_per_message=[\d.]+/);
    expect(stdout).toContain("feedback -> order_change: 1");
    expect(stdout).toMatch(/order_change\s+p=0\.5000 r=1\.0000 f1=0\.6667 n=1/);
  });

  it("fails with a clear message on an unknown label or missing columns", async () => {
    const bad = join(dir, "bad.csv");
    await writeFile(bad, "instruction,intent\nhello,weather_report\n");
    expect(() => runIntentEval(["--data", bad], () => {})).toThrow(/row 2: unknown intent "weather_report"/);
    const cols = join(dir, "cols.csv");
    await writeFile(cols, "text,label\nhello,greeting\n");
    expect(() => runIntentEval(["--data", cols], () => {})).toThrow(EvalUsageError);
    expect(() => runIntentEval([], () => {})).toThrow(/usage/);
    await expect(run("npm", ["run", "-s", "eval:intents", "--", "--data", bad], { cwd: repoRoot })).rejects.toMatchObject({ code: 2 });
  });
});

const hasDevSet = existsSync(devSet);
if (!hasDevSet) {
  console.warn(`[intents eval] SKIPPED: development split not found at ${devSet} (read-only eval data is absent on this machine)`);
}

describe.skipIf(!hasDevSet)(`Bitext development split (${devSet})`, () => {
  // The dev split measures; it is never a target to fit (the phrases are shoppers' own words,
  // not Bitext's). This only checks that the whole file runs through and scores like a working
  // model: a broken feature pipeline falls far below this floor.
  it("runs over every row and scores well above chance", () => {
    const lines: string[] = [];
    runIntentEval(["--data", devSet], (line) => lines.push(line));
    const match = LAST_LINE.exec(lines.at(-1) ?? "");
    expect(match, lines.at(-1)).not.toBeNull();
    const [, accuracy, macroF1, n] = match ?? [];
    expect(Number(n)).toBe(3840);
    expect(Number(accuracy)).toBeGreaterThan(0.7);
    expect(Number(macroF1)).toBeGreaterThan(0.7);
  });
});
