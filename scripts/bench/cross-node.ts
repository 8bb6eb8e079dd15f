// Row 5 of issue #16's end-to-end table: the cross-node cost. The same paced 1:1 conversations (a
// shopper and one watching agent each) against (a) one embedded process, everything in memory, and
// (b) a cluster on one host: a REST process, hub A, hub B and a workers process over a private
// redis-server, sharing one SQLite file. In (b) the bot answers in the workers process and its
// deltas reach the shopper on hub A and the agent on hub B through Redis. Then the cluster again at
// twice the token rate, counting the emits Redis did not take.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fig, fmt, fork, median, show, type E2eOptions, type E2eRow, type Proc } from "./e2e.js";

interface Redis {
  url: string;
  child: ChildProcess;
  dir: string;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });

/** A private redis-server on loopback, no persistence (as shared/src/testing/redis.ts, which loads vitest). */
async function startRedis(): Promise<Redis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-bench-redis-"));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`redis-server did not start in 10 s: ${out}`))), 10_000);
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      if (!out.includes("Ready to accept connections")) return;
      clearTimeout(timer);
      resolve();
    });
    child.once("error", (err) => (clearTimeout(timer), reject(new Error(`redis-server could not start (is it installed?): ${err.message}`))));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`redis-server exited with ${code}: ${out}`))));
  });
  child.stdout.resume();
  child.stderr.resume();
  return { url: `redis://127.0.0.1:${port}`, child, dir };
}

/**
 * Asks a child to stop (a server closes gracefully; a load generator, which has no "stop", is sent
 * SIGTERM) and waits for it to exit; SIGKILL after 5 s (the bench never leaves one behind).
 */
async function halt(child: ChildProcess, graceful = true): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  if (graceful && child.connected) child.send({ type: "stop" });
  else child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  } catch {
    return 10;
  }
})();
/** A process's user + system CPU from /proc (redis-server reports none of its own); NaN off Linux. */
function procCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

interface Sample {
  deliveries: number;
  cpuMs: number;
  emitFailures: number;
  redisCpuMs: number;
}

/** One repetition: the servers' CPU (and failed emits) before and after one load run. */
async function measure(servers: Proc[], load: Proc, redisPid?: number): Promise<Sample> {
  const reports = async () => Promise.all(servers.map((s) => s.report()));
  const sum = (rs: Array<Record<string, unknown>>, key: string) => rs.reduce((a, r) => a + Number(r[key] ?? 0), 0);
  const before = await reports();
  const redisBefore = procCpuMs(redisPid);
  const res = await load.ask({ type: "run" }, "result");
  const after = await reports();
  return {
    deliveries: Number(res.deliveries),
    cpuMs: sum(after, "cpuMs") - sum(before, "cpuMs"),
    emitFailures: sum(after, "emitFailures") - sum(before, "emitFailures"),
    redisCpuMs: procCpuMs(redisPid) - redisBefore,
  };
}

