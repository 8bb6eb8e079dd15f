// `npm run bench`: runs every benchmark and prints a Markdown table for BENCHMARKS.md, with the
// machine and the command. Loopback only, bounded in count and time.
import os from "node:os";
import { benchBot } from "./bot.bench.js";
import { toMarkdown, type BenchResult } from "./harness.js";
import { benchStoreAppend } from "./store.bench.js";
import { benchRealtime } from "./realtime.bench.js";

const results: BenchResult[] = [];
const only = process.argv.slice(2).find((a) => a.startsWith("--only="))?.slice("--only=".length);
const want = (name: string) => !only || only.split(",").includes(name);

if (want("store")) results.push(await benchStoreAppend());
if (want("bot")) results.push(...(await benchBot()));
if (want("realtime")) results.push(...(await benchRealtime()));

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(`Machine: ${cpu} × ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`);
console.log(`Command: npm run bench${process.argv.length > 2 ? " -- " + process.argv.slice(2).join(" ") : ""}  (${new Date().toISOString().slice(0, 10)})`);
console.log("");
console.log(toMarkdown(results));
process.exit(0);
