// Profiles the REST list path (row 8): starts the Kaleem server the way e2e.ts does (the child's
// "kaleem-server" role, with `rows` generated products and conversations), optionally under
// --cpu-prof, drives it from a separate load process, and prints req/s, p95 and req per server
// CPU-second for each list. The data dir is kept between runs so the rows are generated once.
//   node --import tsx --conditions=source scripts/bench/profile-rest.ts [--rows=10000] [--requests=2000] [--cpu-prof=DIR] [--data=DIR] [--only=products|conversations] [--bare]
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

type Msg = Record<string, unknown> & { type: string };
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "e2e-child.ts");
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const rows = Number(arg("rows", "10000"));
const requests = Number(arg("requests", "2000"));
const prof = arg("cpu-prof", "");
const dataDir = arg("data", path.join(os.tmpdir(), `kaleem-profile-rest-${rows}`));
const only = arg("only", "products,conversations").split(",");
const withBare = process.argv.includes("--bare");
mkdirSync(dataDir, { recursive: true });

function fork(role: string, options: Record<string, unknown>, extra: string[] = []): { child: ChildProcess; next: (type: string) => Promise<Msg> } {
  const child = spawn(process.execPath, [...process.execArgv, ...extra, CHILD, role, JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiters: Array<{ type: string; resolve: (m: Msg) => void }> = [];
  child.on("message", (m: Msg) => {
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i !== -1) waiters.splice(i, 1)[0]!.resolve(m);
  });
  return { child, next: (type) => new Promise((resolve) => waiters.push({ type, resolve })) };
}
const ask = async (p: ReturnType<typeof fork>, m: Msg, reply: string) => {
  const answer = p.next(reply);
  p.child.send(m);
  return answer;
};

const k = fork("kaleem-server", { dataDir, rows }, prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []);
const ready = await k.next("ready");
const login = await fetch(`${String(ready.url)}/api/v1/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: ready.email, password: ready.password }) });
const { accessToken } = (await login.json()) as { accessToken: string };
const load = fork("load-http", { url: ready.url, bearer: accessToken, concurrency: 10 });
await load.next("ready");
// The bare baseline (node:http + the same store query + JSON.stringify) on the same database, when asked.
const bare = withBare ? fork("bare-http", { dbFile: ready.dbFile, merchantId: ready.merchantId }) : null;
const bareUrl = bare ? String((await bare.next("ready")).url) : "";
const bareLoad = bare ? fork("load-http", { url: bareUrl, bearer: null, concurrency: 10 }) : null;
if (bareLoad) await bareLoad.next("ready");
for (const label of only) {
  const runs: Array<[string, typeof k, typeof load, string]> = [["kaleem", k, load, label === "products" ? "/api/v1/products?limit=50" : "/api/v1/conversations?limit=50"]];
  if (bare && bareLoad) runs.push(["bare", bare, bareLoad, label === "products" ? "/products" : "/conversations"]);
  for (const [who, server, driver, p] of runs) {
    await ask(driver, { type: "run", requests: 200, path: p }, "result"); // warm-up
    const before = Number((await ask(server, { type: "report" }, "report")).cpuMs);
    const res = await ask(driver, { type: "run", requests, path: p }, "result");
    const cpu = Number((await ask(server, { type: "report" }, "report")).cpuMs) - before;
    console.log(`${label} ${who}: ${(requests / (Number(res.ms) / 1000)).toFixed(0)} req/s, p95 ${Number(res.p95).toFixed(1)} ms, ${(requests / (cpu / 1000)).toFixed(0)} req/server CPU-s`);
  }
}
load.child.kill();
bareLoad?.child.kill();
bare?.child.send({ type: "stop" });
k.child.send({ type: "stop" });
await new Promise((r) => k.child.once("exit", r));
