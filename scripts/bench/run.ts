// `npm run bench`: runs every benchmark and prints a Markdown table for BENCHMARKS.md, with the
// machine and the command. Loopback only, bounded in count and time.
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchBot } from "./bot.bench.js";
import { toMarkdown, type BenchResult } from "./harness.js";
import { benchStoreAppend } from "./store.bench.js";
import { benchRealtime } from "./realtime.bench.js";
import { benchFlood } from "./flood.bench.js";

const results: BenchResult[] = [];
const only = process.argv.slice(2).find((a) => a.startsWith("--only="))?.slice("--only=".length);
const want = (name: string) => !only || only.split(",").includes(name);

if (want("store")) results.push(await benchStoreAppend());
if (want("bot")) results.push(...(await benchBot()));
if (want("realtime")) results.push(...(await benchRealtime()));
if (want("flood")) results.push(...(await benchFlood()));

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const machine = `Machine: ${cpu} × ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}, load average ${os.loadavg()[0]?.toFixed(1)} at the start.`;
const command = `Command: \`npm run bench${process.argv.length > 2 ? " -- " + process.argv.slice(2).join(" ") : ""}\` (${new Date().toISOString().slice(0, 10)}).`;
const table = toMarkdown(results);
console.log(`${machine}\n${command}\n\n${table}`);

// A full run rewrites its own section of BENCHMARKS.md; the widget build owns another section.
if (!only) {
  const SECTION = "## Runtime benchmarks";
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../BENCHMARKS.md");
  let text = "# Benchmarks\n";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    /* first run writes the file */
  }
  const section = [
    SECTION,
    "",
    machine,
    command,
    "Each row runs Kaleem's code and a raw baseline alternately in the same process, 5–7 rounds, and reports medians. The cost ratio is Kaleem's time per operation divided by the baseline's (1.00× = as fast as the bare tool; above 1 is what Kaleem's extra work costs).",
    "",
    table,
    "",
  ].join("\n");
  const start = text.indexOf(SECTION);
  if (start === -1) text = `${text.trimEnd()}\n\n${section}`;
  else {
    const next = text.indexOf("\n## ", start + SECTION.length);
    text = text.slice(0, start) + section + (next === -1 ? "" : text.slice(next + 1));
  }
  writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`);
}
process.exit(0);
