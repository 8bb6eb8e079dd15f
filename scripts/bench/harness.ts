// Tiny benchmark harness: runs a candidate and its raw baseline alternately in the same process,
// several rounds, and reports medians and the ratio. Numbers go to BENCHMARKS.md by hand.
import { performance } from "node:perf_hooks";

export interface BenchResult {
  name: string;
  unit: string;
  candidate: string;
  baseline: string;
  candidateOpsPerSec: number;
  baselineOpsPerSec: number;
  /** candidate time / baseline time per operation (1.0 = as fast as the baseline). */
  costRatio: number;
  note?: string;
  /** Shown as milliseconds per operation (a latency) instead of operations per second. */
  latency?: boolean;
}

export async function timeOps(ops: number, fn: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / ops;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Alternates candidate and baseline `rounds` times; returns per-op medians in ms. */
export async function compare(
  rounds: number,
  candidate: () => Promise<number>,
  baseline: () => Promise<number>,
): Promise<{ candidateMs: number; baselineMs: number }> {
  const c: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    c.push(await candidate());
    b.push(await baseline());
  }
  return { candidateMs: median(c), baselineMs: median(b) };
}

export function result(
  name: string,
  unit: string,
  labels: { candidate: string; baseline: string },
  ms: { candidateMs: number; baselineMs: number },
  note?: string,
): BenchResult {
  return {
    name,
    unit,
    ...labels,
    candidateOpsPerSec: 1000 / ms.candidateMs,
    baselineOpsPerSec: 1000 / ms.baselineMs,
    costRatio: ms.candidateMs / ms.baselineMs,
    ...(note ? { note } : {}),
  };
}

/** A latency measured in the same run with and without a load: shown in ms, the ratio is loaded/unloaded. */
export function latencyResult(name: string, labels: { candidate: string; baseline: string }, ms: { candidateMs: number; baselineMs: number }, note?: string): BenchResult {
  return { ...result(name, "ms", labels, ms, note), latency: true };
}

export function toMarkdown(results: BenchResult[]): string {
  const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));
  const figure = (r: BenchResult, opsPerSec: number) => (r.latency ? `${fmt(1000 / opsPerSec)} ms` : `${fmt(opsPerSec)} ${r.unit}/s`);
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.candidate}: ${figure(r, r.candidateOpsPerSec)} | ${r.baseline}: ${figure(r, r.baselineOpsPerSec)} | ${r.costRatio.toFixed(2)}× |${r.note ? ` ${r.note}` : ""}`,
  );
  return ["| Benchmark | Kaleem | Raw baseline (same run) | Cost ratio |", "|---|---|---|---|", ...rows].join("\n");
}