export async function crossNode(o: E2eOptions): Promise<E2eRow[]> {
  const n = o.quick ? 16 : 120;
  const agents = 1;
  const tokens = 40;
  const gapMs = 25;
  const expected = n * tokens * (1 + agents);
  const singleDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-bench-xn-1-"));
  const clusterDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-bench-xn-c-"));
  const loads: ChildProcess[] = [];
  const servers: ChildProcess[] = [];
  const track = <T extends { proc: Proc }>(p: T, into = servers): T => (into.push(p.proc.child), p);
  let redis: Redis | null = null;
  const single: Sample[] = [];
  const cluster: Sample[] = [];
  const double: Sample[] = [];
  try {
    redis = await startRedis();
    const s = track(await fork("kaleem-server", { dataDir: singleDir, bot: "paced" }));
    const sl = track(await fork("load-fanout", { target: { kind: "kaleem", ...s.ready }, n, agents }), loads);
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: "bench-xn", KALEEM_SINGLE_HOST: "true" };
    const node = (role: string, extra: Record<string, unknown> = {}) => fork("kaleem-node", { dataDir: clusterDir, env: { ...env, KALEEM_ROLE: role }, tokens, ...extra });
    // One after another: the REST process creates the data dir's secrets and seeds the demo store
    // that the others then read.
    const rest = track(await node("rest"));
    const hubA = track(await node("hub"));
    const hubB = track(await node("hub"));
    let workers = track(await node("workers", { tokenGapMs: gapMs }));
    const target = {
      kind: "kaleem",
      url: String(hubA.ready.url),
      agentUrl: String(hubB.ready.url),
      restUrl: String(rest.ready.url),
      origin: String(rest.ready.url),
      widgetKey: rest.ready.widgetKey,
      email: rest.ready.email,
      password: rest.ready.password,
    };
    const cl = track(await fork("load-fanout", { target, n, agents }), loads);
    const clusterProcs = () => [rest.proc, hubA.proc, hubB.proc, workers.proc];
    // An unmeasured repetition each first (a fresh process's first one runs cold), then alternately.
    await sl.proc.ask({ type: "run" }, "result");
    await cl.proc.ask({ type: "run" }, "result");
    for (let r = 0; r < o.reps; r++) {
      single.push(await measure([s.proc], sl.proc));
      cluster.push(await measure(clusterProcs(), cl.proc, redis.child.pid));
    }
    // Twice the nominal load: the same answers at twice the token rate (the workers run at most
    // BOT_CONCURRENCY answers at once, so more answers would only queue), from a new workers process.
    await halt(workers.proc.child);
    workers = track(await node("workers", { tokenGapMs: gapMs / 2 }));
    await cl.proc.ask({ type: "run" }, "result");
    for (let r = 0; r < o.reps; r++) double.push(await measure(clusterProcs(), cl.proc, redis.child.pid));
  } finally {
    // The clients first: a hub that sees its agents leave while it closes publishes their presence
    // on a Redis connection it has already quit, and dies of the unhandled "Connection is closed".
    await Promise.allSettled(loads.map((c) => halt(c, false)));
    // One at a time, the last started first: roles closing together over the same Redis left a
    // command in flight on a connection another's close had already ended.
    for (const c of servers.reverse()) await halt(c);
    if (redis) {
      await halt(redis.child);
      rmSync(redis.dir, { recursive: true, force: true });
    }
    rmSync(singleDir, { recursive: true, force: true });
    rmSync(clusterDir, { recursive: true, force: true });
  }
  const perCpu = (xs: Sample[]) => fig(xs.map((x) => x.deliveries / (x.cpuMs / 1000)));
  const sf = perCpu(single);
  const cf = perCpu(cluster);
  const redisPer = (xs: Sample[]) => median(xs.map((x) => (x.redisCpuMs / x.deliveries) * 1000));
  const failures = (xs: Sample[]) => xs.reduce((a, x) => a + x.emitFailures, 0);
  const lost = (xs: Sample[]) => xs.reduce((a, x) => a + Math.max(0, expected - x.deliveries), 0);
  return [
    {
      n: 5,
      measure: `Cross-node: ${n} paced 1:1 conversations (40 tokens at ~40/s to 1 shopper + 1 watching agent, at most 8 answers at once), the answer from a workers process through Redis to the shopper on hub A and the agent on hub B (4 role processes + redis-server, one SQLite file, loopback); then the same at 2x the token rate. CPU = all Kaleem processes (REST, hub A, hub B, workers), not redis-server`,
      kaleem: `${show(cf, "deliveries/CPU-s")}; redis-server ${fmt(redisPer(cluster), 1)} µs CPU per delivery besides. At 2x: ${show(perCpu(double), "deliveries/CPU-s")}, ${failures(double)} emits Redis did not take (kaleem_socket_emit_failures_total, summed over ${o.reps} runs), ${lost(double)} of ${expected * o.reps} deliveries missing`,
      baseline: `1 embedded process, in memory, the same load: ${show(sf, "deliveries/CPU-s")}`,
      ratio: `${(sf.median / cf.median).toFixed(2)}x CPU per delivery`,
      target: "≤ 1.5x CPU per delivery; zero Redis client timeouts at 2x (bounded publish queue, back-pressure)",
    },
  ];
}
