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
import { benchCache, cacheMarkdown, type CacheBenchRow } from "./cache.bench.js";
import { benchEndToEnd, e2eMarkdown, type E2eRow } from "./e2e.js";

const results: BenchResult[] = [];
const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const quick = args.includes("--quick");
const want = (name: string) => !only || only.split(",").includes(name);
const E2E = ["fanout", "ttfr", "density", "crossnode", "ingest", "search", "rest", "start"];
const loadAtStart = os.loadavg()[0]?.toFixed(1);
const runStart = performance.now();

// The end-to-end rows (separate server and load processes) come first: they are what users see.
let e2e: E2eRow[] = [];
if (E2E.some(want)) e2e = await benchEndToEnd({ quick, reps: 3 }, want);
// The in-process micro-benchmarks: not in --quick (they do not measure what a user sees).
if (!quick) {
  if (want("store")) results.push(await benchStoreAppend());
  if (want("bot")) results.push(...(await benchBot()));
  if (want("realtime")) results.push(...(await benchRealtime()));
  if (want("flood")) results.push(...(await benchFlood()));
}
// Read cache hit ratios (issue 12, item 8): its own table, also in --quick (it takes 20 s).
let cacheRows: CacheBenchRow[] = [];
if (want("cache")) cacheRows = await benchCache();

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const machine = `Machine: ${cpu} × ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}, load average ${loadAtStart} at the start (1-minute).`;
const command = `Command: \`npm run bench${args.length > 0 ? " -- " + args.join(" ") : ""}\` (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${((performance.now() - runStart) / 1000).toFixed(0)} s).`;
const e2eTable = e2eMarkdown(e2e);
const table = toMarkdown(results);
console.log(`${machine}\n${command}\n\n${e2eTable}\n\n${results.length > 0 ? table : ""}${cacheRows.length > 0 ? `\n\n${cacheMarkdown(cacheRows)}` : ""}`);

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../BENCHMARKS.md");
function rewriteSection(heading: string, body: string[]): void {
  let text = "# Benchmarks\n";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    /* first run writes the file */
  }
  const section = [heading, "", ...body, ""].join("\n");
  const start = text.indexOf(heading);
  if (start === -1) text = `${text.trimEnd()}\n\n${section}`;
  else {
    const next = text.indexOf("\n## ", start + heading.length);
    text = text.slice(0, start) + section + (next === -1 ? "" : text.slice(next + 1));
  }
  writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`);
}

// A whole run (quick or full) rewrites its sections of BENCHMARKS.md; the widget build owns another.
if (!only) {
  rewriteSection("## End-to-end benchmarks (issue #16's table)", [
    machine,
    command,
    "",
    "Kaleem (all roles in one process, SQLite, in-memory adapters: embedded mode) and each row's bare baseline run as separate server processes in the same run; the load generators are processes of their own (`scripts/bench/e2e-child.ts`, forked by `scripts/bench/e2e.ts`). Everything is on 127.0.0.1 and bounded in count. Each figure is the median of 3 repetitions (Kaleem and the baseline alternately) with the min–max range. \"Server CPU\" is the server process's own `process.cpuUsage()` (user + system) over the repetition, so the load generators' work is not in it.",
    "",
    os.loadavg()[0]! > os.cpus().length * 0.75
      ? `**Read with care: this machine was loaded** (load average ${loadAtStart} on ${os.cpus().length} cores at the start, other work running). Every process competed for the CPU with unrelated work, so wall-clock rates and latencies are pessimistic and noisy, and the ranges are wide; CPU-per-work figures are the more stable ones.`
      : `Load average ${loadAtStart} on ${os.cpus().length} cores at the start.`,
    "",
    e2eTable,
  ]);
  if (results.length > 0) {
    rewriteSection("## Runtime benchmarks", [
      machine,
      command,
      "**In-process micro-benchmarks.** Each row runs Kaleem's code and a raw baseline alternately in the same process, 5–7 rounds, and reports medians. They time code paths, not what a user sees (client and server share one event loop, so a delivery's cost on the server is not separated from the client's); the end-to-end table above is the one to judge the product by. The cost ratio is Kaleem's time per operation divided by the baseline's.",
      "",
      table,
    ]);
  }
}
// Its own section, rewritten by any run that measured it (`npm run bench -- --only=cache` too).
if (cacheRows.length > 0) {
  rewriteSection("## Read cache hit ratios (issue 12, item 8)", [
    machine,
    command,
    "",
    "Load (`scripts/bench/cache.bench.ts`): two hub processes' read caches (own L1 and Redis connections each) over one spawned redis-server and one SQLite store of 200 merchants; 1,000 widget connects/s for 10 s, each to a random hub, the store Zipf-distributed (s = 1); a connect reads the merchant profile twice on its hub (the handshake's origin check, then `conversation:open`), as the hub does; one connect in 1,000 comes after a settings write of its store (invalidated everywhere). TTLs are 30× compressed (1 s / 10 s for the default 30 s / 300 s), so the 10 s stand for 5 minutes. The L1 ratio counts every read; the L2 ratio counts the reads L1 missed. The second read of a connect is nearly always an L1 hit, so about half of the L1 figure is that re-read.",
    "",
    cacheMarkdown(cacheRows),
  ]);
}
process.exit(0);
