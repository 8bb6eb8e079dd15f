#!/usr/bin/env node
// Dependency-free entry behind `npm start`, `npm test` and `npm run bench` on a fresh clone:
// installs what is missing (npm ci; redis-server and chromium for tests when we may), builds
// what is stale, then hands over. Uses only Node's standard library because it runs before
// node_modules exists.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [command = "start", ...rest] = process.argv.slice(2);
const log = (msg) => process.stderr.write(`[kaleem] ${msg}\n`);
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

/** One named step of the first start, so a fresh clone is never silent for minutes: what runs, then how long it took. */
function step(name, what, fn) {
  const t0 = Date.now();
  log(`${name}: ${what} ...`);
  fn();
  log(`${name}: done in ${seconds(Date.now() - t0)} (${seconds(Date.now() - started)} since start)`);
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    log(`${cmd} ${args.join(" ")} failed with exit code ${res.status}`);
    process.exit(res.status ?? 1);
  }
}

function newestMtime(dir, skip = new Set(["node_modules", "dist", ".git", "data", "test-artifacts"])) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, skip));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function ensureInstalled() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  step("install", "installing dependencies (npm ci)", () => run("npm", ["ci", "--no-audit", "--no-fund"]));
}

const buildStamp = path.join(root, "node_modules", ".kaleem-build-stamp");
function ensureBuilt() {
  const sources = ["shared", "workers", "rest", "hub", "launcher", "webchat-widget", "dashboard"].map((d) => newestMtime(path.join(root, d)));
  const newestSource = Math.max(...sources, statSync(path.join(root, "package-lock.json")).mtimeMs);
  if (existsSync(buildStamp) && statSync(buildStamp).mtimeMs >= newestSource && existsSync(path.join(root, "launcher", "dist", "main.js"))) return;
  // The same three parts as `npm run build`, one at a time so each reports its own progress.
  step("compile", "compiling TypeScript (tsc -b)", () => run("npm", ["run", "build:ts"]));
  step("widget", "bundling the chat widget", () => run("npm", ["run", "build", "--workspace=@kaleem/webchat-widget", "--if-present"]));
  step("dashboard", "building the dashboard (vite)", () => run("npm", ["run", "build", "--workspace=@kaleem/dashboard", "--if-present"]));
  mkdirSync(path.dirname(buildStamp), { recursive: true });
  writeFileSync(buildStamp, new Date().toISOString());
}

function has(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** Tests need real redis-server, chromium and nginx; install them from Debian when we are root. */
function ensureSystemPackages() {
  const missing = [];
  if (!has("redis-server")) missing.push("redis-server");
  if (!existsSync("/usr/bin/chromium")) missing.push("chromium");
  if (!existsSync("/usr/sbin/nginx")) missing.push("nginx");
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !has("apt-get")) {
    log(`missing system packages: ${missing.join(", ")} — install them (Debian: apt-get install -y ${missing.join(" ")}); tests that need them will fail`);
    return;
  }
  log(`installing ${missing.join(", ")} with apt-get ...`);
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", ...missing], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

function handOver(cmd, args, env = process.env) {
  const child = spawn(cmd, args, { cwd: root, stdio: "inherit", env });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const roleArg = rest.find((a) => a.startsWith("--role="));
switch (command) {
  case "start": {
    ensureInstalled();
    ensureBuilt();
    const env = { ...process.env };
    if (roleArg) env.KALEEM_ROLE = roleArg.slice("--role=".length);
    log(`starting the server (${seconds(Date.now() - started)} since start) ...`);
    handOver(process.execPath, ["--enable-source-maps", "launcher/dist/main.js"], env);
    break;
  }
  case "test": {
    ensureInstalled();
    ensureSystemPackages();
    ensureBuilt();
    handOver(process.execPath, [path.join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...rest]);
    break;
  }
  case "bench": {
    ensureInstalled();
    ensureSystemPackages();
    ensureBuilt();
    if (!rest.some((a) => a.startsWith("--only="))) run("npm", ["run", "bench", "--workspace=@kaleem/webchat-widget"]);
    handOver(process.execPath, ["--import", "tsx", "--conditions=source", "scripts/bench/run.ts", ...rest]);
    break;
  }
  default:
    log(`unknown command ${command} (start | test | bench)`);
    process.exit(2);
}
